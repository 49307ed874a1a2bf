import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { createDatabase } from '../../db/client.js';
import { runMigrations } from '../../db/migrate.js';
import { seedLegalEntities } from '../../scripts/seed.js';
import { startDevServer } from '../../scripts/dev-server.js';
import { freePort } from '../../scripts/free-port.js';
import { resolveTemporalCli } from '../../scripts/tools/temporal-cli.js';
import { resolveTestServer } from '../../scripts/tools/test-server.js';
import { workflowsPath } from '../../temporal/worker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    temporalUiUrl: string;
    testServerPath: string;
    workflowBundlePath: string;
  }
}

/**
 * The real components for the whole run: one Postgres database (DATABASE_URL's server, or an embedded one),
 * one Temporal dev server with its UI, the time-skipping test server's path, and the workflow bundle built once.
 */
export default async function setup(project: TestProject) {
  const work = await mkdtemp(join(tmpdir(), 'o2c-test-'));
  await chmod(work, 0o755); // as root, the embedded Postgres runs as user `postgres` and must reach its data dir
  const cleanups: (() => Promise<unknown>)[] = [() => rm(work, { recursive: true, force: true })];
  // Every cleanup runs; any that failed fails the run. vitest only logs a teardown error and keeps exit code 0,
  // so the exit code is set here (this runs in vitest's main process, and vitest never resets it).
  const teardown = async () => {
    const failures: unknown[] = [];
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => failures.push(err));
    if (failures.length === 0) return;
    process.exitCode = 1;
    throw new AggregateError(failures, 'integration teardown failed');
  };
  try {
    await startComponents(project, work, cleanups);
  } catch (err) {
    await teardown().catch(() => undefined); // what did start is stopped; the setup error is the one to report
    throw err;
  }
  return teardown;
}

async function startComponents(project: TestProject, work: string, cleanups: (() => Promise<unknown>)[]) {
  const [cli, testServerPath] = await Promise.all([resolveTemporalCli(), resolveTestServer()]);

  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({
      dir: join(work, 'pg'),
      port: await freePort(),
      database: 'postgres',
    });
    cleanups.push(() => embedded.stop());
    serverUrl = embedded.url;
  }
  const database = `o2c_test_${Date.now().toString(36)}_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => undefined });
  cleanups.push(() => admin.end());
  await admin.unsafe(`CREATE DATABASE ${database}`);
  cleanups.push(() => admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  await runMigrations(url.toString());
  const seeding = createDatabase(url.toString(), { max: 1 });
  await seedLegalEntities(seeding.db);
  await seeding.close();

  const devServer = await startDevServer({
    cli,
    port: await freePort(),
    uiPort: await freePort(),
    logFile: join(work, 'temporal.log'),
  });
  cleanups.push(() => devServer.stop());

  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  const workflowBundlePath = join(work, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, code);

  project.provide('databaseUrl', url.toString());
  project.provide('temporalAddress', devServer.address);
  project.provide('temporalUiUrl', devServer.uiUrl);
  project.provide('testServerPath', testServerPath);
  project.provide('workflowBundlePath', workflowBundlePath);
}

const quiet = () => undefined;
const quietLogger = { trace: quiet, debug: quiet, info: quiet, warn: console.warn, error: console.error, log: quiet };
