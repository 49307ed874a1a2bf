import { asc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from './client.js';
import { DomainError } from './errors.js';
import { legalEntities } from './schema.js';

export type LegalEntity = typeof legalEntities.$inferSelect;
export type LegalEntityInput = Omit<typeof legalEntities.$inferInsert, 'code' | 'referenceNo' | 'createdAt'>;

/**
 * Creates or updates a seller legal entity. Its reference number (the first digits of its numeric payment
 * references) is assigned once, at creation, and never changes: issued references must stay unique.
 */
export async function putLegalEntity(
  db: Db,
  code: string,
  input: LegalEntityInput,
): Promise<{ entity: LegalEntity; created: boolean }> {
  return db.transaction(async (tx) => {
    // One writer at a time, so two new entities never draw the same reference number.
    await tx.execute(sql`LOCK TABLE ${legalEntities} IN SHARE ROW EXCLUSIVE MODE`);
    const [existing] = await tx.select().from(legalEntities).where(eq(legalEntities.code, code));
    if (existing) {
      const [entity] = await tx.update(legalEntities).set(input).where(eq(legalEntities.code, code)).returning();
      return { entity: entity!, created: false };
    }
    const [next] = await tx
      .select({ n: sql<number>`coalesce(max(${legalEntities.referenceNo}), 0) + 1`.mapWith(Number) })
      .from(legalEntities);
    const [entity] = await tx
      .insert(legalEntities)
      .values({ ...input, code, referenceNo: next!.n })
      .returning();
    return { entity: entity!, created: true };
  });
}

export async function listLegalEntities(db: DbOrTx): Promise<LegalEntity[]> {
  return db.select().from(legalEntities).orderBy(asc(legalEntities.code));
}

export async function getLegalEntity(db: DbOrTx, code: string): Promise<LegalEntity> {
  const [entity] = await db.select().from(legalEntities).where(eq(legalEntities.code, code));
  if (!entity)
    throw new DomainError(
      'UNKNOWN_LEGAL_ENTITY',
      `No legal entity ${code}; create it with PUT /v1/legal-entities/${code}`,
      422,
      'legalEntity',
    );
  return entity;
}
