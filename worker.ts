// Production worker entry: runs the workflows and activities of the task queue. Scale by running more of these.
import { loadEnv, requireEnv } from './config.js';
import { createDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { activityDeps } from './runtime.js';
import { connectClient, connectWorker } from './temporal/client.js';
import { registerSearchAttributes } from './temporal/register-search-attributes.js';
import { ensureCreditReviewSchedule } from './temporal/schedules.js';
import { createWorkers } from './temporal/worker.js';

const env = loadEnv();
const databaseUrl = requireEnv(env, 'DATABASE_URL');
await runMigrations(databaseUrl);
const database = createDatabase(databaseUrl);
const client = await connectClient(env);
await registerSearchAttributes(client.connection, env.TEMPORAL_NAMESPACE);
await ensureCreditReviewSchedule(client, { taskQueue: env.TEMPORAL_TASK_QUEUE, cron: env.CREDIT_REVIEW_CRON });
const deps = activityDeps(env, database.db);
const workers = await createWorkers({
  connection: await connectWorker(env),
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  deps,
});
// Resolves once SIGINT/SIGTERM drained the in-flight tasks (the SDK installs those handlers).
await workers.run();
deps.mailer.close();
await database.close();
await client.connection.close();
