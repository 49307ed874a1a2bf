// Production API entry. Stateless: run as many as needed behind a load balancer.
import { buildApp } from './api/app.js';
import { loadEnv, requireEnv } from './config.js';
import { createDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { apiDeps } from './runtime.js';
import { connectClient } from './temporal/client.js';

const env = loadEnv();
const databaseUrl = requireEnv(env, 'DATABASE_URL');
await runMigrations(databaseUrl);
const database = createDatabase(databaseUrl);
const client = await connectClient(env);
const app = await buildApp(apiDeps(env, database.db, client), {
  logger: { level: 'info', redact: ['req.headers.authorization'] },
});
await app.listen({ host: env.HOST, port: env.PORT });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app
      .close()
      .then(() => database.close())
      .then(() => client.connection.close())
      .then(() => process.exit(0));
  });
}
