import { randomUUID } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { DebtorKind, DunningChargeKind } from '../domain/dunning-charges.js';
import { LETTER_PAYMENT_DAYS, type DunningChannel } from '../domain/dunning.js';
import { isoDate, parseIsoDate } from '../domain/payment-terms.js';
import type { Db, DbOrTx } from './client.js';
import { openChargesByInvoice, postCharges, type SkippedCharge } from './dunning-charges.js';
import { invoiceBalance, invoiceViews } from './invoices.js';
import {
  collectionCases,
  collectionTasks,
  customers,
  disputes,
  dunningEvents,
  dunningLetters,
  invoices,
  paymentPromises,
} from './schema.js';

export interface DunningRecord {
  /** False when the invoice was settled meanwhile: nothing recorded, nothing to send. */
  recorded: boolean;
  amountOutstanding: number;
  /** Charges the level asks for that the law does not allow here, and why (posted ones are in dunning_charges). */
  skippedCharges?: SkippedCharge[];
}

export interface DunningLevelReached {
  invoiceId: string;
  level: number;
  name: string;
  policyId: string;
  /** The fees and interest the level charges (absent: none). */
  charges?: DunningChargeKind[];
  /** The workflow's instant of the level: interest runs to its date. */
  reachedAt?: string;
}

/**
 * Records that the invoice reached a dunning level, once per (invoice, level), with the balance at that moment,
 * and posts the level's charges in the same transaction (so they are posted exactly when the level is). Checks
 * the balance inside the transaction, so a payment that landed just before the timer fired wins.
 */
export async function recordDunningLevel(
  db: Db,
  input: DunningLevelReached,
  defaultLegalEntity: string,
): Promise<DunningRecord> {
  return db.transaction(async (tx) => {
    const [invoice] = await tx
      .select({ invoice: invoices, email: customers.email, debtor: customers.kind })
      .from(invoices)
      .innerJoin(customers, eq(customers.id, invoices.customerId))
      .where(eq(invoices.id, input.invoiceId))
      .for('update', { of: invoices });
    if (!invoice) throw new Error(`Invoice ${input.invoiceId} does not exist`);
    const amountOutstanding = await invoiceBalance(tx, input.invoiceId);
    const [already] = await tx
      .select()
      .from(dunningEvents)
      .where(and(eq(dunningEvents.invoiceId, input.invoiceId), eq(dunningEvents.level, input.level)));
    if (already) return { recorded: true, amountOutstanding: already.amountOutstanding };
    if (amountOutstanding <= 0) return { recorded: false, amountOutstanding };
    const { charges: _, reachedAt, ...event } = input;
    await tx.insert(dunningEvents).values({ ...event, amountOutstanding, sentTo: invoice.email });
    if (input.charges?.length) {
      const skippedCharges = await postCharges(tx, {
        invoice: invoice.invoice,
        seller: invoice.invoice.legalEntity ?? defaultLegalEntity,
        debtor: invoice.debtor as DebtorKind,
        level: input.level,
        kinds: input.charges,
        reachedAt: reachedAt ?? new Date().toISOString(),
        principal: amountOutstanding,
      });
      if (skippedCharges.length > 0) return { recorded: true, amountOutstanding, skippedCharges };
    }
    await tx
      .update(invoices)
      .set({ dunningLevel: input.level })
      .where(and(eq(invoices.id, input.invoiceId), lt(invoices.dunningLevel, input.level)));
    return { recorded: true, amountOutstanding };
  });
}

/** An invoice's report to its customer's account: it reached a level, and what comes after it. */
export interface DunningNotice {
  invoiceId: string;
  level: number;
  name: string;
  /** The policy's next level, or null at the last one. */
  nextName: string | null;
  /** The wordings of the level and of the next one, when the policy names them (domain/letters.ts). */
  template?: string;
  nextTemplate?: string;
  /** How the level reaches the customer; `email` when absent (notices sent before channels existed). */
  channel?: DunningChannel;
}

export interface DunningLetterItem {
  invoiceId: string;
  invoiceNumber: string;
  level: number;
  dueDate: string;
  /** Claimed: the balance less what is in open disputes (disputedAmount). */
  amountOutstanding: number;
  disputedAmount?: number;
  currency: string;
  paymentReference: string;
  /** Its open fees and interest so far. */
  charges?: { kind: DunningChargeKind; amount: number }[];
}

export interface DunningLetter {
  customerId: string;
  legalEntity: string;
  runAt: string;
  level: number;
  levelName: string;
  channel: 'email' | 'letter';
  nextLevelName: string | null;
  /** The letter's wording and the next level's, when not the ones named like the levels. */
  template: string | null;
  nextTemplate: string | null;
  items: DunningLetterItem[];
  payBy: string;
  sentTo: string;
}

const DAY_MS = 86_400_000;

/**
 * Records the letters of one customer's dunning run, once: one per seller legal entity (a collector's call task
 * instead, when the highest level's channel is call_task) that has a notice whose
 * invoice is still owed, at the highest level among those notices, listing every item of that seller still owed
 * and overdue on the run's date (and the notified ones, whose due moment may be earlier that day). A retried run
 * gets the letters its first attempt recorded, so what is mailed never changes.
 */
