// `npm run -s keys -- create --role <integration|finance|admin> --name <name>`: prints the new key alone on stdout.
import { parseArgs } from 'node:util';
import { loadEnv } from '../config.js';
import { createApiKey, ROLES, type Role } from '../db/api-keys.js';
import { createDatabase } from '../db/client.js';
import { embeddedDatabaseUrl } from '../db/embedded.js';
import { runMigrations } from '../db/migrate.js';

const usage = `usage: npm run -s keys -- create --role <${ROLES.join('|')}> --name <name>`;
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { role: { type: 'string' }, name: { type: 'string' } },
});
const role = values.role as Role | undefined;
if (positionals[0] !== 'create' || !role || !ROLES.includes(role) || !values.name?.trim()) {
  console.error(usage);
  process.exit(2);
}

// Without DATABASE_URL the key goes to the embedded stack's database, which must be running (npm start).
const databaseUrl = loadEnv().DATABASE_URL ?? embeddedDatabaseUrl(Number(process.env.EMBEDDED_PG_PORT ?? 5433));
await runMigrations(databaseUrl);
const database = createDatabase(databaseUrl);
const { key } = await createApiKey(database.db, { role, name: values.name.trim() });
await database.close();
console.log(key);
