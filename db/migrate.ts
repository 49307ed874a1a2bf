import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { createDatabase } from './client.js';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATION_LOCK = 7_202_611; // any constant shared by all our processes

/**
 * Applies the committed drizzle-kit migrations. Every worker and API process runs this on start-up, so a
 * session-level advisory lock on a single connection keeps two of them from migrating at once.
 */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const { db, close } = createDatabase(databaseUrl, { max: 1 });
  try {
    await db.execute(sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    await migrate(db, { migrationsFolder });
    await db.execute(sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
  } finally {
    await close();
  }
}
