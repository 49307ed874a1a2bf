/**
 * The receivables figures finance managers steer by, from the accounts receivable on a day and the credit sales of
 * the period before it. Pure: one currency at a time (amounts in different currencies are never added up); the
 * README's reporting section gives each formula.
 *
 *   AR(d)              what customers owe at the end of day d: invoices issued by then, less what paid,
 *                      credited or wrote them off by then
 *   current AR(d)      the part of AR(d) not yet past due on d
 *   credit sales       invoices issued in the period less credit notes issued in it
 *   DSO                AR(end) / credit sales x days in the period
 *   best possible DSO  current AR(end) / credit sales x days in the period
 *   ADD                DSO - best possible DSO (average days delinquent)
 *   CEI                (AR(start - 1) + credit sales - AR(end)) / (AR(start - 1) + credit sales - current AR(end)) x 100
 *   % current          current AR(end) / AR(end) x 100
 *   count-back DSO     the days of sales, counted back from the end month by month, that AR(end) amounts to
 */
import { parseIsoDate } from './payment-terms.js';

const DAY_MS = 86_400_000;

export interface PeriodFigures {
  /** The period's days, its first and last day included. */
  days: number;
  /** AR at the end of the day before the period. */
  openingAr: number;
  creditSales: number;
  closingAr: number;
  closingCurrentAr: number;
}

export interface ReceivableKpis {
  dso: number | null;
  bestPossibleDso: number | null;
  averageDaysDelinquent: number | null;
  collectionEffectivenessIndex: number | null;
  percentCurrent: number | null;
}

/** One decimal, as the figures are read; null stays null (nothing sold, nothing owed: no ratio). */
const oneDecimal = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** AR / credit sales x days: how many days of sales are still owed. Null without sales. */
export function standardDso(ar: number, creditSales: number, days: number): number | null {
  return oneDecimal(ratio(ar * days, creditSales));
}

export function receivableKpis(p: PeriodFigures): ReceivableKpis {
  const dso = ratio(p.closingAr * p.days, p.creditSales);
  const best = ratio(p.closingCurrentAr * p.days, p.creditSales);
  const collectible = p.openingAr + p.creditSales;
  const cei = ratio((collectible - p.closingAr) * 100, collectible - p.closingCurrentAr);
  const current = ratio(p.closingCurrentAr * 100, p.closingAr);
  return {
    dso: oneDecimal(dso),
    bestPossibleDso: oneDecimal(best),
    averageDaysDelinquent: dso === null || best === null ? null : oneDecimal(dso - best),
    collectionEffectivenessIndex: oneDecimal(cei),
    percentCurrent: oneDecimal(current),
  };
}

export interface MonthSales {
  /** YYYY-MM. */
  month: string;
  /** The month's days counted: all of them, or up to the as-of day for the month it falls in. */
  days: number;
  creditSales: number;
}

/**
 * Count-back DSO: take AR(end) and count back through the months, latest first, a whole month's days for each
 * month whose sales it covers and the covered fraction of the first one it does not. Months must be latest first;
 * AR larger than all their sales counts all their days (the figure is then a floor). Null when nothing is owed.
 */
export function countBackDso(closingAr: number, monthsLatestFirst: readonly MonthSales[]): number | null {
  if (closingAr <= 0) return closingAr === 0 ? 0 : null;
  let left = closingAr;
  let days = 0;
  for (const m of monthsLatestFirst) {
    if (m.creditSales <= 0) {
      days += m.days;
      continue;
    }
    if (left <= m.creditSales) return oneDecimal(days + (left / m.creditSales) * m.days);
    left -= m.creditSales;
    days += m.days;
  }
  return oneDecimal(days);
}

/** The months back from `asOf` (its own month first, counted to asOf), with their days. */
export function monthsBack(asOf: string, count: number): { month: string; from: string; to: string; days: number }[] {
  const end = parseIsoDate(asOf);
  const out: { month: string; from: string; to: string; days: number }[] = [];
  const d = new Date(end);
  for (let i = 0; i < count; i++) {
    const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1);
    const last = Math.min(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i + 1, 0), end);
    out.push({
      month: new Date(first).toISOString().slice(0, 7),
      from: isoDay(first),
      to: isoDay(last),
      days: Math.round((last - first) / DAY_MS) + 1,
    });
  }
  return out;
}

export interface ExpectedItem {
  dueDate: string;
  balance: number;
}

export interface ForecastBucket {
  /** overdue, week_1 .. week_n, later */
  bucket: string;
  /** First and last day of the bucket (null: open-ended). */
  from: string | null;
  to: string | null;
  amount: number;
}

/**
 * Cash expected by due date: what is already past due, then week by week from `asOf` (days 0-6, 7-13, ...) for
 * `weeks` weeks, and what falls due later. Every open amount is in exactly one bucket.
 */
export function cashForecast(items: readonly ExpectedItem[], asOf: string, weeks: number): ForecastBucket[] {
  const start = parseIsoDate(asOf);
  const buckets: ForecastBucket[] = [
    { bucket: 'overdue', from: null, to: isoDay(start - DAY_MS), amount: 0 },
    ...Array.from({ length: weeks }, (_, i) => ({
      bucket: `week_${i + 1}`,
      from: isoDay(start + i * 7 * DAY_MS),
      to: isoDay(start + (i * 7 + 6) * DAY_MS),
      amount: 0,
    })),
    { bucket: 'later', from: isoDay(start + weeks * 7 * DAY_MS), to: null, amount: 0 },
  ];
  for (const item of items) {
    const days = (parseIsoDate(item.dueDate) - start) / DAY_MS;
    const index = days < 0 ? 0 : days >= weeks * 7 ? weeks + 1 : 1 + Math.floor(days / 7);
    buckets[index]!.amount += item.balance;
  }
  return buckets;
}

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The period of `days` days ending on `asOf`: its first day and the day before it. */
export function periodEnding(asOf: string, days: number): { from: string; dayBefore: string } {
  const end = parseIsoDate(asOf);
  return { from: isoDay(end - (days - 1) * DAY_MS), dayBefore: isoDay(end - days * DAY_MS) };
}
