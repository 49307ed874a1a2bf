import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildApp } from '../api/app.js';
import type { Env } from '../config.js';
import { authenticate, createApiKey, type Role } from '../db/api-keys.js';
import { createDatabase, type Db } from '../db/client.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { runMigrations } from '../db/migrate.js';
import { createUser, setPassword, userExists } from '../db/users.js';
import { parseIsoDuration } from '../domain/durations.js';
import { startSmtpCapture } from '../integrations/smtp-capture.js';
import { startWarehouseStandIn } from '../integrations/warehouse-stand-in.js';
import { activityDeps, apiDeps } from '../runtime.js';
import { connectClient, connectWorker } from '../temporal/client.js';
import { registerSearchAttributes } from '../temporal/register-search-attributes.js';
import { ensureCreditReviewSchedule } from '../temporal/schedules.js';
import { createWorkers } from '../temporal/worker.js';
import { startDevServer } from './dev-server.js';
import { DEMO_CUSTOMERS, DEMO_FINANCE_EMAIL, seedDemoData } from './seed.js';
import { electronicAddressOf } from '../domain/electronic-address.js';
import { startCollectionAgencyStandIn } from '../integrations/collection-agency-stand-in.js';
import { startPeppolAccessPointStandIn } from '../integrations/peppol-access-point-stand-in.js';
import { resolveTemporalCli } from './tools/temporal-cli.js';

export interface EmbeddedStack {
  apiUrl: string;
  docsUrl: string;
  consoleUrl: string;
  temporalUiUrl: string | undefined;
  adminKey: string;
  /** The demo finance clerk's console sign-in. */
  financeUser: { email: string; password: string };
  integrationKey: string;
  db: Db;
  stop: () => Promise<void>;
}

export interface EmbeddedStackOptions {
  env: Env;
  dataDir: string;
  apiPort: number;
  temporalPort: number;
  temporalUiPort: number;
  postgresPort: number;
  dispatchDelay: string;
  log: (line: string) => void;
}

/**
 * The whole engine in one process tree: Temporal dev server (state in dataDir), Postgres (DATABASE_URL or an
 * embedded one in dataDir), migrations and demo data, SMTP capture, a warehouse stand-in, the worker and the API.
 * Anything given in the environment (DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL, WAREHOUSE_URL) is used instead
 * of the local stand-in.
 */
