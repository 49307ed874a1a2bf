import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { DomainError } from '../domain/errors.js';
import { formatMoney } from '../domain/money.js';
import { recordAudit } from './audit.js';
import { payCharges, reverseChargePayments, type PaidCharge } from './charge-payments.js';
import type { Db, DbOrTx } from './client.js';
import { openBalance } from './invoices.js';
import { learnPayerAccount } from './payments.js';
import { allocations, invoices, payments, unappliedCash, writeOffs } from './schema.js';

// What people (and the returns of banks) do with cash after it was received: resolve an exception, apply a
// customer's unapplied cash, refund it, reverse a returned payment. Each in one transaction, audited, and written
// to the append-only ledgers so no cent appears or disappears.

/** An invoice whose balance changed: its receivable re-reads it (or, reopened, starts again). */
export interface TouchedInvoice {
  invoiceId: string;
  workflowId: string;
  orderId: string;
  /** It had been settled: its receivable's workflow has closed and must start again, where dunning stood. */
  reopened: boolean;
  dueDate: string;
  dunningLevel: number;
}

type Payment = typeof payments.$inferSelect;

const touchedOf = (
  i: { id: string; workflowId: string; orderId: string; dueDate: string; dunningLevel: number },
  reopened: boolean,
): TouchedInvoice => ({
  invoiceId: i.id,
  workflowId: i.workflowId,
  orderId: i.orderId,
  reopened,
  dueDate: i.dueDate,
  dunningLevel: i.dunningLevel,
});

async function lockPayment(tx: DbOrTx, paymentId: string): Promise<Payment> {
  const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for('update');
  if (!payment) throw new DomainError('NOT_FOUND', `No payment with id ${paymentId}`);
  return payment;
}

/** The unapplied cash left of a payment, per customer (null: suspense). */
async function unappliedOf(tx: DbOrTx, paymentId: string) {
  return tx
    .select({ customerId: unappliedCash.customerId, amount: sql<number>`sum(${unappliedCash.amount})`.mapWith(Number) })
    .from(unappliedCash)
    .where(eq(unappliedCash.paymentId, paymentId))
    .groupBy(unappliedCash.customerId);
}

/**
 * Invoices locked in id order, then their balances read in a statement of their own: one that waited for a lock
 * would still read the snapshot it started with.
 */
async function lockInvoices(tx: DbOrTx, invoiceIds: readonly string[]) {
  if (invoiceIds.length === 0) return [];
  const ids = [...new Set(invoiceIds)].sort();
  await tx
    .select({ id: invoices.id })
    .from(invoices)
    .where(inArray(invoices.id, ids))
    .orderBy(asc(invoices.id))
    .for('update');
  return tx
    .select({
      id: invoices.id,
      number: invoices.number,
      customerId: invoices.customerId,
      currency: invoices.currency,
      orderId: invoices.orderId,
      workflowId: invoices.workflowId,
      type: invoices.type,
      status: invoices.status,
      dueDate: invoices.dueDate,
      dunningLevel: invoices.dunningLevel,
      balance: openBalance(),
    })
    .from(invoices)
    .where(inArray(invoices.id, ids))
    .orderBy(asc(invoices.id));
}

/**
 * Moves `amount` of a payment's unapplied cash onto an invoice: an applied entry out of unapplied cash and an
 * allocation in, one pair per key. Suspense cash is first assigned to the invoice's customer.
 */
async function allocateFromUnapplied(
  tx: DbOrTx,
  payment: Payment,
  invoice: { id: string; customerId: string },
  amount: number,
  kind: 'manual' | 'unapplied',
  key: string,
): Promise<void> {
  const owner = payment.customerId ?? null;
  if (owner === null) await assignSuspense(tx, payment, invoice.customerId, key);
  await tx.insert(unappliedCash).values({
    paymentId: payment.id,
    customerId: invoice.customerId,
    amount: -amount,
    currency: payment.currency,
    kind: 'applied',
    invoiceId: invoice.id,
    entryKey: `${key}:applied:${invoice.id}`,
  });
  await tx.insert(allocations).values({
    paymentId: payment.id,
    invoiceId: invoice.id,
    amount,
    kind,
    entryKey: `${key}:allocation:${invoice.id}`,
  });
}

