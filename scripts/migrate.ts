// `npm run migrate`: applies the committed migrations to DATABASE_URL (workers and servers also do it on start).
import { loadEnv, requireEnv } from '../config.js';
import { runMigrations } from '../db/migrate.js';

await runMigrations(requireEnv(loadEnv(), 'DATABASE_URL'));
console.error('migrations applied');
