import { and, asc, eq } from 'drizzle-orm';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { invoices, paymentPromises } from './schema.js';

export type PaymentPromise = typeof paymentPromises.$inferSelect;

/** Records a promise to pay once (a repeated id returns the first), audited with who took it. */
export async function recordPromise(
  db: Db,
  input: {
    promiseId: string;
    invoiceId: string;
    promisedDate: string;
    amount: number;
    note: string;
    waitUntil: string;
    actor: string;
  },
): Promise<PaymentPromise> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(paymentPromises).where(eq(paymentPromises.id, input.promiseId));
    if (existing) return existing;
    const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, input.invoiceId));
    if (!invoice) throw new Error(`Invoice ${input.invoiceId} does not exist`);
    const [promise] = await tx
      .insert(paymentPromises)
      .values({
        id: input.promiseId,
        invoiceId: input.invoiceId,
        customerId: invoice.customerId,
        promisedDate: input.promisedDate,
        amount: input.amount,
        currency: invoice.currency,
        note: input.note,
        waitUntil: input.waitUntil,
        status: 'open',
        recordedBy: input.actor,
      })
      .returning();
    await recordAudit(tx, {
      decisionKey: `promise:${input.promiseId}:record`,
      actor: input.actor,
      action: 'promise.record',
      entityType: 'payment_promise',
      entityId: input.promiseId,
      reason: input.note,
      details: { invoiceId: input.invoiceId, promisedDate: input.promisedDate, amount: input.amount },
    });
    return promise!;
  });
}

/** Closes an open promise once: kept, broken, or cancelled (the invoice was credited, nothing left to pay). */
export async function settlePromise(
  db: DbOrTx,
  input: { promiseId: string; outcome: 'kept' | 'broken' | 'cancelled'; at: string },
): Promise<void> {
  await db
    .update(paymentPromises)
    .set({ status: input.outcome, settledAt: input.at })
    .where(and(eq(paymentPromises.id, input.promiseId), eq(paymentPromises.status, 'open')));
}

export async function promisesOf(db: DbOrTx, invoiceId: string): Promise<PaymentPromise[]> {
  return db
    .select()
    .from(paymentPromises)
    .where(eq(paymentPromises.invoiceId, invoiceId))
    .orderBy(asc(paymentPromises.createdAt));
}
