import { and, asc, eq, sql } from 'drizzle-orm';
import {
  DEFAULT_CREDIT_POLICY,
  decideCredit,
  type CreditCheckInputs,
  type CreditDecision,
  type CreditPolicy,
  type RiskClass,
} from '../domain/credit.js';
import { STATUS_AFTER_CREDIT_DECISION, type CreditDecisionKind } from '../domain/order-status.js';
import { isoDate } from '../domain/payment-terms.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { openBalance } from './invoices.js';
import { allocations, customers, invoices, orders, unappliedCash } from './schema.js';

export interface StoredCreditDecision extends CreditDecision {
  /** Everything the decision was made on, so it can be explained later. */
  inputs: CreditCheckInputs;
  policy: CreditPolicy;
  checkedAt: string;
}

const STATUS_AFTER: Record<CreditDecision['outcome'], string> = {
  approve: 'fulfilling',
  hold: 'credit_hold',
  reject: 'rejected',
};

/** The customer's exposure buckets and payment facts as of `today` (YYYY-MM-DD), the order being checked excluded. */
export async function creditFacts(tx: DbOrTx, customerId: string, today: string, excludeOrderId?: string) {
  const balance = openBalance();
  const [receivables] = await tx
    .select({
      notDue: sql<number>`coalesce(sum(${balance}) filter (where ${invoices.dueDate} >= ${today}), 0)`.mapWith(Number),
      overdue: sql<number>`coalesce(sum(${balance}) filter (where ${invoices.dueDate} < ${today}), 0)`.mapWith(Number),
      oldestDue: sql<
        string | null
      >`min(${invoices.dueDate}) filter (where ${invoices.dueDate} < ${today} and ${balance} > 0)`,
    })
    .from(invoices)
    .where(and(eq(invoices.customerId, customerId), eq(invoices.status, 'open')));
  const [cash] = await tx
    .select({ total: sql<number>`coalesce(sum(${unappliedCash.amount}), 0)`.mapWith(Number) })
    .from(unappliedCash)
    .where(eq(unappliedCash.customerId, customerId));
  // Accepted orders still in fulfilment: what is not invoiced yet, split into shipped (by shipment value at order
  // prices) and not yet shipped. A prepaid order is invoiced in full already.
  const [accepted] = await tx.execute<{ uninvoiced_shipments: string; open_orders: string }>(sql`
    select coalesce(sum(x.shipped), 0) as uninvoiced_shipments, coalesce(sum(x.remaining - x.shipped), 0) as open_orders
    from (
      select o.total - coalesce((select sum(coalesce(i.net_total, i.total)) from invoices i where i.order_id = o.id and i.type = 'invoice'), 0) as remaining,
        case when exists (select 1 from invoices i where i.order_id = o.id and i.shipment_id is null) then 0 else
          coalesce((select sum(sl.quantity * (select ol.unit_price from order_lines ol where ol.order_id = o.id and ol.sku = sl.sku order by ol.line_no limit 1))
            from shipments s join shipment_lines sl on sl.shipment_id = s.id
            where s.order_id = o.id and s.status in ('dispatched', 'delivered')
              and not exists (select 1 from invoices i where i.shipment_id = s.id)), 0)
        end as shipped
      from orders o
      where o.customer_id = ${customerId} and o.status = 'fulfilling' ${excludeOrderId ? sql`and o.id <> ${excludeOrderId}` : sql``}
    ) x`);
  const [paid] = await tx
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(allocations)
    .innerJoin(invoices, eq(invoices.id, allocations.invoiceId))
    .where(eq(invoices.customerId, customerId));
  const oldestDue = receivables?.oldestDue;
  return {
    exposure: {
      notDue: (receivables?.notDue ?? 0) - (cash?.total ?? 0),
      overdue: receivables?.overdue ?? 0,
      uninvoicedShipments: Number(accepted?.uninvoiced_shipments ?? 0),
      openOrders: Number(accepted?.open_orders ?? 0),
    },
    oldestOverdueDays: oldestDue ? Math.round((Date.parse(today) - Date.parse(oldestDue)) / 86_400_000) : 0,
    hasPaymentHistory: (paid?.n ?? 0) > 0,
  };
}

/**
 * Checks the order against the customer's credit and moves it to `fulfilling`, `credit_hold` or `rejected` in
 * the same transaction. The customer row is locked first, so concurrent orders of one customer are decided one
 * after another and two orders can never both pass on the same headroom. Re-running for a decided order
 * returns the stored decision.
 */
export async function checkOrderCredit(
  db: Db,
  orderId: string,
  now: Date,
  policy: CreditPolicy = DEFAULT_CREDIT_POLICY,
): Promise<StoredCreditDecision> {
  return db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
    if (!order) throw new Error(`Order ${orderId} does not exist`);
    const [customer] = await tx.select().from(customers).where(eq(customers.id, order.customerId)).for('update');
    if (order.creditDecision) return order.creditDecision as StoredCreditDecision;

    const inputs: CreditCheckInputs = {
      account: {
        creditLimit: customer!.creditLimit,
        riskClass: customer!.riskClass as RiskClass,
        blocked: customer!.creditBlocked,
      },
      orderTotal: order.total,
      ...(await creditFacts(tx, order.customerId, isoDate(now.getTime()), orderId)),
    };
    const decision: StoredCreditDecision = {
      ...decideCredit(inputs, policy),
      inputs,
      policy,
      checkedAt: now.toISOString(),
    };
    await tx
      .update(orders)
      .set({
        creditDecision: decision,
        status: STATUS_AFTER[decision.outcome],
        statusReason: decision.outcome === 'reject' ? 'credit refused: exposure beyond the hard credit limit' : null,
        updatedAt: sql`now()`,
      })
      .where(eq(orders.id, orderId));
    return decision;
  });
}