export async function recordDunningRun(
  db: Db,
  input: { customerId: string; runAt: string; notices: readonly DunningNotice[]; defaultLegalEntity: string },
): Promise<{ letters: DunningLetter[]; tasks: number }> {
  return db.transaction(async (tx) => {
    const existing = await tx.select().from(dunningLetters).where(runOf(input));
    const existingTasks = await tx
      .select({ id: collectionTasks.id })
      .from(collectionTasks)
      .where(and(eq(collectionTasks.customerId, input.customerId), eq(collectionTasks.runAt, input.runAt)));
    if (existing.length + existingTasks.length > 0) {
      return { letters: existing.map(letterOf), tasks: existingTasks.length };
    }
    const [customer] = await tx.select().from(customers).where(eq(customers.id, input.customerId));
    if (!customer) throw new Error(`Customer ${input.customerId} does not exist`);
    const runDate = input.runAt.slice(0, 10);
    const payBy = isoDate(parseIsoDate(runDate) + LETTER_PAYMENT_DAYS * DAY_MS);
    const notified = new Map(input.notices.map((n) => [n.invoiceId, n]));
    // Dunning claims only what is not in dispute, not what a customer promised to pay and may still pay, and not
    // what an agency collects now.
    const held = await holdsOf(tx, input.customerId);
    const charged = await openChargesByInvoice(tx, input.customerId);
    const owed = (await invoiceViews(tx, { customerId: input.customerId, status: 'open' }))
      .map((i) => ({ ...i, disputed: held.disputed.get(i.id) ?? 0 }))
      .map((i) => ({ ...i, balance: i.balance - i.disputed }))
      .filter(
        (i) =>
          i.type === 'invoice' &&
          i.balance > 0 &&
          !held.promised.has(i.id) &&
          !held.handedOver.has(i.id) &&
          (i.dueDate < runDate || notified.has(i.id)),
      );
    const bySeller = new Map<string, typeof owed>();
    for (const invoice of owed) {
      const seller = invoice.legalEntity ?? input.defaultLegalEntity;
      bySeller.set(seller, [...(bySeller.get(seller) ?? []), invoice]);
    }
    const letters: DunningLetter[] = [];
    const calls: (typeof collectionTasks.$inferInsert)[] = [];
    for (const [legalEntity, items] of bySeller) {
      const highest = items
        .map((i) => notified.get(i.id))
        .filter((n) => n !== undefined)
        .sort((a, b) => b.level - a.level)[0];
      if (!highest) continue; // nothing of this seller reached a level in this run
      const letter: DunningLetter = {
        customerId: input.customerId,
        legalEntity,
        runAt: input.runAt,
        level: highest.level,
        levelName: highest.name,
        channel: highest.channel === 'letter' ? 'letter' : 'email',
        nextLevelName: highest.nextName,
        template: highest.template ?? null,
        nextTemplate: highest.nextTemplate ?? null,
        items: items
          .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number < b.number ? -1 : 1))
          .map((i) => ({
            invoiceId: i.id,
            invoiceNumber: i.number,
            level: i.dunningLevel,
            dueDate: i.dueDate,
            amountOutstanding: i.balance,
            currency: i.currency,
            paymentReference: i.paymentReference ?? i.number,
            ...(i.disputed > 0 ? { disputedAmount: i.disputed } : {}),
            ...(charged.has(i.id) ? { charges: charged.get(i.id)! } : {}),
          })),
        payBy,
        sentTo: customer.email,
      };
      if (highest.channel === 'call_task') {
        const { customerId, runAt, level, levelName, items: listed } = letter;
        calls.push({
          id: randomUUID(),
          customerId,
          legalEntity,
          runAt,
          level,
          levelName,
          items: listed,
          status: 'open',
        });
      } else letters.push(letter);
    }
    if (letters.length > 0) await tx.insert(dunningLetters).values(letters);
    if (calls.length > 0) await tx.insert(collectionTasks).values(calls);
    return { letters, tasks: calls.length };
  });
}

async function holdsOf(tx: DbOrTx, customerId: string) {
  const open = await tx
    .select({ invoiceId: disputes.invoiceId, amount: sql<number>`sum(${disputes.amount})`.mapWith(Number) })
    .from(disputes)
    .where(and(eq(disputes.customerId, customerId), eq(disputes.status, 'open')))
    .groupBy(disputes.invoiceId);
  const promises = await tx
    .select({ invoiceId: paymentPromises.invoiceId })
    .from(paymentPromises)
    .where(and(eq(paymentPromises.customerId, customerId), eq(paymentPromises.status, 'open')));
  const cases = await tx
    .select({ invoiceId: collectionCases.invoiceId })
    .from(collectionCases)
    .where(eq(collectionCases.customerId, customerId));
  return {
    disputed: new Map(open.map((d) => [d.invoiceId, d.amount])),
    promised: new Set(promises.map((p) => p.invoiceId)),
    handedOver: new Set(cases.map((c) => c.invoiceId)),
  };
}

const runOf = (run: { customerId: string; runAt: string }) =>
  and(eq(dunningLetters.customerId, run.customerId), eq(dunningLetters.runAt, run.runAt));

function letterOf(row: typeof dunningLetters.$inferSelect): DunningLetter {
  const { createdAt: _, ...letter } = row;
  return {
    ...letter,
    channel: letter.channel === 'letter' ? 'letter' : 'email',
    runAt: new Date(letter.runAt).toISOString(),
    items: row.items as DunningLetterItem[],
  };
}

/** The letters sent to a customer, newest first. */
export async function dunningLettersOf(db: Db, customerId: string): Promise<DunningLetter[]> {
  const rows = await db.select().from(dunningLetters).where(eq(dunningLetters.customerId, customerId));
  return rows.map(letterOf).sort((a, b) => (a.runAt < b.runAt ? 1 : -1));
}
