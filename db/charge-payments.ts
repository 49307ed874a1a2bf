import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import { chargePayments, dunningCharges, invoices, unappliedCash } from './schema.js';

// Cash applied to dunning charges (fees and interest are receivables of their own). The cash comes out of the
// payment's unapplied cash, one negative `charge` entry there per charge payment here, so a payment still adds up
// to its allocations, its charge payments, its unapplied rest and its refunds.

/** What is still owed on a charge: its amount less the cash applied to it. */
export const owedOnCharge = () =>
  sql<number>`${dunningCharges.amount} - coalesce((select sum(${chargePayments.amount}) from ${chargePayments} where ${chargePayments.chargeId} = ${dunningCharges.id}), 0)`;

export interface PaidCharge {
  chargeId: string;
  invoiceId: string;
  invoiceNumber: string;
  kind: string;
  amount: number;
}

/**
 * Pays a customer's open charges from a payment's unapplied cash, oldest first, as far as `available` goes: only
 * those of `invoiceIds` when given. The charges are locked first and what they owe read after, in a statement of
 * its own (one that waited for a lock would read the snapshot it started with). `key` makes each entry once.
 */
export async function payCharges(
  tx: DbOrTx,
  input: {
    paymentId: string;
    customerId: string;
    currency: string;
    available: number;
    invoiceIds?: readonly string[];
    key: string;
  },
): Promise<PaidCharge[]> {
  if (input.available <= 0 || input.invoiceIds?.length === 0) return [];
  const open = and(
    eq(dunningCharges.customerId, input.customerId),
    eq(dunningCharges.currency, input.currency),
    eq(dunningCharges.status, 'open'),
    input.invoiceIds ? inArray(dunningCharges.invoiceId, [...input.invoiceIds]) : undefined,
  );
  const locked = await tx
    .select({ id: dunningCharges.id })
    .from(dunningCharges)
    .where(open)
    .orderBy(asc(dunningCharges.id))
    .for('update');
  if (locked.length === 0) return [];
  const charges = await tx
    .select({
      id: dunningCharges.id,
      invoiceId: dunningCharges.invoiceId,
      invoiceNumber: invoices.number,
      kind: dunningCharges.kind,
      owed: owedOnCharge().mapWith(Number),
    })
    .from(dunningCharges)
    .innerJoin(invoices, eq(invoices.id, dunningCharges.invoiceId))
    .where(
      inArray(
        dunningCharges.id,
        locked.map((c) => c.id),
      ),
    )
    .orderBy(asc(dunningCharges.postedOn), asc(dunningCharges.level), asc(dunningCharges.kind));
  const paid: PaidCharge[] = [];
  let left = input.available;
  for (const charge of charges) {
    if (left === 0) break;
    const amount = Math.min(left, charge.owed);
    if (amount <= 0) continue;
    await tx.insert(unappliedCash).values({
      paymentId: input.paymentId,
      customerId: input.customerId,
      amount: -amount,
      currency: input.currency,
      kind: 'charge',
      invoiceId: charge.invoiceId,
      entryKey: `${input.key}:charge:${charge.id}`,
    });
    await tx.insert(chargePayments).values({
      chargeId: charge.id,
      paymentId: input.paymentId,
      amount,
      kind: 'applied',
      entryKey: `${input.key}:charge-payment:${charge.id}`,
    });
    if (amount === charge.owed) {
      await tx.update(dunningCharges).set({ status: 'paid' }).where(eq(dunningCharges.id, charge.id));
    }
    paid.push({
      chargeId: charge.id,
      invoiceId: charge.invoiceId,
      invoiceNumber: charge.invoiceNumber,
      kind: charge.kind,
      amount,
    });
    left -= amount;
  }
  return paid;
}

/**
 * A returned payment takes back what it paid on charges: a negative charge payment each, the cash back into its
 * unapplied cash (whence the reversal takes it), and the charges open again.
 */
export async function reverseChargePayments(tx: DbOrTx, paymentId: string, key: string): Promise<void> {
  const net = await tx
    .select({
      chargeId: chargePayments.chargeId,
      amount: sql<number>`sum(${chargePayments.amount})`.mapWith(Number),
    })
    .from(chargePayments)
    .where(eq(chargePayments.paymentId, paymentId))
    .groupBy(chargePayments.chargeId)
    .orderBy(asc(chargePayments.chargeId));
  for (const { chargeId, amount } of net) {
    if (amount === 0) continue;
    const [charge] = await tx.select().from(dunningCharges).where(eq(dunningCharges.id, chargeId)).for('update');
    await tx.insert(chargePayments).values({
      chargeId,
      paymentId,
      amount: -amount,
      kind: 'reversal',
      entryKey: `${key}:charge-payment:${chargeId}`,
    });
    await tx.insert(unappliedCash).values({
      paymentId,
      customerId: charge!.customerId,
      amount,
      currency: charge!.currency,
      kind: 'charge_reversed',
      invoiceId: charge!.invoiceId,
      entryKey: `${key}:charge:${chargeId}`,
    });
    if (charge!.status === 'paid') {
      await tx.update(dunningCharges).set({ status: 'open' }).where(eq(dunningCharges.id, chargeId));
    }
  }
}

/** What a payment paid on charges, per charge (reversed ones net to nothing and are left out). */
export async function chargesPaidBy(tx: DbOrTx, paymentIds: readonly string[]) {
  if (paymentIds.length === 0) return [];
  const rows = await tx
    .select({
      paymentId: chargePayments.paymentId,
      chargeId: chargePayments.chargeId,
      invoiceId: dunningCharges.invoiceId,
      invoiceNumber: invoices.number,
      kind: dunningCharges.kind,
      amount: sql<number>`sum(${chargePayments.amount})`.mapWith(Number),
    })
    .from(chargePayments)
    .innerJoin(dunningCharges, eq(dunningCharges.id, chargePayments.chargeId))
    .innerJoin(invoices, eq(invoices.id, dunningCharges.invoiceId))
    .where(inArray(chargePayments.paymentId, [...paymentIds]))
    .groupBy(
      chargePayments.paymentId,
      chargePayments.chargeId,
      dunningCharges.invoiceId,
      invoices.number,
      dunningCharges.kind,
    )
    .orderBy(chargePayments.paymentId, invoices.number, dunningCharges.kind);
  return rows.filter((r) => r.amount !== 0);
}
