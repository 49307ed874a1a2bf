/**
 * Accounts-receivable aging: open invoice balances grouped by how long they are past due, per currency, and the
 * open-item list of a customer statement. Pure: the caller passes the items and the as-of date.
 *
 * Buckets by days past due (as-of date minus due date, whole calendar days in UTC):
 *   current   <= 0  (not yet due, or due on the as-of date)
 *   d1_30     1-30
 *   d31_60    31-60
 *   d61_90    61-90
 *   d90_plus  91 and more ("90+": more than 90 days past due)
 *
 * Balances are integer minor units. A negative balance (an unapplied credit note) is aged like any other item, so
 * a bucket can net below zero; zero balances are not open items and are left out of statements.
 */
import { isSupportedCurrency, SUPPORTED_CURRENCIES } from './currency.js';
import { assertSafeInteger } from './money.js';
import { parseIsoDate } from './payment-terms.js';

export interface AgingItem {
  readonly invoiceNumber: string;
  /** YYYY-MM-DD. */
  readonly dueDate: string;
  /** Open balance in integer minor units. */
  readonly balance: number;
  /** ISO 4217, one of the supported currencies. */
  readonly currency: string;
}

export const AGING_BUCKETS = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export type AgingTotals = { [B in AgingBucket]: number } & { total: number };

const MS_PER_DAY = 86_400_000;

/** Whole days from the due date to the as-of date: positive when overdue, 0 on the due date, negative before it. */
export function daysPastDue(dueDate: string, asOf: string): number {
  return (parseIsoDate(asOf) - parseIsoDate(dueDate)) / MS_PER_DAY;
}

/** The bucket of an item that is `days` past due (0 or negative: current). */
export function agingBucket(days: number): AgingBucket {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days past due must be an integer, got ${days}`);
  if (days <= 0) return 'current';
  if (days <= 30) return 'd1_30';
  if (days <= 60) return 'd31_60';
  if (days <= 90) return 'd61_90';
  return 'd90_plus';
}

function assertItem(item: AgingItem, i: number): void {
  assertSafeInteger(item.balance, `items[${i}].balance`);
  if (!isSupportedCurrency(item.currency)) {
    throw new RangeError(
      `items[${i}].currency "${item.currency}" is not a supported currency (${SUPPORTED_CURRENCIES.join(', ')})`,
    );
  }
}

const emptyTotals = (): AgingTotals => ({ current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 0, total: 0 });

function add(totals: AgingTotals, bucket: AgingBucket, amount: number, currency: string): void {
  totals[bucket] += amount;
  totals.total += amount;
  assertSafeInteger(totals[bucket], `${currency} ${bucket}`);
  assertSafeInteger(totals.total, `${currency} total`);
}

/**
 * Aging per currency (amounts in different currencies are never added up). Each currency's buckets sum to its
 * total. Currencies without items are absent.
 */
export function agingBuckets(items: readonly AgingItem[], asOf: string): Record<string, AgingTotals> {
  parseIsoDate(asOf);
  const result: Record<string, AgingTotals> = {};
  items.forEach((item, i) => {
    assertItem(item, i);
    const totals = (result[item.currency] ??= emptyTotals());
    add(totals, agingBucket(daysPastDue(item.dueDate, asOf)), item.balance, item.currency);
  });
  return result;
}

export type StatementLine<T extends AgingItem = AgingItem> = T & {
  /** Days past due, 0 when not yet due. */
  readonly daysOverdue: number;
  readonly bucket: AgingBucket;
};

export interface CustomerStatement<T extends AgingItem = AgingItem> {
  readonly asOf: string;
  /** Open items (balance not zero), oldest due date first, then by invoice number. */
  readonly lines: readonly StatementLine<T>[];
  /** The aging of those lines per currency. */
  readonly totals: Readonly<Record<string, AgingTotals>>;
}

/**
 * The open items of one customer as of a date, as printed on a statement: sorted by due date, each with its days
 * overdue and its bucket, plus the aging per currency. Extra fields on the items (invoice id, issue date ...)
 * are kept on the lines.
 */
export function customerStatement<T extends AgingItem>(items: readonly T[], asOf: string): CustomerStatement<T> {
  parseIsoDate(asOf);
  const lines = items
    .map((item, i): StatementLine<T> => {
      assertItem(item, i);
      const days = daysPastDue(item.dueDate, asOf);
      return { ...item, daysOverdue: Math.max(0, days), bucket: agingBucket(days) };
    })
    .filter((line) => line.balance !== 0)
    .sort((a, b) =>
      a.dueDate < b.dueDate
        ? -1
        : a.dueDate > b.dueDate
          ? 1
          : a.invoiceNumber < b.invoiceNumber
            ? -1
            : a.invoiceNumber > b.invoiceNumber
              ? 1
              : 0,
    );
  return { asOf, lines, totals: agingBuckets(lines, asOf) };
}
