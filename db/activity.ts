import { and, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import {
  allocations,
  collectionTasks,
  disputes,
  dunningLetters,
  invoices,
  orders,
  paymentPromises,
  payments,
} from './schema.js';

export const ACCOUNT_EVENT_KINDS = [
  'order_placed',
  'invoice_issued',
  'credit_note_issued',
  'payment_received',
  'payment_reversed',
  'letter_sent',
  'call_logged',
  'dispute_opened',
  'dispute_resolved',
  'promise_recorded',
  'promise_settled',
] as const;
export type AccountEventKind = (typeof ACCOUNT_EVENT_KINDS)[number];

/** One thing that happened on a customer's account, in one shape so a timeline can list them together. */
export interface AccountEvent {
  at: string;
  kind: AccountEventKind;
  orderId: string | null;
  invoiceId: string | null;
  invoiceNumber: string | null;
  paymentId: string | null;
  amount: number | null;
  currency: string | null;
  /**
   * What the kind needs said: the order's status, the payment's method, the reversal's reason, the letter's
   * level, the call's outcome, the dispute's reason or resolution, the promised day, how the promise ended.
   */
  detail: string | null;
  /** The person (or integration) who did it, where one did. */
  by: string | null;
}

const iso = (at: Date | string) => new Date(at).toISOString();
const none = {
  orderId: null,
  invoiceId: null,
  invoiceNumber: null,
  paymentId: null,
  amount: null,
  currency: null,
  detail: null,
  by: null,
};

type Row<T extends { $inferSelect: unknown }> = T['$inferSelect'];

const orderEvent = (o: Row<typeof orders>): AccountEvent => ({
  ...none,
  at: iso(o.createdAt),
  kind: 'order_placed',
  orderId: o.id,
  amount: o.total,
  currency: o.currency,
  detail: o.status,
});

const invoiceEvent = (i: Row<typeof invoices>): AccountEvent => ({
  ...none,
  at: iso(i.createdAt),
  kind: i.type === 'credit_note' ? 'credit_note_issued' : 'invoice_issued',
  orderId: i.orderId,
  invoiceId: i.id,
  invoiceNumber: i.number,
  amount: i.total,
  currency: i.currency,
  detail: i.type === 'credit_note' ? i.reason : i.dueDate,
});

/** A letter or a call, about the invoice named when the timeline is one order's. */
const letterEvent = (l: Row<typeof dunningLetters>, about?: InvoiceRef): AccountEvent => ({
  ...none,
  ...about,
  at: iso(l.runAt),
  kind: 'letter_sent',
  detail: l.levelName,
  by: l.sentTo,
});

const callEvent = (c: Row<typeof collectionTasks>, about?: InvoiceRef): AccountEvent => ({
  ...none,
  ...about,
  at: iso(c.completedAt!),
  kind: 'call_logged',
  detail: c.outcome,
  by: c.completedBy,
});

function disputeEvents(d: Row<typeof disputes>, invoiceNumber: string): AccountEvent[] {
  const about = { ...none, invoiceId: d.invoiceId, invoiceNumber, amount: d.amount, currency: d.currency };
  const opened: AccountEvent = {
    ...about,
    at: iso(d.openedAt),
    kind: 'dispute_opened',
    detail: d.reasonCode,
    by: d.openedBy,
  };
  if (!d.resolvedAt) return [opened];
  return [
    opened,
    { ...about, at: iso(d.resolvedAt), kind: 'dispute_resolved', detail: d.resolution, by: d.resolvedBy },
  ];
}

function promiseEvents(p: Row<typeof paymentPromises>, invoiceNumber: string): AccountEvent[] {
  const about = { ...none, invoiceId: p.invoiceId, invoiceNumber, amount: p.amount, currency: p.currency };
  const recorded: AccountEvent = {
    ...about,
    at: iso(p.createdAt),
    kind: 'promise_recorded',
    detail: p.promisedDate,
    by: p.recordedBy,
  };
  if (!p.settledAt) return [recorded];
  return [recorded, { ...about, at: iso(p.settledAt), kind: 'promise_settled', detail: p.status }];
}

const newestFirst = (events: AccountEvent[], limit: number) =>
  events.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);

/**
 * The customer's account as one timeline, newest first: orders, invoices and credit notes, payments and their
 * reversals, letters and calls, disputes and promises. Each source is read newest first up to `limit` rows, so
 * an account's whole history is never loaded; a dispute or promise begun before the newest `limit` of its kind
 * is left out with its later ending.
 */