/** Suspense cash of an unknown payer becomes the customer's once a person said whose it is. */
async function assignSuspense(tx: DbOrTx, payment: Payment, customerId: string, key: string): Promise<void> {
  const [suspense] = (await unappliedOf(tx, payment.id)).filter((u) => u.customerId === null);
  if (suspense && suspense.amount > 0) {
    await tx.insert(unappliedCash).values([
      {
        paymentId: payment.id,
        customerId: null,
        amount: -suspense.amount,
        currency: payment.currency,
        kind: 'assigned',
        entryKey: `${key}:assign-out`,
      },
      {
        paymentId: payment.id,
        customerId,
        amount: suspense.amount,
        currency: payment.currency,
        kind: 'assigned',
        entryKey: `${key}:assign-in`,
      },
    ]);
  }
  await tx.update(payments).set({ customerId }).where(eq(payments.id, payment.id));
  payment.customerId = customerId;
}

export type ExceptionResolution =
  | { allocations: { invoiceId: string; amount: number }[] }
  | { action: 'on_account'; customerId?: string }
  | { action: 'refund' };

/**
 * A person resolves an exception: splits the payment over invoices (each at most its balance, together at most the
 * payment's unapplied cash, all of one customer), puts it on a customer's account, or refunds it. A manual match
 * teaches the payer's IBAN. Audited; once per payment.
 */
export async function resolveException(
  db: Db,
  input: { paymentId: string; resolution: ExceptionResolution; reason: string; actor: string },
): Promise<TouchedInvoice[]> {
  return db.transaction(async (tx) => {
    const payment = await lockPayment(tx, input.paymentId);
    if (payment.matchStatus !== 'exception' || payment.resolvedAt || payment.status !== 'received') {
      throw new DomainError('NOT_AN_EXCEPTION', `Payment ${payment.id} is not an open exception`);
    }
    const key = `resolve:${payment.id}`;
    const available = (await unappliedOf(tx, payment.id)).reduce((sum, u) => sum + u.amount, 0);
    const { resolution } = input;
    let touched: TouchedInvoice[] = [];
    if ('allocations' in resolution) {
      const locked = await lockInvoices(
        tx,
        resolution.allocations.map((a) => a.invoiceId),
      );
      const byId = new Map(locked.map((i) => [i.id, i]));
      const total = resolution.allocations.reduce((sum, a) => sum + a.amount, 0);
      if (total > available) {
        throw new DomainError(
          'ALLOCATION_EXCEEDS_PAYMENT',
          `The allocations (${total}) exceed what is left of the payment (${available})`,
          'allocations',
        );
      }
      const customersOf = new Set(locked.map((i) => i.customerId));
      if (
        customersOf.size > 1 ||
        (payment.customerId && !customersOf.has(payment.customerId) && customersOf.size === 1)
      ) {
        throw new DomainError(
          'ONE_CUSTOMER_ONLY',
          'A payment is allocated to invoices of one customer, its payer',
          'allocations',
        );
      }
      for (const [i, allocation] of resolution.allocations.entries()) {
        const invoice = byId.get(allocation.invoiceId);
        if (!invoice || invoice.type !== 'invoice')
          throw new DomainError('UNKNOWN_INVOICE', `No invoice ${allocation.invoiceId}`, `allocations.${i}.invoiceId`);
        if (invoice.currency !== payment.currency)
          throw new DomainError(
            'CURRENCY_MISMATCH',
            `Invoice ${invoice.number} is in ${invoice.currency}`,
            `allocations.${i}.invoiceId`,
          );
        if (allocation.amount > invoice.balance) {
          throw new DomainError(
            'ALLOCATION_EXCEEDS_BALANCE',
            `${invoice.number} has ${invoice.balance} open, not ${allocation.amount}`,
            `allocations.${i}.amount`,
          );
        }
        await allocateFromUnapplied(tx, payment, invoice, allocation.amount, 'manual', key);
        invoice.balance -= allocation.amount;
      }
      touched = locked.map((i) => touchedOf(i, false));
      const payer = payment.customerId ?? locked[0]?.customerId;
      if (payment.payerIban && payer)
        await learnPayerAccount(tx, payment.payerIban, payer, `resolution of ${payment.id}`);
    } else if (resolution.action === 'on_account') {
      const customerId = resolution.customerId ?? payment.customerId;
      if (!customerId) throw new DomainError('CUSTOMER_REQUIRED', 'Whose account? Name the customer', 'customerId');
      await assignSuspense(tx, payment, customerId, key);
      if (payment.payerIban) await learnPayerAccount(tx, payment.payerIban, customerId, `resolution of ${payment.id}`);
    } else {
      for (const u of await unappliedOf(tx, payment.id)) {
        if (u.amount <= 0) continue;
        await tx.insert(unappliedCash).values({
          paymentId: payment.id,
          customerId: u.customerId,
          amount: -u.amount,
          currency: payment.currency,
          kind: 'refunded',
          entryKey: `${key}:refund:${u.customerId ?? 'suspense'}`,
        });
      }
    }
    await tx
      .update(payments)
      .set({ resolvedAt: sql`now()` })
      .where(eq(payments.id, payment.id));
    await recordAudit(tx, {
      decisionKey: key,
      actor: input.actor,
      action: 'cash.exception.resolve',
      entityType: 'payment',
      entityId: payment.id,
      reason: input.reason,
      details: { resolution },
    });
    return touched;
  });
}

