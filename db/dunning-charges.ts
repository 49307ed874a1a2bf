import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { chargesForLevel, type DebtorKind, type DunningChargeKind } from '../domain/dunning-charges.js';
import { DomainError } from '../domain/errors.js';
import { lawOf } from '../domain/late-payment-law.js';
import { localDate } from '../domain/time-zones.js';
import { recordAudit } from './audit.js';
import { owedOnCharge } from './charge-payments.js';
import type { Db, DbOrTx } from './client.js';
import { getLegalEntity } from './legal-entities.js';
import { dunningCharges, invoices } from './schema.js';

// Fees and interest of dunning: posted with the level that charges them (db/dunning.ts), listed on letters and
// the statement, waived by finance.

export interface SkippedCharge {
  kind: DunningChargeKind;
  reason: string;
}

export type DunningCharge = typeof dunningCharges.$inferSelect;

/** Posts what the law lets the level charge on the invoice (domain/dunning-charges.ts); returns what it does not. */
export async function postCharges(
  tx: DbOrTx,
  input: {
    invoice: typeof invoices.$inferSelect;
    seller: string;
    debtor: DebtorKind;
    level: number;
    kinds: DunningChargeKind[];
    /** The level's instant: interest runs to its date in the seller's time zone, as the due date is. */
    reachedAt: string;
    principal: number;
  },
): Promise<SkippedCharge[]> {
  const { invoice } = input;
  const seller = await getLegalEntity(tx, input.seller);
  const date = localDate(input.reachedAt, seller.timeZone);
  const posted = await tx
    .select({ kind: dunningCharges.kind, amount: dunningCharges.amount })
    .from(dunningCharges)
    .where(eq(dunningCharges.invoiceId, invoice.id));
  const { charges, skipped } = chargesForLevel({
    kinds: input.kinds,
    level: input.level,
    date,
    invoice: { dueDate: invoice.dueDate, currency: invoice.currency, principal: input.principal },
    debtor: input.debtor,
    law: lawOf(seller.country),
    posted: posted.map((p) => ({ kind: p.kind as DunningChargeKind, amount: p.amount })),
  });
  if (charges.length > 0) {
    await tx.insert(dunningCharges).values(
      charges.map((c) => ({
        id: randomUUID(),
        invoiceId: invoice.id,
        customerId: invoice.customerId,
        legalEntity: input.seller,
        level: input.level,
        kind: c.kind,
        amount: c.amount,
        currency: invoice.currency,
        basis: c.basis,
        postedOn: date,
      })),
    );
  }
  return skipped;
}

/**
 * What a customer owes on open charges per invoice, one sum per kind (interest of several levels is one line on a
 * letter); a charge paid in part counts with what is left.
 */
export async function openChargesByInvoice(tx: DbOrTx, customerId: string) {
  const rows = await tx
    .select({
      invoiceId: dunningCharges.invoiceId,
      kind: dunningCharges.kind,
      amount: sql<number>`sum(${owedOnCharge()})`.mapWith(Number),
    })
    .from(dunningCharges)
    .where(and(eq(dunningCharges.customerId, customerId), eq(dunningCharges.status, 'open')))
    .groupBy(dunningCharges.invoiceId, dunningCharges.kind)
    .orderBy(dunningCharges.kind);
  const byInvoice = new Map<string, { kind: DunningChargeKind; amount: number }[]>();
  for (const { invoiceId, kind, amount } of rows) {
    byInvoice.set(invoiceId, [...(byInvoice.get(invoiceId) ?? []), { kind: kind as DunningChargeKind, amount }]);
  }
  return byInvoice;
}

/** A customer's charges, oldest first, each with what is still owed of it. */
export async function chargesOf(db: DbOrTx, customerId: string, filter: { status?: string } = {}) {
  const rows = await db
    .select({ charge: dunningCharges, invoiceNumber: invoices.number, owed: owedOnCharge().mapWith(Number) })
    .from(dunningCharges)
    .innerJoin(invoices, eq(invoices.id, dunningCharges.invoiceId))
    .where(
      and(
        eq(dunningCharges.customerId, customerId),
        filter.status ? eq(dunningCharges.status, filter.status) : undefined,
      ),
    )
    .orderBy(dunningCharges.postedOn, dunningCharges.level, dunningCharges.kind);
  return rows.map(({ charge, invoiceNumber, owed }) => ({
    ...charge,
    invoiceNumber,
    owed: charge.status === 'open' ? owed : 0,
  }));
}

/**
 * Waives an open charge, or what is left of one paid in part (a goodwill decision), audited with who and why;
 * waiving it again changes nothing, a paid one is refused.
 */
export async function waiveCharge(
  db: Db,
  chargeId: string,
  input: { reason: string; actor: string },
): Promise<DunningCharge> {
  return db.transaction(async (tx) => {
    const [charge] = await tx.select().from(dunningCharges).where(eq(dunningCharges.id, chargeId)).for('update');
    if (!charge) throw new DomainError('NOT_FOUND', `No dunning charge ${chargeId}`);
    if (charge.status === 'waived') return charge;
    if (charge.status === 'paid') throw new DomainError('CHARGE_PAID', `Dunning charge ${chargeId} is paid`);
    const [waived] = await tx
      .update(dunningCharges)
      .set({ status: 'waived', waivedBy: input.actor, waivedReason: input.reason })
      .where(eq(dunningCharges.id, chargeId))
      .returning();
    await recordAudit(tx, {
      decisionKey: `dunning-charge:${chargeId}:waive`,
      actor: input.actor,
      action: 'dunning_charge.waive',
      entityType: 'invoice',
      entityId: charge.invoiceId,
      reason: input.reason,
      details: { chargeId, kind: charge.kind, level: charge.level, amount: charge.amount, currency: charge.currency },
    });
    return waived!;
  });
}
