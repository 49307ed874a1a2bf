import { and, asc, eq, sql } from 'drizzle-orm';
import {
  DEFAULT_CREDIT_POLICY,
  beyondHardLimit,
  decideCredit,
  type CreditCheckInputs,
  type CreditDecision,
  type CreditPolicy,
  type RiskClass,
} from '../domain/credit-control.js';
import { DomainError } from '../domain/errors.js';
import { formatMoney } from '../domain/money.js';
import type { CreditDecisionKind } from '../domain/order-status.js';
import { isoDate } from '../domain/payment-terms.js';
import { riskClassOf } from '../domain/risk.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { openBalance } from './invoices.js';
import { allocations, customers, invoices, orderLines, orders, unappliedCash } from './schema.js';

export interface StoredCreditDecision extends CreditDecision {
  /** Everything the decision was made on, so it can be explained later. */
  inputs: CreditCheckInputs;
  policy: CreditPolicy;
  checkedAt: string;
}

/**
 * The customer's exposure buckets and payment facts as of `today` (YYYY-MM-DD), the order `excludeOrderId`
 * excluded. One basis for every bucket: what the customer owes or will owe, VAT included, after discounts.
 * - receivables: the open balance of open invoices (a credited or settled invoice owes nothing);
 * - orders whose credit cleared and that have not ended: what they shipped and nobody invoiced yet, and what
 *   they have still to ship, each valued at its order line's total with VAT. An order invoiced at order time
 *   (or for prepayment) is a receivable already and counts nothing here.
 */
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
    .where(and(eq(invoices.customerId, customerId), eq(invoices.type, 'invoice'), eq(invoices.status, 'open')));
  const [cash] = await tx
    .select({ total: sql<number>`coalesce(sum(${unappliedCash.amount}), 0)`.mapWith(Number) })
    .from(unappliedCash)
    .where(eq(unappliedCash.customerId, customerId));
  const [accepted] = await tx.execute<{ uninvoiced_shipments: string; open_orders: string }>(sql`
    with accepted as (
      select o.id from orders o
      where o.customer_id = ${customerId} and o.credit_approved_at is not null
        and o.status not in ('cancelled', 'rejected', 'completed')
        and not exists (select 1 from invoices i where i.order_id = o.id and i.type = 'invoice' and i.shipment_id is null)
        ${excludeOrderId ? sql`and o.id <> ${excludeOrderId}` : sql``}
    ),
    ordered as (
      select ol.order_id, ol.sku, sum(ol.quantity) as quantity, sum(ol.total_with_vat) as total_with_vat
      from order_lines ol where ol.order_id in (select id from accepted) group by ol.order_id, ol.sku
    ),
    shipped as (
      select s.order_id, sl.sku, sum(sl.quantity) as shipped,
        coalesce(sum(sl.quantity) filter (where not exists (select 1 from invoices i where i.shipment_id = s.id)), 0) as uninvoiced
      from shipments s join shipment_lines sl on sl.shipment_id = s.id
      where s.order_id in (select id from accepted) and s.status in ('dispatched', 'delivered')
      group by s.order_id, sl.sku
    )
    select
      coalesce(sum(round(o.total_with_vat::numeric * coalesce(s.uninvoiced, 0) / o.quantity)), 0) as uninvoiced_shipments,
      coalesce(sum(round(o.total_with_vat::numeric * greatest(o.quantity - coalesce(s.shipped, 0), 0) / o.quantity)), 0) as open_orders
    from ordered o left join shipped s on s.order_id = o.order_id and s.sku = o.sku`);
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

/** What the order will be owed as, VAT included: the basis its exposure is checked on. */
async function orderTotalWithVat(tx: DbOrTx, orderId: string): Promise<number> {
  const [row] = await tx
    .select({ total: sql<number>`coalesce(sum(${orderLines.totalWithVat}), 0)`.mapWith(Number) })
    .from(orderLines)
    .where(eq(orderLines.orderId, orderId));
  return row!.total;
}

