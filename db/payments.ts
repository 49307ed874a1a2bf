import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  DEFAULT_MATCH_POLICY,
  matchLines,
  type LineMatch,
  type MatchLine,
  type MatchPolicy,
  type ReasonCode,
} from '../domain/cash-matching.js';
import { DomainError } from '../domain/errors.js';
import type { DbOrTx } from './client.js';
import { openBalance } from './invoices.js';
import { chargesPaidBy, payCharges } from './charge-payments.js';
import { allocations, customers, invoices, payerAccounts, payments, unappliedCash, writeOffs } from './schema.js';

/** Money received, as the provider, the bank or finance reports it. */
export interface IncomingPayment {
  /** The sender's id of the payment (provider payment id, bank line key, manual receipt number). */
  externalId: string;
  amount: number;
  currency: string;
  method: string;
  source?: 'provider' | 'manual' | 'bank';
  /** The bank's value date; today when the sender gives none. */
  valueDate?: string;
  /** The invoice the payer named: its number, or its structured payment reference. */
  invoiceNumber?: string;
  reference?: string;
  remittance?: string;
  payerName?: string;
  payerIban?: string;
  endToEndId?: string;
  statementId?: string;
  /** Known when finance records it, or when an earlier step identified the payer. */
  customerId?: string;
}

/** What became of one payment: where it went, and which receivables must re-read their balance. */
export interface ReceivedPayment {
  paymentId: string;
  matchStatus: LineMatch['status'];
  customerId: string | null;
  allocations: { invoiceId: string; invoiceNumber: string; amount: number }[];
  /** What it paid on dunning charges (fees, interest) of the invoices it paid, from what was left over. */
  charges: { chargeId: string; invoiceNumber: string; kind: string; amount: number }[];
  unapplied: number;
  confidence: number;
  reasons: ReasonCode[];
  /** The InvoiceWorkflows to tell. */
  invoiceWorkflowIds: string[];
  /** True when this externalId was recorded before: nothing was written this time. */
  duplicate: boolean;
}

/**
 * Receives payments and applies them, in one transaction: each is recorded once (by externalId), then matched
 * (domain/cash-matching.ts: the reference or invoice number the payer gave, then the matcher's tiers) and its
 * allocations written under the invoices' row locks, in a fixed order, against the balances as they are now: two
 * payments can never both take the same balance. What is not allocated is unapplied cash of the customer (or
 * suspense while the payer is unknown); a short payment within tolerance settles the invoice with a write-off; a
 * line the matcher is not sure of is an exception for a person. A payer IBAN matched by reference is learned.
 */
export async function receivePayments(
  db: DbOrTx,
  incoming: readonly IncomingPayment[],
  policy: MatchPolicy = DEFAULT_MATCH_POLICY,
): Promise<ReceivedPayment[]> {
  return db.transaction(async (tx) => {
    const results: (ReceivedPayment | undefined)[] = [];
    const fresh: { index: number; payment: IncomingPayment; id: string }[] = [];
    for (const [index, payment] of incoming.entries()) {
      const id = randomUUID();
      const [inserted] = await tx
        .insert(payments)
        .values({
          id,
          externalId: payment.externalId,
          customerId: payment.customerId ?? null,
          amount: payment.amount,
          currency: payment.currency,
          method: payment.method,
          source: payment.source ?? 'provider',
          valueDate: payment.valueDate ?? new Date().toISOString().slice(0, 10),
          invoiceNumber: payment.invoiceNumber ?? null,
          reference: payment.reference ?? null,
          remittance: payment.remittance ?? null,
          payerName: payment.payerName ?? null,
          payerIban: payment.payerIban ?? null,
          endToEndId: payment.endToEndId ?? null,
          statementId: payment.statementId ?? null,
          matchStatus: 'exception',
        })
        .onConflictDoNothing({ target: payments.externalId })
        .returning({ id: payments.id });
      if (inserted) {
        fresh.push({ index, payment, id });
        results.push(undefined);
      } else {
        results.push(await priorPayment(tx, payment));
      }
    }
    if (fresh.length > 0) {
      const matches = await matchPayments(
        tx,
        fresh.map((f) => f.payment),
        policy,
      );
      const received = await applyMatches(tx, fresh, matches);
      received.forEach((r, i) => (results[fresh[i]!.index] = r));
    }
    return results.map((r) => r!);
  });
}

