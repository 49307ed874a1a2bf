import { parseIsoDate } from './payment-terms.js';

/**
 * What the law of the seller's country lets a creditor charge a late payer, as dated figures with their source.
 * Figures change (interest twice a year); a figure applies from its `from` date until the next one. A figure
 * whose publication could not be read when it was entered is `verified: false`, with a note: the charge is still
 * computed from it, its basis records that, and the README lists them so finance can check them.
 */
export interface DatedFigure {
  /** ISO date the figure applies from. */
  readonly from: string;
  /** Minor units for amounts; basis points per year for interest rates. */
  readonly value: number;
  readonly source: string;
  readonly verified: boolean;
  readonly note?: string;
}

export interface LatePaymentLaw {
  readonly country: string;
  /** The currency the law's amounts are in; no charge is posted on invoices in another currency. */
  readonly currency: string;
  /** Fixed compensation for recovery costs, once per late invoice, business debtors only (Directive 2011/7/EU art. 6). */
  readonly compensation: readonly DatedFigure[];
  /** Statutory interest on commercial transactions, from the day after the due date. */
  readonly commercialInterest: readonly DatedFigure[];
  /** Statutory interest when the debtor is a consumer (where it differs from the commercial rate). */
  readonly consumerInterest?: readonly DatedFigure[];
  /** Unpaid interest is added to the principal at the end of each year (NL, art. 6:119a(3) BW); else simple. */
  readonly compoundsYearly: boolean;
  /** The most a reminder may cost, how many reminders may be charged, and how long after the due date at earliest. */
  readonly reminderFee?: {
    readonly figures: readonly DatedFigure[];
    readonly maxPerInvoice: number;
    readonly notBeforeDaysOverdue: number;
    readonly source: string;
  };
  /** Collection costs a consumer owes after the 14-day letter, as a sliding scale (NL, WIK). */
  readonly consumerCollectionCosts?: CollectionCostScale;
  /** The notice a letter must give before collection (costs or an agency): days, and for whom. */
  readonly noticeBeforeCollection?: {
    readonly days: number;
    readonly debtors: 'all' | 'consumers';
    readonly source: string;
  };
}

export interface CollectionCostScale {
  /** Slices of the principal (minor units; null: the rest) and the rate on each, in basis points. */
  readonly slices: readonly { readonly upTo: number | null; readonly rateBp: number }[];
  readonly minimum: number;
  readonly maximum: number;
  readonly source: string;
}

const NL_HANDELSRENTE =
  'art. 6:119a and 6:120(2) BW (ECB refinancing rate + 8 points), rijksoverheid.nl/onderwerpen/schulden/wettelijke-rente';
const NL_WETTELIJKE_RENTE =
  'art. 6:119 BW, Besluit vaststelling wettelijke rente, rijksoverheid.nl/onderwerpen/schulden/wettelijke-rente';
const NO_FORSINKELSESRENTE =
  'forsinkelsesrenteloven (LOV-1976-12-17-100) § 3 and § 3a, half-yearly regulation of Finansdepartementet';

