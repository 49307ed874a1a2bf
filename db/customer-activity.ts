import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from './client.js';
import { collectionTasks, disputes, dunningLetters, invoices, orders, paymentPromises, payments } from './schema.js';

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

  const events: AccountEvent[] = [
    ...orderRows.map((o) => ({
      ...none,
      at: iso(o.createdAt),
      kind: 'order_placed' as const,
      orderId: o.id,
      amount: o.total,
      currency: o.currency,
      detail: o.status,
    })),
    ...invoiceRows.map((i) => ({
      ...none,
      at: iso(i.createdAt),
      kind: i.type === 'credit_note' ? ('credit_note_issued' as const) : ('invoice_issued' as const),
      orderId: i.orderId,
      invoiceId: i.id,
      invoiceNumber: i.number,
      amount: i.total,
      currency: i.currency,
      detail: i.type === 'credit_note' ? i.reason : i.dueDate,
    })),
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
    ...letterRows.map((l) => ({
      ...none,
      at: iso(l.runAt),
      kind: 'letter_sent' as const,
      detail: l.levelName,
      by: l.sentTo,
    })),
    ...callRows.map((c) => ({
      ...none,
      at: iso(c.completedAt!),
      kind: 'call_logged' as const,
      detail: c.outcome,
      by: c.completedBy,
    })),
    ...disputeRows.flatMap(({ dispute: d, invoiceNumber }) => {
      const about = { ...none, invoiceId: d.invoiceId, invoiceNumber, amount: d.amount, currency: d.currency };
      const opened = {
        ...about,
        at: iso(d.openedAt),
        kind: 'dispute_opened' as const,
        detail: d.reasonCode,
        by: d.openedBy,
      };
      if (!d.resolvedAt) return [opened];
      const resolved = {
        ...about,
        at: iso(d.resolvedAt),
        kind: 'dispute_resolved' as const,
        detail: d.resolution,
        by: d.resolvedBy,
      };
      return [opened, resolved];
    }),
    ...promiseRows.flatMap(({ promise: p, invoiceNumber }) => {
      const about = { ...none, invoiceId: p.invoiceId, invoiceNumber, amount: p.amount, currency: p.currency };
      const recorded = {
        ...about,
        at: iso(p.createdAt),
        kind: 'promise_recorded' as const,
        detail: p.promisedDate,
        by: p.recordedBy,
      };
      if (!p.settledAt) return [recorded];
      return [recorded, { ...about, at: iso(p.settledAt), kind: 'promise_settled' as const, detail: p.status }];
    }),
  ];
  return events.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
}