/** One payment, as the provider webhook and finance's manual entry report it. */
export async function recordPayment(
  db: DbOrTx,
  payment: IncomingPayment,
  policy: MatchPolicy = DEFAULT_MATCH_POLICY,
): Promise<ReceivedPayment> {
  const [received] = await receivePayments(db, [payment], policy);
  return received!;
}

/** A repeated externalId changes nothing; one repeated with other details is the sender's error. */
async function priorPayment(tx: DbOrTx, payment: IncomingPayment): Promise<ReceivedPayment> {
  const [prior] = await tx.select().from(payments).where(eq(payments.externalId, payment.externalId));
  const sameInvoice = (prior?.invoiceNumber ?? undefined) === payment.invoiceNumber;
  if (!prior || prior.amount !== payment.amount || prior.currency !== payment.currency || !sameInvoice) {
    throw new DomainError(
      'PAYMENT_CONFLICT',
      `Payment ${payment.externalId} was already recorded with other details`,
      'externalId',
    );
  }
  return { ...(await paymentOutcome(tx, prior.id)), duplicate: true };
}

/** What a recorded payment did: its allocations and its unapplied rest, from the ledgers. */
export async function paymentOutcome(tx: DbOrTx, paymentId: string): Promise<ReceivedPayment> {
  return (await paymentOutcomes(tx, [paymentId])).get(paymentId)!;
}

/** The same for many payments, in four queries whatever their number (a statement of 10,000 lines). */
export async function paymentOutcomes(
  tx: DbOrTx,
  paymentIds: readonly string[],
): Promise<Map<string, ReceivedPayment>> {
  const outcomes = new Map<string, ReceivedPayment>();
  if (paymentIds.length === 0) return outcomes;
  const ids = [...new Set(paymentIds)];
  const rows = await tx.select().from(payments).where(inArray(payments.id, ids));
  const allocated = await tx
    .select({
      paymentId: allocations.paymentId,
      invoiceId: allocations.invoiceId,
      invoiceNumber: invoices.number,
      workflowId: invoices.workflowId,
      amount: sql<number>`sum(${allocations.amount})`.mapWith(Number),
    })
    .from(allocations)
    .innerJoin(invoices, eq(invoices.id, allocations.invoiceId))
    .where(inArray(allocations.paymentId, ids))
    .groupBy(allocations.paymentId, allocations.invoiceId, invoices.number, invoices.workflowId)
    .orderBy(allocations.paymentId, invoices.number);
  const rests = await tx
    .select({
      paymentId: unappliedCash.paymentId,
      amount: sql<number>`coalesce(sum(${unappliedCash.amount}), 0)`.mapWith(Number),
    })
    .from(unappliedCash)
    .where(inArray(unappliedCash.paymentId, ids))
    .groupBy(unappliedCash.paymentId);
  const rest = new Map(rests.map((r) => [r.paymentId, r.amount]));
  const charged = new Map<string, ReceivedPayment['charges']>();
  for (const { paymentId, chargeId, invoiceNumber, kind, amount } of await chargesPaidBy(tx, ids)) {
    charged.set(paymentId, [...(charged.get(paymentId) ?? []), { chargeId, invoiceNumber, kind, amount }]);
  }
  const byPayment = new Map<string, typeof allocated>();
  for (const a of allocated) {
    if (a.amount === 0) continue;
    const live = byPayment.get(a.paymentId);
    if (live) live.push(a);
    else byPayment.set(a.paymentId, [a]);
  }
  for (const payment of rows) {
    const live = byPayment.get(payment.id) ?? [];
    outcomes.set(payment.id, {
      paymentId: payment.id,
      matchStatus: payment.matchStatus as LineMatch['status'],
      customerId: payment.customerId,
      allocations: live.map(({ invoiceId, invoiceNumber, amount }) => ({ invoiceId, invoiceNumber, amount })),
      charges: charged.get(payment.id) ?? [],
      unapplied: rest.get(payment.id) ?? 0,
      confidence: (payment.confidence ?? 0) / 100,
      reasons: payment.reasons as ReasonCode[],
      invoiceWorkflowIds: live.map((a) => a.workflowId),
      duplicate: false,
    });
  }
  return outcomes;
}