export interface CreditDecisionCommand {
  decision: CreditDecisionKind;
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
    const manual = {
      decision: input.decision,
      reason: input.reason,
      actor: input.actor,
      decidedAt: new Date().toISOString(),
    };
    await tx
      .update(orders)
      .set({
        status: STATUS_AFTER_CREDIT_DECISION[input.decision],
        statusReason: input.decision === 'reject' ? input.reason : null,
        creditDecision: { ...(order.creditDecision as object), manual },
        updatedAt: sql`now()`,
      })
      .where(and(eq(orders.id, input.orderId), eq(orders.status, 'credit_hold')));
  });
}

export interface CreditAccountView {
  customerId: string;
  currency: string;
  creditLimit: number;
  riskClass: RiskClass;
  blocked: boolean;
  exposure: CreditCheckInputs['exposure'] & { total: number };
  headroom: number;
  oldestOverdueDays: number;
  hasPaymentHistory: boolean;
}

export async function getCreditAccount(
  db: DbOrTx,
  customerId: string,
  today: string,
): Promise<CreditAccountView | undefined> {
  const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
  if (!customer) return undefined;
  const facts = await creditFacts(db, customerId, today);
  const total =
    facts.exposure.notDue + facts.exposure.overdue + facts.exposure.uninvoicedShipments + facts.exposure.openOrders;
  return {
    customerId,
    currency: customer.currency,
    creditLimit: customer.creditLimit,
    riskClass: customer.riskClass as RiskClass,
    blocked: customer.creditBlocked,
    exposure: { ...facts.exposure, total },
    headroom: customer.creditLimit - total,
    oldestOverdueDays: facts.oldestOverdueDays,
    hasPaymentHistory: facts.hasPaymentHistory,
  };
}

export interface CreditAccountChange {
  creditLimit: number;
  riskClass: RiskClass;
  blocked: boolean;
}

/** Changes a customer's credit terms; the audit log keeps the old and the new values, who and why. */
export async function updateCreditAccount(
  db: Db,
  input: { customerId: string; change: CreditAccountChange; reason: string; actor: string; decisionKey: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, input.customerId)).for('update');
    if (!customer) return false;
    const old: CreditAccountChange = {
      creditLimit: customer.creditLimit,
      riskClass: customer.riskClass as RiskClass,
      blocked: customer.creditBlocked,
    };
    await tx
      .update(customers)
      .set({
        creditLimit: input.change.creditLimit,
        riskClass: input.change.riskClass,
        creditBlocked: input.change.blocked,
      })
      .where(eq(customers.id, input.customerId));
    await recordAudit(tx, {
      decisionKey: input.decisionKey,
      actor: input.actor,
      action: 'credit.account.update',
      entityType: 'customer',
      entityId: input.customerId,
      reason: input.reason,
      details: { old, new: input.change },
    });
    return true;
  });
}

export interface CreditHold {
  orderId: string;
  customerId: string;
  customerName: string;
  total: number;
  currency: string;
  heldSince: string;
  reasons: string[];
  score: number;
  exposure: number;
  creditLimit: number;
}

/** The credit controllers' queue: orders on hold, oldest first, with what the decision was based on. */
export async function listCreditHolds(db: DbOrTx, limit: number): Promise<CreditHold[]> {
  const rows = await db
    .select({ order: orders, customerName: customers.name })
    .from(orders)
    .innerJoin(customers, eq(customers.id, orders.customerId))
    .where(eq(orders.status, 'credit_hold'))
    .orderBy(sql`${orders.creditDecision}->>'checkedAt'`, asc(orders.createdAt))
    .limit(limit);
  return rows.map(({ order, customerName }) => {
    const decision = order.creditDecision as StoredCreditDecision;
    return {
      orderId: order.id,
      customerId: order.customerId,
      customerName,
      total: order.total,
      currency: order.currency,
      heldSince: decision.checkedAt,
      reasons: decision.reasons,
      score: decision.score,
      exposure: decision.exposure,
      creditLimit: decision.inputs.account.creditLimit,
    };
  });
}

/** The facts an escalation mail needs; undefined once the order left credit_hold. */
export async function heldOrderSummary(db: DbOrTx, orderId: string) {
  const [row] = await db
    .select({ order: orders, customerName: customers.name })
    .from(orders)
    .innerJoin(customers, eq(customers.id, orders.customerId))
    .where(and(eq(orders.id, orderId), eq(orders.status, 'credit_hold')));
  if (!row) return undefined;
  const decision = row.order.creditDecision as StoredCreditDecision;
  return {
    orderId,
    customerName: row.customerName,
    total: row.order.total,
    currency: row.order.currency,
    reasons: decision.reasons,
    heldSince: decision.checkedAt,
  };
}

/** Cancels a hold nobody decided in time, with a system entry in the audit log. */
export async function expireCreditHold(db: Db, orderId: string, holdTime: string): Promise<void> {
  await db.transaction(async (tx) => {
    const expired = await tx
      .update(orders)
      .set({ status: 'cancelled', statusReason: 'credit hold not decided in time', updatedAt: sql`now()` })
      .where(and(eq(orders.id, orderId), eq(orders.status, 'credit_hold')))
      .returning({ id: orders.id });
    if (expired.length === 0) return;
    await recordAudit(tx, {
      decisionKey: `credit-expiry:${orderId}`,
      actor: 'system',
      action: 'credit.hold.expired',
      entityType: 'order',
      entityId: orderId,
      reason: `no decision within ${holdTime}`,
    });
  });
}