/** The order, and its customer's row locked: credit decisions of one customer are taken one after another. */
async function lockForDecision(tx: DbOrTx, orderId: string) {
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
  if (!order) throw new Error(`Order ${orderId} does not exist`);
  const [customer] = await tx.select().from(customers).where(eq(customers.id, order.customerId)).for('update');
  return { order, customer: customer! };
}

async function checkInputs(tx: DbOrTx, order: { id: string; customerId: string }, customer: Customer, now: Date) {
  return {
    account: {
      creditLimit: customer.creditLimit,
      riskClass: customer.riskClass as RiskClass,
      blocked: customer.creditBlocked,
    },
    orderTotal: await orderTotalWithVat(tx, order.id),
    ...(await creditFacts(tx, order.customerId, isoDate(now.getTime()), order.id)),
  } satisfies CreditCheckInputs;
}

type Customer = typeof customers.$inferSelect;

/**
 * Checks the order against the customer's credit and stores the decision; an approved order counts in the
 * customer's exposure from the same transaction on. The customer row is locked first, so concurrent orders of one
 * customer are decided one after another and two orders can never both pass on the same headroom. Re-running for
 * a decided order returns the stored decision. (The order's status is its workflow's to set.)
 */
export async function checkOrderCredit(
  db: Db,
  orderId: string,
  now: Date,
  policy: CreditPolicy = DEFAULT_CREDIT_POLICY,
): Promise<StoredCreditDecision> {
  return db.transaction(async (tx) => {
    const { order, customer } = await lockForDecision(tx, orderId);
    if (order.creditDecision) return order.creditDecision as StoredCreditDecision;
    const inputs = await checkInputs(tx, order, customer, now);
    const decision: StoredCreditDecision = {
      ...decideCredit(inputs, policy),
      inputs,
      policy,
      checkedAt: now.toISOString(),
    };
    await tx
      .update(orders)
      .set({ creditDecision: decision, ...(decision.outcome === 'approve' ? { creditApprovedAt: now } : {}) })
      .where(eq(orders.id, orderId));
    return decision;
  });
}

export interface CreditDecisionCommand {
  decision: CreditDecisionKind;
  reason: string;
  actor: string;
}

/** The exposure an approval was given on, shown to the controller who gave it. */
export interface ApprovalExposure {
  exposure: number;
  headroom: number;
}

/**
 * A credit controller's decision on a held order, recorded with who, when and why; applied once. An approval
 * re-checks exposure now, with everything approved since the hold: beyond the hard limit no controller may
 * approve (EXPOSURE_BEYOND_HARD_LIMIT; raise the limit first), and otherwise the exposure is recorded with it.
 */
export async function recordCreditDecision(
  db: Db,
  input: CreditDecisionCommand & { orderId: string; decisionKey: string },
  policy: CreditPolicy = DEFAULT_CREDIT_POLICY,
): Promise<ApprovalExposure | undefined> {
  return db.transaction(async (tx) => {
    const { order, customer } = await lockForDecision(tx, input.orderId);
    const stored = order.creditDecision as
      (StoredCreditDecision & { manual?: { atApproval?: ApprovalExposure } }) | null;
    if (stored?.manual) return stored.manual.atApproval; // recorded before: a retried activity
    const now = new Date();
    let atApproval: ApprovalExposure | undefined;
    if (input.decision !== 'reject') {
      const inputs = await checkInputs(tx, order, customer, now);
      const { exposure, headroom } = decideCredit(inputs, policy);
      if (input.decision === 'approve' && beyondHardLimit(exposure, inputs.account.creditLimit, policy)) {
        const money = (amount: number) => formatMoney({ amount, currency: customer.currency });
        throw new DomainError(
          'EXPOSURE_BEYOND_HARD_LIMIT',
          `With this order the customer's exposure would be ${money(exposure)}, beyond the hard limit of ${policy.rejectAbovePercentOfLimit} % of its ${money(customer.creditLimit)} credit limit; raise the limit first`,
          'decision',
        );
      }
      atApproval = { exposure, headroom };
    }
    await recordAudit(tx, {
      decisionKey: input.decisionKey,
      actor: input.actor,
      action: `credit.${input.decision}`,
      entityType: 'order',
      entityId: input.orderId,
      reason: input.reason,
      details: { creditCheck: order.creditDecision, ...(atApproval ? { atApproval } : {}) },
    });
    const manual = {
      decision: input.decision,
      reason: input.reason,
      actor: input.actor,
      decidedAt: now.toISOString(),
      atApproval,
    };
    await tx
      .update(orders)
      .set({
        creditDecision: { ...(order.creditDecision as object), manual },
        ...(input.decision !== 'reject' ? { creditApprovedAt: now } : {}),
      })
      .where(eq(orders.id, input.orderId));
    return atApproval;
  });
}