/**
 * The matcher's view of the ledger, for the currencies of these payments: every open invoice with its balance, the
 * invoices settled in the last 180 days (to spot a payment booked twice), and the customers with the payer IBANs
 * we know of them.
 */
async function matchPayments(
  tx: DbOrTx,
  incoming: readonly IncomingPayment[],
  policy: MatchPolicy,
): Promise<LineMatch[]> {
  const currencies = [...new Set(incoming.map((p) => p.currency))];
  const balance = openBalance();
  const open = await tx
    .select({
      invoiceId: invoices.id,
      number: invoices.number,
      customerId: invoices.customerId,
      currency: invoices.currency,
      openAmount: balance,
      dueDate: invoices.dueDate,
      paymentReference: invoices.paymentReference,
    })
    .from(invoices)
    .where(and(eq(invoices.type, 'invoice'), eq(invoices.status, 'open'), inArray(invoices.currency, currencies)));
  const settled = await tx
    .select({
      invoiceId: invoices.id,
      number: invoices.number,
      customerId: invoices.customerId,
      currency: invoices.currency,
      total: invoices.total,
      paymentReference: invoices.paymentReference,
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.type, 'invoice'),
        eq(invoices.status, 'paid'),
        inArray(invoices.currency, currencies),
        gt(invoices.issueDate, sql`current_date - 180`),
      ),
    );
  const known = await tx
    .select({ customerId: customers.id, name: customers.name, iban: payerAccounts.iban })
    .from(customers)
    .leftJoin(payerAccounts, eq(payerAccounts.customerId, customers.id));
  const byCustomer = new Map<string, { customerId: string; name: string; ibans: string[] }>();
  for (const row of known) {
    const customer = byCustomer.get(row.customerId) ?? { customerId: row.customerId, name: row.name, ibans: [] };
    if (row.iban) customer.ibans.push(row.iban);
    byCustomer.set(row.customerId, customer);
  }
  const lines: MatchLine[] = incoming.map((p, lineIndex) => ({
    lineIndex,
    amount: p.amount,
    currency: p.currency,
    direction: 'credit',
    kind: 'transfer',
    ...(p.payerName ? { counterpartyName: p.payerName } : {}),
    ...(p.payerIban ? { counterpartyIban: p.payerIban } : {}),
    structuredReferences: [p.reference, p.invoiceNumber].filter((r): r is string => !!r),
    ...(p.remittance || p.invoiceNumber
      ? { remittanceText: [p.invoiceNumber, p.remittance].filter(Boolean).join(' ') }
      : {}),
  }));
  const matches = matchLines(
    lines,
    open.filter((o) => o.openAmount > 0),
    { settled, customers: [...byCustomer.values()] },
    policy,
  );
  const named = await namedInvoices(tx, incoming);
  return matches.map((m, i) => {
    const payment = incoming[i]!;
    const decided = namedInvoiceMatch(payment, named) ?? m;
    // Finance named the customer of a manual payment: its rest is that customer's, whatever the matcher found.
    return payment.customerId && !decided.customerId ? { ...decided, customerId: payment.customerId } : decided;
  });
}

const normalized = (s: string) => s.replace(/[\s-]/g, '').toUpperCase();

/** An invoice a sender named, whatever its currency and state. */
interface NamedInvoice {
  invoiceId: string;
  number: string;
  paymentReference: string | null;
  customerId: string;
  currency: string;
  openAmount: number;
}

/** The invoices the non-bank payments name by number or payment reference (compared without spaces and dashes). */
async function namedInvoices(tx: DbOrTx, incoming: readonly IncomingPayment[]): Promise<NamedInvoice[]> {
  const names = incoming
    .filter((p) => p.source !== 'bank')
    .flatMap((p) => [p.invoiceNumber, p.reference])
    .filter((n): n is string => !!n)
    .map(normalized);
  if (names.length === 0) return [];
  const key = (column: typeof invoices.number | typeof invoices.paymentReference) =>
    sql`upper(regexp_replace(${column}, '[\s-]', '', 'g'))`;
  return tx
    .select({
      invoiceId: invoices.id,
      number: invoices.number,
      paymentReference: invoices.paymentReference,
      customerId: invoices.customerId,
      currency: invoices.currency,
      openAmount: openBalance(),
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.type, 'invoice'),
        or(inArray(key(invoices.number), names), inArray(key(invoices.paymentReference), names)),
      ),
    );
}