export async function customerActivity(db: DbOrTx, customerId: string, limit: number): Promise<AccountEvent[]> {
  const [orderRows, invoiceRows, paymentRows, reversalRows, letterRows, callRows, disputeRows, promiseRows] =
    await Promise.all([
      db.select().from(orders).where(eq(orders.customerId, customerId)).orderBy(desc(orders.createdAt)).limit(limit),
      db
        .select()
        .from(invoices)
        .where(eq(invoices.customerId, customerId))
        .orderBy(desc(invoices.createdAt))
        .limit(limit),
      db
        .select()
        .from(payments)
        .where(eq(payments.customerId, customerId))
        .orderBy(desc(payments.receivedAt))
        .limit(limit),
      db
        .select()
        .from(payments)
        .where(and(eq(payments.customerId, customerId), isNotNull(payments.reversedAt)))
        .orderBy(desc(payments.reversedAt))
        .limit(limit),
      db
        .select()
        .from(dunningLetters)
        .where(eq(dunningLetters.customerId, customerId))
        .orderBy(desc(dunningLetters.runAt))
        .limit(limit),
      db
        .select()
        .from(collectionTasks)
        .where(and(eq(collectionTasks.customerId, customerId), eq(collectionTasks.status, 'done')))
        .orderBy(desc(collectionTasks.completedAt))
        .limit(limit),
      db
        .select({ dispute: disputes, invoiceNumber: invoices.number })
        .from(disputes)
        .innerJoin(invoices, eq(invoices.id, disputes.invoiceId))
        .where(eq(disputes.customerId, customerId))
        .orderBy(desc(disputes.openedAt))
        .limit(limit),
      db
        .select({ promise: paymentPromises, invoiceNumber: invoices.number })
        .from(paymentPromises)
        .innerJoin(invoices, eq(invoices.id, paymentPromises.invoiceId))
        .where(eq(paymentPromises.customerId, customerId))
        .orderBy(desc(paymentPromises.createdAt))
        .limit(limit),
    ]);

  return newestFirst(
    [
      ...orderRows.map(orderEvent),
      ...invoiceRows.map(invoiceEvent),
      ...paymentRows.map((p) => ({
        ...none,
        at: iso(p.receivedAt),
        kind: 'payment_received' as const,
        paymentId: p.id,
        amount: p.amount,
        currency: p.currency,
        detail: p.method,
      })),
      ...reversalRows.map((p) => ({
        ...none,
        at: iso(p.reversedAt!),
        kind: 'payment_reversed' as const,
        paymentId: p.id,
        amount: p.amount,
        currency: p.currency,
        detail: p.reversalReason,
      })),
      ...letterRows.map((l) => letterEvent(l)),
      ...callRows.map((c) => callEvent(c)),
      ...disputeRows.flatMap(({ dispute, invoiceNumber }) => disputeEvents(dispute, invoiceNumber)),
      ...promiseRows.flatMap(({ promise, invoiceNumber }) => promiseEvents(promise, invoiceNumber)),
    ],
    limit,
  );
}

interface InvoiceRef {
  invoiceId: string;
  invoiceNumber: string;
}

/** The first of the order's invoices a letter's or a call's items list (jsonb [{invoiceId, ...}]). */
function firstOfOrder(items: unknown, ofOrder: Map<string, Row<typeof invoices>>): InvoiceRef | undefined {
  for (const item of items as { invoiceId: string }[]) {
    const invoice = ofOrder.get(item.invoiceId);
    if (invoice) return { invoiceId: invoice.id, invoiceNumber: invoice.number };
  }
  return undefined;
}

/**
 * What followed one order, newest first: its invoices and credit notes, what payments applied to them (each for
 * the part this order's invoice got) and what reversals took back, the letters and calls that named them, their
 * disputes and promises. An order has few invoices; at most `limit` events; undefined for an unknown order.
 */
export async function orderActivity(db: DbOrTx, orderId: string, limit: number): Promise<AccountEvent[] | undefined> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) return undefined;
  const invoiceRows = await db.select().from(invoices).where(eq(invoices.orderId, orderId));
  if (invoiceRows.length === 0) return [orderEvent(order)];
  const ids = invoiceRows.map((i) => i.id);
  const ofOrder = new Map(invoiceRows.map((i) => [i.id, i]));
  const names = (items: typeof dunningLetters.items | typeof collectionTasks.items): SQL =>
    sql`exists (select 1 from jsonb_array_elements(${items}) item where item->>'invoiceId' in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}))`;
  const [applied, letterRows, callRows, disputeRows, promiseRows] = await Promise.all([
    db
      .select({ allocation: allocations, method: payments.method, reversalReason: payments.reversalReason })
      .from(allocations)
      .innerJoin(payments, eq(payments.id, allocations.paymentId))
      .where(inArray(allocations.invoiceId, ids))
      .orderBy(desc(allocations.createdAt))
      .limit(limit),
    db
      .select()
      .from(dunningLetters)
      .where(and(eq(dunningLetters.customerId, order.customerId), names(dunningLetters.items)))
      .orderBy(desc(dunningLetters.runAt))
      .limit(limit),
    db
      .select()
      .from(collectionTasks)
      .where(
        and(
          eq(collectionTasks.customerId, order.customerId),
          eq(collectionTasks.status, 'done'),
          names(collectionTasks.items),
        ),
      )
      .orderBy(desc(collectionTasks.completedAt))
      .limit(limit),
    db.select().from(disputes).where(inArray(disputes.invoiceId, ids)),
    db.select().from(paymentPromises).where(inArray(paymentPromises.invoiceId, ids)),
  ]);
  return newestFirst(
    [
      orderEvent(order),
      ...invoiceRows.map(invoiceEvent),
      ...applied.map(({ allocation: a, method, reversalReason }) => ({
        ...none,
        at: iso(a.createdAt),
        kind: a.kind === 'reversal' ? ('payment_reversed' as const) : ('payment_received' as const),
        invoiceId: a.invoiceId,
        invoiceNumber: ofOrder.get(a.invoiceId)!.number,
        paymentId: a.paymentId,
        amount: Math.abs(a.amount),
        currency: ofOrder.get(a.invoiceId)!.currency,
        detail: a.kind === 'reversal' ? reversalReason : method,
      })),
      ...letterRows.map((l) => letterEvent(l, firstOfOrder(l.items, ofOrder))),
      ...callRows.map((c) => callEvent(c, firstOfOrder(c.items, ofOrder))),
      ...disputeRows.flatMap((d) => disputeEvents(d, ofOrder.get(d.invoiceId)!.number)),
      ...promiseRows.flatMap((p) => promiseEvents(p, ofOrder.get(p.invoiceId)!.number)),
    ],
    limit,
  );
}