export interface CreditAccountView {
  customerId: string;
  currency: string;
  creditLimit: number;
  riskClass: RiskClass;
  riskClassSetBy: 'review' | 'finance';
  riskClassUntil: string | null;
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
    riskClassSetBy: customer.riskClassSetBy as 'review' | 'finance',
    riskClassUntil: customer.riskClassUntil,
    blocked: customer.creditBlocked,
    exposure: { ...facts.exposure, total },
    headroom: customer.creditLimit - total,
    oldestOverdueDays: facts.oldestOverdueDays,
    hasPaymentHistory: facts.hasPaymentHistory,
  };
}

export interface CreditAccountChange {
  creditLimit: number;
  /** A class finance sets (held until riskClassUntil, or until cleared), or `scored`: the review's class again. */
  riskClass: RiskClass | 'scored';
  riskClassUntil?: string | undefined;
  blocked: boolean;
}

/**
 * Changes a customer's credit terms; the audit log keeps the old and the new values, who and why. A risk class
 * finance names (a different one, or one with an end date) holds against the daily review; the same class
 * without an end date leaves it as it was; `scored` hands the class back to the review at once.
 */
export async function updateCreditAccount(
  db: Db,
  input: { customerId: string; change: CreditAccountChange; reason: string; actor: string; decisionKey: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, input.customerId)).for('update');
    if (!customer) return false;
    const { change } = input;
    const risk =
      change.riskClass === 'scored'
        ? {
            riskClass: customer.riskScore === null ? customer.riskClass : riskClassOf(customer.riskScore),
            riskClassSetBy: 'review',
            riskClassUntil: null,
          }
        : change.riskClass !== customer.riskClass || change.riskClassUntil !== undefined
          ? { riskClass: change.riskClass, riskClassSetBy: 'finance', riskClassUntil: change.riskClassUntil ?? null }
          : {};
    const old = {
      creditLimit: customer.creditLimit,
      riskClass: customer.riskClass,
      riskClassSetBy: customer.riskClassSetBy,
      riskClassUntil: customer.riskClassUntil,
      blocked: customer.creditBlocked,
    };
    const [updated] = await tx
      .update(customers)
      .set({ creditLimit: change.creditLimit, creditBlocked: change.blocked, ...risk })
      .where(eq(customers.id, input.customerId))
      .returning();
    await recordAudit(tx, {
      decisionKey: input.decisionKey,
      actor: input.actor,
      action: 'credit.account.update',
      entityType: 'customer',
      entityId: input.customerId,
      reason: input.reason,
      details: {
        old,
        new: {
          creditLimit: updated!.creditLimit,
          riskClass: updated!.riskClass,
          riskClassSetBy: updated!.riskClassSetBy,
          riskClassUntil: updated!.riskClassUntil,
          blocked: updated!.creditBlocked,
        },
      },
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

/** A hold nobody decided in time: a system entry in the audit log (the workflow cancels the order). */
export async function recordCreditHoldExpiry(db: Db, orderId: string, holdTime: string): Promise<void> {
  await recordAudit(db, {
    decisionKey: `credit-expiry:${orderId}`,
    actor: 'system',
    action: 'credit.hold.expired',
    entityType: 'order',
    entityId: orderId,
    reason: `no decision within ${holdTime}`,
  });
}
