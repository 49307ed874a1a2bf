// `npm run -s users -- create --email <address> --role <finance|collector|credit_controller|admin> [--name <name>]`:
// creates a console user and prints a generated password alone on stdout (give it to the person; only its argon2id
// hash is kept). `list` prints the users as JSON; `disable --email <address>` ends their sign-in and sessions.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadEnv } from '../config.js';
import { createDatabase } from '../db/client.js';
import { embeddedDatabaseUrl } from '../db/embedded.js';
import { runMigrations } from '../db/migrate.js';
import { createUser, disableUser, listUsers, USER_ROLES, type UserRole } from '../db/users.js';

const usage = [
  `usage: npm run -s users -- create --email <address> --role <${USER_ROLES.join('|')}> [--name <name>]`,
  '       npm run -s users -- list',
  '       npm run -s users -- disable --email <address>',
].join('\n');
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
});
const [command] = positionals;
const role = values.role as UserRole | undefined;
const valid =
  (command === 'create' && values.email && role && USER_ROLES.includes(role)) ||
  command === 'list' ||
  (command === 'disable' && values.email);
if (!valid) {
  console.error(usage);
  process.exit(2);
}

// Without DATABASE_URL the user goes to the embedded stack's database, which must be running (npm start).
const databaseUrl = loadEnv().DATABASE_URL ?? embeddedDatabaseUrl(Number(process.env.EMBEDDED_PG_PORT ?? 5433));
await runMigrations(databaseUrl);
const database = createDatabase(databaseUrl);
try {
  if (command === 'create') {
    const password = randomBytes(18).toString('base64url');
    await createUser(database.db, { email: values.email!, name: values.name ?? values.email!, role: role!, password });
    console.log(password);
  } else if (command === 'list') {
    console.log(JSON.stringify(await listUsers(database.db), null, 2));
  } else if (!(await disableUser(database.db, values.email!))) {
    console.error(`No active user ${values.email}`);
    process.exitCode = 1;
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await database.close();
}