/**
 * Applies a customer's unapplied cash to its open invoices: the ones finance names, or else the oldest first (by due
 * date), as far as the cash goes; what is left to the open dunning charges (of the named invoices), oldest first.
 * Audited; `key` makes a retried request apply once.
 */
export async function applyUnappliedCash(
  db: Db,
  input: { customerId: string; invoiceIds?: string[]; key: string; reason: string; actor: string },
): Promise<{ touched: TouchedInvoice[]; charges: PaidCharge[] }> {
  return db.transaction(async (tx) => {
    const candidates = await tx
      .select({ id: invoices.id })
      .from(invoices)
      .where(
        and(
          eq(invoices.customerId, input.customerId),
          eq(invoices.type, 'invoice'),
          eq(invoices.status, 'open'),
          ...(input.invoiceIds ? [inArray(invoices.id, input.invoiceIds)] : []),
        ),
      )
      .orderBy(asc(invoices.dueDate), asc(invoices.number));
    const locked = await lockInvoices(
      tx,
      candidates.map((c) => c.id),
    );
    const order = new Map(candidates.map((c, i) => [c.id, i]));
    const targets = locked.filter((i) => i.balance > 0).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const cash = await tx
      .select({ paymentId: unappliedCash.paymentId, amount: sql<number>`sum(${unappliedCash.amount})`.mapWith(Number) })
      .from(unappliedCash)
      .where(eq(unappliedCash.customerId, input.customerId))
      .groupBy(unappliedCash.paymentId)
      .having(gt(sql`sum(${unappliedCash.amount})`, 0))
      .orderBy(asc(unappliedCash.paymentId));
    const touched = new Map<string, TouchedInvoice>();
    const charges: PaidCharge[] = [];
    for (const source of cash) {
      let left = source.amount;
      const payment = await lockPayment(tx, source.paymentId);
      const key = `${input.key}:${payment.id}`;
      for (const invoice of targets) {
        if (left === 0) break;
        const amount = Math.min(left, invoice.balance);
        if (amount <= 0 || invoice.currency !== payment.currency) continue;
        await allocateFromUnapplied(tx, payment, invoice, amount, 'unapplied', key);
        invoice.balance -= amount;
        left -= amount;
        touched.set(invoice.id, touchedOf(invoice, false));
      }
      // The invoices first, then the fees and interest dunning charged on them.
      const paid = await payCharges(tx, {
        paymentId: payment.id,
        customerId: input.customerId,
        currency: payment.currency,
        available: left,
        ...(input.invoiceIds ? { invoiceIds: input.invoiceIds } : {}),
        key,
      });
      charges.push(...paid);
    }
    await recordAudit(tx, {
      decisionKey: `apply-unapplied:${input.key}`,
      actor: input.actor,
      action: 'cash.unapplied.apply',
      entityType: 'customer',
      entityId: input.customerId,
      reason: input.reason,
      details: {
        invoices: [...touched.keys()],
        charges: charges.map((c) => ({ chargeId: c.chargeId, amount: c.amount })),
      },
    });
    return { touched: [...touched.values()], charges };
  });
}