/**
 * The sender named the invoice (the provider's invoice number or reference, finance's manual entry): that invoice,
 * exactly, takes the payment up to its balance and the rest is unapplied cash; no guessing. One already settled is
 * a possible duplicate, one in another currency a mismatch, both for a person. Undefined when the name fits no
 * invoice: then the matcher decides.
 */
function namedInvoiceMatch(payment: IncomingPayment, named: readonly NamedInvoice[]): LineMatch | undefined {
  const names = [payment.invoiceNumber, payment.reference].filter((n): n is string => !!n).map(normalized);
  if (names.length === 0 || payment.source === 'bank') return undefined;
  const item = named.find(
    (i) =>
      names.includes(normalized(i.number)) ||
      (i.paymentReference !== null && names.includes(normalized(i.paymentReference))),
  );
  if (!item) return undefined;
  const reason: ReasonCode = payment.invoiceNumber ? 'INVOICE_NUMBER_IN_TEXT' : 'STRUCTURED_REFERENCE';
  const refusal =
    item.currency !== payment.currency ? 'CURRENCY_MISMATCH' : item.openAmount <= 0 ? 'POSSIBLE_DUPLICATE' : undefined;
  if (refusal) {
    return {
      lineIndex: 0,
      status: 'exception',
      customerId: item.customerId,
      allocations: [],
      unapplied: 0,
      confidence: 0.99,
      reasons: [reason, refusal],
      suggestions: [],
    };
  }
  const amount = Math.min(payment.amount, item.openAmount);
  const rest = payment.amount - amount;
  const fit: ReasonCode[] = rest > 0 ? ['OVERPAYMENT'] : amount < item.openAmount ? ['PARTIAL'] : ['AMOUNT_EQUAL'];
  return {
    lineIndex: 0,
    status: rest > 0 ? 'partially_matched' : 'matched',
    customerId: item.customerId,
    allocations: [{ invoiceId: item.invoiceId, amount }],
    unapplied: rest,
    confidence: 0.99,
    reasons: [reason, ...fit],
    suggestions: [],
  };
}

/**
 * Writes what the matcher decided, under the row locks of every invoice involved (taken in id order), clamping
 * each allocation to the balance as it is now: a payment that arrived meanwhile may have taken part of it, and the
 * difference is unapplied cash rather than an allocation above the balance.
 */
