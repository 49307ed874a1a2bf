import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, ne, or, sql } from 'drizzle-orm';
import { DomainError } from '../domain/errors.js';
import { buildInvoiceDocument } from '../domain/invoice-document.js';
import { sampleInvoice } from '../domain/invoice-draft.js';
import { isoDate } from '../domain/payment-terms.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { invoiceSeries, legalEntities } from './schema.js';

export type LegalEntity = typeof legalEntities.$inferSelect;
export type LegalEntityInput = Omit<typeof legalEntities.$inferInsert, 'code' | 'referenceNo' | 'createdAt'>;

const PREFIXES = [
  { field: 'invoicePrefix', kind: 'invoice' },
  { field: 'creditNotePrefix', kind: 'credit_note' },
] as const;

/**
 * Creates or updates a seller legal entity, audited with who did it. Refused when the entity could not invoice
 * (a sample invoice must build), when a prefix is another entity's (numbers would collide), or when it would
 * rename a series that has issued numbers. Its reference number (the first digits of its payment references) is
 * assigned once, at creation, and never changes: issued references must stay unique.
 */
export async function putLegalEntity(
  db: Db,
  code: string,
  input: LegalEntityInput,
  actor = 'system',
): Promise<{ entity: LegalEntity; created: boolean }> {
  try {
    buildInvoiceDocument(sampleInvoice(input, isoDate(Date.now())));
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new DomainError(
      'NOT_INVOICEABLE',
      `This entity could not issue a valid invoice: ${err.message}`,
      fieldOf(err),
    );
  }
  return db.transaction(async (tx) => {
    // One writer at a time: two new entities never draw the same reference number or prefix.
    await tx.execute(sql`LOCK TABLE ${legalEntities} IN SHARE ROW EXCLUSIVE MODE`);
    const [existing] = await tx.select().from(legalEntities).where(eq(legalEntities.code, code));
    for (const { field, kind } of PREFIXES) {
      const prefix = input[field];
      const [taken] = await tx
        .select({ code: legalEntities.code })
        .from(legalEntities)
        .where(
          and(
            ne(legalEntities.code, code),
            or(eq(legalEntities.invoicePrefix, prefix), eq(legalEntities.creditNotePrefix, prefix)),
          ),
        );
      if (taken)
        throw new DomainError('PREFIX_TAKEN', `${field}: ${prefix} is the prefix of entity ${taken.code}`, field);
      if (existing && existing[field] !== prefix && (await hasNumbered(tx, code, kind))) {
        throw new DomainError(
          'PREFIX_IN_USE',
          `${field}: the ${kind.replace('_', ' ')} series of ${code} has issued numbers as ${existing[field]}; a series keeps its prefix`,
          field,
        );
      }
    }
    let entity: LegalEntity;
    if (existing) {
      [entity] = (await tx.update(legalEntities).set(input).where(eq(legalEntities.code, code)).returning()) as [
        LegalEntity,
      ];
    } else {
      const [next] = await tx
        .select({ n: sql<number>`coalesce(max(${legalEntities.referenceNo}), 0) + 1`.mapWith(Number) })
        .from(legalEntities);
      [entity] = (await tx
        .insert(legalEntities)
        .values({ ...input, code, referenceNo: next!.n })
        .returning()) as [LegalEntity];
    }
    await recordAudit(tx, {
      decisionKey: `legal-entity:${code}:${randomUUID()}`,
      actor,
      action: existing ? 'legal_entity.update' : 'legal_entity.create',
      entityType: 'legal_entity',
      entityId: code,
      details: { old: existing ?? null, new: input },
    });
    return { entity, created: !existing };
  });
}

async function hasNumbered(tx: DbOrTx, code: string, kind: string): Promise<boolean> {
  const rows = await tx
    .select({ year: invoiceSeries.year })
    .from(invoiceSeries)
    .where(and(eq(invoiceSeries.legalEntity, code), eq(invoiceSeries.kind, kind), gt(invoiceSeries.lastNumber, 0)));
  return rows.length > 0;
}

/** The request field a sample-invoice rule names: "seller.address.city ..." is address.city; a missing rate, country. */
function fieldOf(err: RangeError): string | undefined {
  const seller = /^seller\.([\w.]+)/.exec(err.message);
  if (seller) return seller[1];
  return /VAT rate/.test(err.message) ? 'country' : undefined;
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
      'legalEntity',
    );
  return entity;
}