/** Pays a customer's unapplied cash back (to its bank account; the transfer itself is the bank's). Audited, once per key. */
export async function refundUnappliedCash(
  db: Db,
  input: { customerId: string; amount: number; currency: string; key: string; reason: string; actor: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const cash = await tx
      .select({ paymentId: unappliedCash.paymentId, amount: sql<number>`sum(${unappliedCash.amount})`.mapWith(Number) })
      .from(unappliedCash)
      .innerJoin(payments, eq(payments.id, unappliedCash.paymentId))
      .where(and(eq(unappliedCash.customerId, input.customerId), eq(payments.currency, input.currency)))
      .groupBy(unappliedCash.paymentId)
      .having(gt(sql`sum(${unappliedCash.amount})`, 0))
      .orderBy(asc(unappliedCash.paymentId));
    const available = cash.reduce((sum, c) => sum + c.amount, 0);
    if (input.amount > available) {
      throw new DomainError('REFUND_EXCEEDS_UNAPPLIED', `Only ${available} ${input.currency} is unapplied`, 'amount');
    }
    let left = input.amount;
    for (const source of cash) {
      if (left === 0) break;
      const amount = Math.min(left, source.amount);
      await lockPayment(tx, source.paymentId);
      await tx.insert(unappliedCash).values({
        paymentId: source.paymentId,
        customerId: input.customerId,
        amount: -amount,
        currency: input.currency,
        kind: 'refunded',
        entryKey: `refund:${input.key}:${source.paymentId}`,
      });
      left -= amount;
    }
    await recordAudit(tx, {
      decisionKey: `refund:${input.key}`,
      actor: input.actor,
      action: 'cash.unapplied.refund',
      entityType: 'customer',
      entityId: input.customerId,
      reason: input.reason,
      details: { amount: input.amount, currency: input.currency },
    });
  });
}

/** What was refunded of a payment's unapplied cash: zero or negative. */
async function refundedOf(tx: DbOrTx, paymentId: string): Promise<number> {
  const [row] = await tx
    .select({ amount: sql<number>`coalesce(sum(${unappliedCash.amount}), 0)`.mapWith(Number) })
    .from(unappliedCash)
    .where(and(eq(unappliedCash.paymentId, paymentId), eq(unappliedCash.kind, 'refunded')));
  return row?.amount ?? 0;
}

/**
 * A payment came back (a SEPA return, a chargeback, a cheque that bounced): every allocation it made is reversed
 * by a negative entry, its write-offs undone, its unapplied cash taken back; the invoices it had settled are open
 * again. Once per payment; audited.
 */