async function applyMatches(
  tx: DbOrTx,
  fresh: readonly { payment: IncomingPayment; id: string }[],
  matches: readonly LineMatch[],
): Promise<ReceivedPayment[]> {
  const invoiceIds = [
    ...new Set(
      matches.flatMap((m) => [
        ...m.allocations.map((a) => a.invoiceId),
        ...(m.deduction ? [m.deduction.invoiceId] : []),
      ]),
    ),
  ].sort();
  // Lock first, read the balances after, in a statement of their own: a statement that waited for a lock still
  // reads the snapshot it started with, and would miss the allocation it waited for.
  if (invoiceIds.length) {
    await tx
      .select({ id: invoices.id })
      .from(invoices)
      .where(inArray(invoices.id, invoiceIds))
      .orderBy(asc(invoices.id))
      .for('update');
  }
  const locked = invoiceIds.length
    ? await tx
        .select({ id: invoices.id, number: invoices.number, workflowId: invoices.workflowId, balance: openBalance() })
        .from(invoices)
        .where(inArray(invoices.id, invoiceIds))
    : [];
  const remaining = new Map(locked.map((i) => [i.id, i.balance]));
  const byId = new Map(locked.map((i) => [i.id, i]));
  const out: ReceivedPayment[] = [];
  for (const [i, { payment, id }] of fresh.entries()) {
    const match = matches[i]!;
    const written: ReceivedPayment['allocations'] = [];
    let applied = 0;
    for (const allocation of match.allocations) {
      const amount = Math.min(allocation.amount, remaining.get(allocation.invoiceId) ?? 0);
      if (amount <= 0) continue;
      remaining.set(allocation.invoiceId, remaining.get(allocation.invoiceId)! - amount);
      await tx.insert(allocations).values({
        paymentId: id,
        invoiceId: allocation.invoiceId,
        amount,
        kind: 'auto',
        entryKey: `allocation:${id}:${allocation.invoiceId}`,
      });
      written.push({ invoiceId: allocation.invoiceId, invoiceNumber: byId.get(allocation.invoiceId)!.number, amount });
      applied += amount;
    }
    if (match.deduction && written.some((w) => w.invoiceId === match.deduction!.invoiceId)) {
      const amount = Math.min(match.deduction.amount, remaining.get(match.deduction.invoiceId) ?? 0);
      if (amount > 0) {
        remaining.set(match.deduction.invoiceId, remaining.get(match.deduction.invoiceId)! - amount);
        await tx.insert(writeOffs).values({
          invoiceId: match.deduction.invoiceId,
          amount,
          reason: 'short payment within tolerance',
          paymentId: id,
          actor: 'system',
          entryKey: `write-off:${id}:${match.deduction.invoiceId}`,
        });
      }
    }
    let rest = payment.amount - applied;
    const customerId = match.customerId ?? payment.customerId ?? null;
    const charges: ReceivedPayment['charges'] = [];
    if (rest > 0) {
      await tx.insert(unappliedCash).values({
        paymentId: id,
        customerId,
        amount: rest,
        currency: payment.currency,
        kind: 'received',
        entryKey: `unapplied:${id}:received`,
      });
      // Paid more than the invoices: the customer paid their fees and interest too.
      if (customerId && written.length > 0 && match.status !== 'exception') {
        const paid = await payCharges(tx, {
          paymentId: id,
          customerId,
          currency: payment.currency,
          available: rest,
          invoiceIds: written.map((w) => w.invoiceId),
          key: `received:${id}`,
        });
        for (const { chargeId, invoiceNumber, kind, amount } of paid) {
          charges.push({ chargeId, invoiceNumber, kind, amount });
          rest -= amount;
        }
      }
    }
    const reasons: ReasonCode[] = charges.length > 0 ? [...match.reasons, 'DUNNING_CHARGES'] : match.reasons;
    const status: LineMatch['status'] =
      match.status === 'exception' ? 'exception' : rest > 0 ? 'partially_matched' : 'matched';
    await tx
      .update(payments)
      .set({
        customerId,
        matchStatus: status,
        confidence: Math.round(match.confidence * 100),
        reasons,
        suggestions: match.suggestions,
      })
      .where(eq(payments.id, id));
    if (
      payment.payerIban &&
      customerId &&
      match.reasons.some((r) => r === 'STRUCTURED_REFERENCE' || r === 'INVOICE_NUMBER_IN_TEXT')
    ) {
      await learnPayerAccount(tx, payment.payerIban, customerId, `payment ${id}`);
    }
    out.push({
      paymentId: id,
      matchStatus: status,
      customerId,
      allocations: written,
      charges,
      unapplied: rest,
      confidence: match.confidence,
      reasons,
      invoiceWorkflowIds: written.map((w) => byId.get(w.invoiceId)!.workflowId),
      duplicate: false,
    });
  }
  return out;
}

export async function learnPayerAccount(tx: DbOrTx, iban: string, customerId: string, learnedFrom: string) {
  await tx
    .insert(payerAccounts)
    .values({ iban: iban.replace(/\s+/g, '').toUpperCase(), customerId, learnedFrom })
    .onConflictDoNothing();
}

/** The open exceptions, oldest first: payments waiting for a person, with the matcher's ranked suggestions. */
export async function openExceptions(db: DbOrTx, limit: number) {
  return db
    .select()
    .from(payments)
    .where(and(eq(payments.matchStatus, 'exception'), isNull(payments.resolvedAt), eq(payments.status, 'received')))
    .orderBy(asc(payments.receivedAt))
    .limit(limit);
}

export async function getPayment(db: DbOrTx, paymentId: string) {
  const [payment] = await db.select().from(payments).where(eq(payments.id, paymentId));
  return payment;
}