/** The statutory table: the README's "Statutory rules" section lists it with the same sources. */
export const LATE_PAYMENT_LAWS: Readonly<Record<string, LatePaymentLaw>> = Object.freeze({
  NL: {
    country: 'NL',
    currency: 'EUR',
    compensation: [
      { from: '2013-03-16', value: 4000, source: 'art. 6:96(4) BW (Directive 2011/7/EU art. 6)', verified: true },
    ],
    commercialInterest: [
      { from: '2024-01-01', value: 1250, source: NL_HANDELSRENTE, verified: true },
      { from: '2024-07-01', value: 1225, source: NL_HANDELSRENTE, verified: true },
      { from: '2025-01-01', value: 1115, source: NL_HANDELSRENTE, verified: true },
      {
        from: '2025-07-01',
        value: 1015,
        source: NL_HANDELSRENTE,
        verified: false,
        note: 'ECB main refinancing rate of 2.15% (from 2025-06-11) + 8 points; the publication was not read',
      },
      {
        from: '2026-01-01',
        value: 1015,
        source: NL_HANDELSRENTE,
        verified: false,
        note: 'assumes the ECB rate unchanged at 2.15%; the publication was not read',
      },
    ],
    consumerInterest: [
      { from: '2024-01-01', value: 700, source: NL_WETTELIJKE_RENTE, verified: true },
      { from: '2025-01-01', value: 600, source: NL_WETTELIJKE_RENTE, verified: true },
    ],
    compoundsYearly: true,
    consumerCollectionCosts: {
      slices: [
        { upTo: 250_000, rateBp: 1500 },
        { upTo: 500_000, rateBp: 1000 },
        { upTo: 1_000_000, rateBp: 500 },
        { upTo: 20_000_000, rateBp: 100 },
        { upTo: null, rateBp: 50 },
      ],
      minimum: 4000,
      maximum: 677_500,
      source: 'Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012, 141) art. 2; art. 6:96(6) BW',
    },
    noticeBeforeCollection: {
      days: 14,
      debtors: 'consumers',
      source: 'art. 6:96(6) BW (WIK): the 14-day letter, counted from the day after it is received',
    },
  },
  NO: {
    country: 'NO',
    currency: 'NOK',
    compensation: [
      { from: '2023-01-01', value: 41_000, source: NO_FORSINKELSESRENTE + ' (Jan 2023)', verified: true },
      {
        from: '2023-07-01',
        value: 41_000,
        source: NO_FORSINKELSESRENTE,
        verified: false,
        note: 'the regulations of July 2023 to July 2024 were not read; the January 2023 amount is carried',
      },
      { from: '2025-01-01', value: 47_000, source: 'FOR-2024-12-19-3279 § 2', verified: true },
      {
        from: '2025-07-01',
        value: 47_000,
        source: 'FOR-2025-06-23-1321',
        verified: false,
        note: 'the regulation replacing FOR-2024-12-19-3279 was not read; the earlier amount is carried',
      },
    ],
    commercialInterest: [
      { from: '2023-01-01', value: 1075, source: NO_FORSINKELSESRENTE + ' (Jan 2023)', verified: true },
      {
        from: '2023-07-01',
        value: 1125,
        source: NO_FORSINKELSESRENTE,
        verified: false,
        note: 'Norges Bank policy rate 3.25% on 1 June 2023 + 8 points; the regulation was not read',
      },
      {
        from: '2024-01-01',
        value: 1225,
        source: NO_FORSINKELSESRENTE,
        verified: false,
        note: 'policy rate 4.25% on 1 December 2023 + 8 points; the regulation was not read',
      },
      {
        from: '2024-07-01',
        value: 1250,
        source: NO_FORSINKELSESRENTE,
        verified: false,
        note: 'policy rate 4.5% + 8 points; the regulation was not read',
      },
      { from: '2025-01-01', value: 1250, source: 'FOR-2024-12-19-3279 § 1', verified: true },
      {
        from: '2025-07-01',
        value: 1250,
        source: 'FOR-2025-06-23-1321',
        verified: false,
        note: 'policy rate 4.5% on 1 June 2025 + 8 points; the regulation was not read',
      },
      {
        from: '2026-01-01',
        value: 1200,
        source: NO_FORSINKELSESRENTE,
        verified: false,
        note: 'policy rate 4.0% on 1 December 2025 + 8 points; the regulation was not read',
      },
    ],
    compoundsYearly: false,
    reminderFee: {
      figures: [
        {
          from: '2021-01-01',
          value: 3500,
          source: 'inkassoforskriften § 1-2 (1/20 of the inkassosats of NOK 700)',
          verified: true,
          note: 'later changes of the inkassosats were not verified',
        },
      ],
      maxPerInvoice: 2,
      notBeforeDaysOverdue: 14,
      source:
        'inkassoloven § 10 and inkassoforskriften § 1-2: at most two reminder fees, from 14 days after the due date',
    },
    noticeBeforeCollection: {
      days: 14,
      debtors: 'all',
      source: 'inkassoloven (LOV-1988-05-13-26) § 9: the notice gives at least 14 days before collection starts',
    },
  },
});

