import { eq, sql } from 'drizzle-orm';
import type { CsvProfile } from '../formats/bank-csv.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { bankFileProfiles } from './schema.js';

export async function getBankFileProfile(db: DbOrTx, name: string): Promise<CsvProfile | undefined> {
  const [row] = await db.select().from(bankFileProfiles).where(eq(bankFileProfiles.name, name));
  return row?.profile as CsvProfile | undefined;
}

export async function listBankFileProfiles(db: DbOrTx): Promise<CsvProfile[]> {
  return (await db.select().from(bankFileProfiles).orderBy(bankFileProfiles.name)).map((r) => r.profile as CsvProfile);
}

/** Creates or replaces a CSV profile, audited with the old and the new one. */
export async function putBankFileProfile(db: Db, profile: CsvProfile, actor: string, key: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [old] = await tx.select().from(bankFileProfiles).where(eq(bankFileProfiles.name, profile.name)).for('update');
    await tx
      .insert(bankFileProfiles)
      .values({ name: profile.name, profile })
      .onConflictDoUpdate({ target: bankFileProfiles.name, set: { profile, updatedAt: sql`now()` } });
    await recordAudit(tx, {
      decisionKey: key,
      actor,
      action: old ? 'bank_file_profile.update' : 'bank_file_profile.create',
      entityType: 'bank_file_profile',
      entityId: profile.name,
      details: { old: old?.profile ?? null, new: profile },
    });
    return !old;
  });
}
