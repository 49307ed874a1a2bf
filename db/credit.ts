import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { decideCredit, type CreditDecision } from '../domain/credit.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { allocations, customers, invoices, orders } from './schema.js';

/** Orders whose credit was granted but that are not invoiced yet: they use headroom without a receivable. */
const ACCEPTED_UNINVOICED = ['fulfilling'];

export interface StoredCreditDecision extends CreditDecision {
  creditLimit: number;
  openReceivables: number;
  openOrders: number;
  orderTotal: number;
  checkedAt: string;
}

/**
 * Checks the order against the customer's credit and moves it to `fulfilling` or `credit_hold` in the same
 * transaction. The customer row is locked first, so concurrent orders of one customer are decided one after
 * another and two orders can never both pass on the same headroom. Re-running for a decided order returns the
 * stored decision.
 */
export async function checkOrderCredit(db: Db, orderId: string, now: Date): Promise<StoredCreditDecision> {
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
    if (!order) throw new Error(`Order ${orderId} does not exist`);
    const [customer] = await tx.select().from(customers).where(eq(customers.id, order.customerId)).for('update');
    if (order.creditDecision) return order.creditDecision as StoredCreditDecision;

    const [receivables] = await tx.select({
      open: sql<number>`coalesce(sum(${invoices.total} - coalesce((select sum(${allocations.amount}) from ${allocations} where ${allocations.invoiceId} = ${invoices.id}), 0)), 0)`.mapWith(Number),
    }).from(invoices).where(and(eq(invoices.customerId, order.customerId), eq(invoices.status, 'open')));
    const [accepted] = await tx.select({ open: sql<number>`coalesce(sum(${orders.total}), 0)`.mapWith(Number) })
      .from(orders)
      .where(and(eq(orders.customerId, order.customerId), inArray(orders.status, ACCEPTED_UNINVOICED), ne(orders.id, orderId)));

    const inputs = {
      creditLimit: customer!.creditLimit,
      openReceivables: receivables?.open ?? 0,
      openOrders: accepted?.open ?? 0,
      orderTotal: order.total,
    };
    const decision: StoredCreditDecision = { ...decideCredit(inputs), ...inputs, checkedAt: now.toISOString() };
    await tx.update(orders).set({
      creditDecision: decision,
      status: decision.outcome === 'approve' ? 'fulfilling' : 'credit_hold',
      updatedAt: sql`now()`,
    }).where(eq(orders.id, orderId));
    return decision;
  });
}

export interface CreditDecisionCommand {
  decision: 'approve' | 'reject';
  reason: string;
  actor: string;
}

/** A credit controller's decision on a held order, recorded with who, when and why; applied once. */
export async function recordCreditDecision(
  db: Db,
  input: CreditDecisionCommand & { orderId: string; decisionKey: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, input.orderId)).for('update');
    if (!order) throw new Error(`Order ${input.orderId} does not exist`);
    await recordAudit(tx, {
      decisionKey: input.decisionKey,
      actor: input.actor,
      action: `credit.${input.decision}`,
      entityType: 'order',
      entityId: input.orderId,
      reason: input.reason,
      details: { creditCheck: order.creditDecision },
    });
    const manual = { decision: input.decision, reason: input.reason, actor: input.actor, decidedAt: new Date().toISOString() };
    await tx.update(orders).set({
      status: input.decision === 'approve' ? 'fulfilling' : 'rejected',
      statusReason: input.decision === 'reject' ? input.reason : null,
      creditDecision: { ...(order.creditDecision as object), manual },
      updatedAt: sql`now()`,
    }).where(and(eq(orders.id, input.orderId), eq(orders.status, 'credit_hold')));
  });
}