export async function reversePayment(
  db: DbOrTx,
  input: { paymentId: string; reason: string; actor: string },
): Promise<TouchedInvoice[]> {
  return db.transaction(async (tx) => {
    const payment = await lockPayment(tx, input.paymentId);
    if (payment.status === 'reversed') return [];
    // The refunded part has already gone back to the payer: returning the whole payment as well pays them twice.
    const refunded = -(await refundedOf(tx, payment.id));
    if (refunded > 0) {
      throw new DomainError(
        'PAYMENT_REFUNDED',
        `${formatMoney({ amount: refunded, currency: payment.currency })} of payment ${payment.id} was refunded to the payer; a return of the whole payment needs a person to settle it with the customer`,
        'id',
      );
    }
    const net = await tx
      .select({ invoiceId: allocations.invoiceId, amount: sql<number>`sum(${allocations.amount})`.mapWith(Number) })
      .from(allocations)
      .where(eq(allocations.paymentId, payment.id))
      .groupBy(allocations.invoiceId);
    const locked = await lockInvoices(
      tx,
      net.map((n) => n.invoiceId),
    );
    const key = `reversal:${payment.id}`;
    for (const { invoiceId, amount } of net) {
      if (amount !== 0)
        await tx.insert(allocations).values({
          paymentId: payment.id,
          invoiceId,
          amount: -amount,
          kind: 'reversal',
          entryKey: `${key}:${invoiceId}`,
        });
    }
    const written = await tx
      .select({ invoiceId: writeOffs.invoiceId, amount: sql<number>`sum(${writeOffs.amount})`.mapWith(Number) })
      .from(writeOffs)
      .where(eq(writeOffs.paymentId, payment.id))
      .groupBy(writeOffs.invoiceId);
    for (const w of written) {
      if (w.amount !== 0)
        await tx.insert(writeOffs).values({
          invoiceId: w.invoiceId,
          amount: -w.amount,
          reason: `undone: ${input.reason}`,
          paymentId: payment.id,
          actor: input.actor,
          entryKey: `${key}:write-off:${w.invoiceId}`,
        });
    }
    await reverseChargePayments(tx, payment.id, key); // back into its unapplied cash, taken back next
    for (const u of await unappliedOf(tx, payment.id)) {
      if (u.amount !== 0)
        await tx.insert(unappliedCash).values({
          paymentId: payment.id,
          customerId: u.customerId,
          amount: -u.amount,
          currency: payment.currency,
          kind: 'reversed',
          entryKey: `${key}:unapplied:${u.customerId ?? 'suspense'}`,
        });
    }
    const reopened = locked.filter((i) => i.status !== 'open' && net.some((n) => n.invoiceId === i.id && n.amount > 0));
    if (reopened.length > 0) {
      await tx
        .update(invoices)
        .set({ status: 'open' })
        .where(
          inArray(
            invoices.id,
            reopened.map((i) => i.id),
          ),
        );
    }
    await tx
      .update(payments)
      .set({ status: 'reversed', reversedAt: sql`now()`, reversalReason: input.reason })
      .where(eq(payments.id, payment.id));
    await recordAudit(tx, {
      decisionKey: key,
      actor: input.actor,
      action: 'cash.payment.reverse',
      entityType: 'payment',
      entityId: payment.id,
      reason: input.reason,
      details: { invoices: net },
    });
    return locked.map((i) => touchedOf(i, reopened.includes(i)));
  });
}

/** The payment a bank's return entry gives back: by end-to-end id, else the payer's IBAN and the amount. */
export async function paymentReturnedBy(
  db: DbOrTx,
  entry: { endToEndId?: string; payerIban?: string; amount: number; currency: string },
): Promise<string | undefined> {
  const received = and(
    eq(payments.status, 'received'),
    eq(payments.amount, entry.amount),
    eq(payments.currency, entry.currency),
  );
  if (entry.endToEndId) {
    const [byId] = await db
      .select({ id: payments.id })
      .from(payments)
      .where(and(received, eq(payments.endToEndId, entry.endToEndId)));
    if (byId) return byId.id;
  }
  if (!entry.payerIban) return undefined;
  const byIban = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(received, eq(payments.payerIban, entry.payerIban), isNull(payments.reversedAt)))
    .limit(2);
  return byIban.length === 1 ? byIban[0]!.id : undefined;
}

/** A customer's unapplied cash per currency, and the payments it comes from. */
export async function unappliedCashOf(db: DbOrTx, customerId: string) {
  const rows = await db
    .select({
      paymentId: unappliedCash.paymentId,
      currency: unappliedCash.currency,
      amount: sql<number>`sum(${unappliedCash.amount})`.mapWith(Number),
    })
    .from(unappliedCash)
    .where(eq(unappliedCash.customerId, customerId))
    .groupBy(unappliedCash.paymentId, unappliedCash.currency)
    .having(gt(sql`sum(${unappliedCash.amount})`, 0));
  const balances = new Map<string, number>();
  for (const r of rows) balances.set(r.currency, (balances.get(r.currency) ?? 0) + r.amount);
  return {
    customerId,
    balances: [...balances].map(([currency, amount]) => ({ currency, amount })),
    payments: rows,
  };
}