export function lawOf(country: string): LatePaymentLaw | undefined {
  return LATE_PAYMENT_LAWS[country.toUpperCase()];
}

/** The figure in force on `date`, or undefined before the first one. */
export function figureOn(figures: readonly DatedFigure[], date: string): DatedFigure | undefined {
  let found: DatedFigure | undefined;
  for (const f of figures) if (f.from <= date) found = f;
  return found;
}

const DAY_MS = 86_400_000;

export interface InterestPeriod {
  readonly from: string;
  /** Inclusive. */
  readonly to: string;
  readonly days: number;
  readonly rateBp: number;
  readonly principal: number;
  readonly verified: boolean;
}

/**
 * Statutory interest on `principal` for the days `from` to `to` inclusive, at the rate in force on each day
 * (actual/365), the periods it used, and, where the law compounds yearly, the interest of each full year since
 * `compoundFrom` added to the principal. Rounded to the minor unit once per period, half up. Throws when a day has
 * no known rate: a charge must not be guessed.
 */
export function statutoryInterest(input: {
  principal: number;
  from: string;
  to: string;
  rates: readonly DatedFigure[];
  compoundsYearly: boolean;
  /** The first day of interest (the day after the due date), where compounding years count from. */
  compoundFrom: string;
}): { amount: number; periods: InterestPeriod[] } {
  const { rates } = input;
  const periods: InterestPeriod[] = [];
  const start = parseIsoDate(input.from);
  const end = parseIsoDate(input.to);
  if (end < start) return { amount: 0, periods };
  let principal = input.principal;
  let yearInterest = 0;
  let yearEnd = input.compoundsYearly ? anniversary(input.compoundFrom, start) : Infinity;
  let day = start;
  let amount = 0;
  while (day <= end) {
    if (day >= yearEnd) {
      principal += yearInterest;
      yearInterest = 0;
      yearEnd = anniversary(input.compoundFrom, day);
    }
    const date = new Date(day).toISOString().slice(0, 10);
    const rate = figureOn(rates, date);
    if (!rate) throw new RangeError(`No statutory interest rate is known for ${date}`);
    const next = rates.find((r) => r.from > date);
    const periodEnd = Math.min(end, next ? parseIsoDate(next.from) - DAY_MS : end, yearEnd - DAY_MS);
    const days = Math.round((periodEnd - day) / DAY_MS) + 1;
    const interest = Math.round((principal * rate.value * days) / (10_000 * 365));
    periods.push({
      from: date,
      to: new Date(periodEnd).toISOString().slice(0, 10),
      days,
      rateBp: rate.value,
      principal,
      verified: rate.verified,
    });
    amount += interest;
    yearInterest += interest;
    day = periodEnd + DAY_MS;
  }
  return { amount, periods };
}

/** The first anniversary of `from` after `day` (epoch ms). */
function anniversary(from: string, day: number): number {
  const start = new Date(parseIsoDate(from));
  let years = 1;
  for (;;) {
    const at = Date.UTC(start.getUTCFullYear() + years, start.getUTCMonth(), start.getUTCDate());
    if (at > day) return at;
    years++;
  }
}

/** Collection costs on a principal by a sliding scale, within its minimum and maximum. */
export function collectionCosts(scale: CollectionCostScale, principal: number): number {
  let rest = principal;
  let lower = 0;
  let costs = 0;
  for (const slice of scale.slices) {
    const width = slice.upTo === null ? rest : Math.min(rest, slice.upTo - lower);
    costs += (width * slice.rateBp) / 10_000;
    rest -= width;
    if (slice.upTo !== null) lower = slice.upTo;
    if (rest <= 0) break;
  }
  return Math.min(scale.maximum, Math.max(scale.minimum, Math.round(costs)));
}