export async function startEmbeddedStack(options: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const { log } = options;
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, 0o755); // as root, the embedded Postgres runs as `postgres` and must reach its data dir
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => log(`shutdown: ${(err as Error).message}`));
  };

  try {
    const env = { ...options.env };
    // A payment provider to try the signed webhook with: `demo`, its secret kept in the data dir.
    if (Object.keys(env.PAYMENT_PROVIDER_SECRETS).length === 0) {
      env.PAYMENT_PROVIDER_SECRETS = { demo: [await persistentSecret(join(dataDir, 'demo-psp.secret'))] };
    }
    // A collection agency to hand cases to (below), signing its webhook with a secret kept in the data dir.
    const agencyStandIn = !env.AGENCY_URL;
    if (agencyStandIn) env.AGENCY_WEBHOOK_SECRETS = [await persistentSecret(join(dataDir, 'agency-webhook.secret'))];
    if (!env.DATABASE_URL) {
      log('starting embedded PostgreSQL ...');
      const pg = await startEmbeddedPostgres({ dir: join(dataDir, 'postgres'), port: options.postgresPort, log });
      stops.push(() => pg.stop());
      env.DATABASE_URL = pg.url;
    }
    let temporalUiUrl: string | undefined;
    if (!process.env.TEMPORAL_ADDRESS) {
      log('starting Temporal dev server ...');
      const server = await startDevServer({
        cli: await resolveTemporalCli(),
        port: options.temporalPort,
        uiPort: options.temporalUiPort,
        dbFile: join(dataDir, 'temporal.db'),
        logFile: join(dataDir, 'temporal.log'),
        namespace: env.TEMPORAL_NAMESPACE,
      });
      stops.push(() => server.stop());
      env.TEMPORAL_ADDRESS = server.address;
      temporalUiUrl = server.uiUrl;
      env.TEMPORAL_UI_URL ??= temporalUiUrl.replace('127.0.0.1', 'localhost');
    }

    await runMigrations(env.DATABASE_URL);
    const database = createDatabase(env.DATABASE_URL);
    stops.push(() => database.close());
    await seedDemoData(database.db);
    const adminKey = await persistentKey(database.db, join(dataDir, 'demo-admin.key'), 'admin', 'demo-admin');
    const financeUser = await persistentUser(database.db, join(dataDir, 'demo-finance.password'), DEMO_FINANCE_EMAIL);
    const integrationKey = await persistentKey(
      database.db,
      join(dataDir, 'warehouse-stand-in.key'),
      'integration',
      'warehouse-stand-in',
    );

    const client = await connectClient(env);
    stops.push(() => client.connection.close());
    await registerSearchAttributes(client.connection, env.TEMPORAL_NAMESPACE);
    await ensureCreditReviewSchedule(client, { taskQueue: env.TEMPORAL_TASK_QUEUE, cron: env.CREDIT_REVIEW_CRON });

    const app = await buildApp(apiDeps(env, database.db, client), {
      logger: { level: 'warn', redact: ['req.headers.authorization'] },
    });
    await app.listen({ host: env.HOST, port: options.apiPort });
    stops.push(() => app.close());
    const apiUrl = env.PUBLIC_URL ?? `http://localhost:${options.apiPort}`;

    if (!env.SMTP_URL) {
      const mailDir = join(dataDir, 'mail');
      await mkdir(mailDir, { recursive: true });
      const capture = await startSmtpCapture({
        onMessage: (mail) => {
          const subject = /^Subject: (.*)$/m.exec(mail.raw)?.[1] ?? '(no subject)';
          log(`mail to ${mail.to.join(', ')}: ${subject}`);
          void writeFile(join(mailDir, `${Date.now()}-${mail.to[0] ?? 'unknown'}.eml`), mail.raw);
        },
      });
      stops.push(() => capture.close());
      env.SMTP_URL = capture.url;
    }
    if (!env.WAREHOUSE_URL) {
      const standIn = await startWarehouseStandIn({
        apiUrl: `http://127.0.0.1:${options.apiPort}`,
        apiKey: integrationKey,
        dispatchDelayMs: parseIsoDuration(options.dispatchDelay),
        deliveryDelayMs: parseIsoDuration(options.dispatchDelay),
        log,
      });
      stops.push(() => standIn.close());
      env.WAREHOUSE_URL = standIn.url;
    }
    if (!env.PEPPOL_AP_URL) {
      // A local access point that validates what it gets with the official rules; the demo customers can receive.
      const receivers = DEMO_CUSTOMERS.map((c) => electronicAddressOf(c))
        .filter((a) => a !== undefined)
        .map((a) => `${a.scheme}:${a.id}`);
      const accessPoint = await startPeppolAccessPointStandIn({ receivers, log });
      stops.push(() => accessPoint.close());
      env.PEPPOL_AP_URL = accessPoint.url;
    }
    if (agencyStandIn) {
      const agency = await startCollectionAgencyStandIn({
        apiKey: (env.AGENCY_API_KEY ||= randomUUID()),
        engine: {
          url: `http://127.0.0.1:${options.apiPort}`,
          apiKey: integrationKey,
          webhookSecret: env.AGENCY_WEBHOOK_SECRETS[0]!,
        },
      });
      stops.push(() => agency.close());
      env.AGENCY_URL = agency.url;
    }
    const deps = activityDeps(env, database.db);
    stops.push(() => Promise.resolve(deps.mailer.close()));

    const workers = await createWorkers({
      connection: await connectWorker(env),
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      deps,
    });
    const running = workers.run();
    stops.push(async () => {
      if (workers.isRunning()) workers.shutdown();
      await running;
    });

    return {
      apiUrl,
      docsUrl: `${apiUrl}/docs`,
      consoleUrl: `${apiUrl}/console`,
      temporalUiUrl,
      adminKey,
      financeUser,
      integrationKey,
      db: database.db,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A demo key kept in the data dir (mode 600) so it stays the same across restarts; re-created if revoked. */
/** A random secret kept in the data dir (mode 600), the same across restarts. */
async function persistentSecret(file: string): Promise<string> {
  const saved = await readFile(file, 'utf8').then(
    (k) => k.trim(),
    () => undefined,
  );
  if (saved) return saved;
  const secret = randomBytes(24).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** The demo finance user's sign-in: created once, its password kept in the data directory. */
async function persistentUser(db: Db, file: string, email: string): Promise<{ email: string; password: string }> {
  const saved = await readFile(file, 'utf8').then(
    (p) => p.trim(),
    () => undefined,
  );
  const exists = await userExists(db, email);
  if (saved && exists) return { email, password: saved };
  const password = randomBytes(18).toString('base64url');
  if (exists) await setPassword(db, email, password);
  else await createUser(db, { email, name: 'Demo finance clerk', role: 'finance', password });
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return { email, password };
}

async function persistentKey(db: Db, file: string, role: Role, name: string): Promise<string> {
  const saved = await readFile(file, 'utf8').then(
    (k) => k.trim(),
    () => undefined,
  );
  if (saved && (await authenticate(db, saved))) return saved;
  const { key } = await createApiKey(db, { role, name });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}
