import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGING_BUCKETS,
  type AgingItem,
  agingBucket,
  agingBuckets,
  customerStatement,
  daysPastDue,
} from '../../domain/aging.js';
import { SUPPORTED_CURRENCIES } from '../../domain/currency.js';
import { isoDate, parseIsoDate } from '../../domain/payment-terms.js';

const DAY = 86_400_000;
const AS_OF = '2026-03-31';
/** The date `days` before `asOf`: an item due then is `days` past due. */
const dueDaysAgo = (days: number, asOf = AS_OF): string => isoDate(parseIsoDate(asOf) - days * DAY);
const item = (invoiceNumber: string, days: number, balance: number, currency = 'EUR'): AgingItem => ({
  invoiceNumber,
  dueDate: dueDaysAgo(days),
  balance,
  currency,
});

const arbDate = fc.integer({ min: 0, max: 60_000 }).map((n) => isoDate(Date.UTC(1950, 0, 1) + n * DAY));
const arbItem = (asOf: string): fc.Arbitrary<AgingItem> =>
  fc.record({
    invoiceNumber: fc.stringMatching(/^INV-[0-9]{6}$/),
    dueDate: fc.integer({ min: -400, max: 400 }).map((d) => dueDaysAgo(d, asOf)),
    balance: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
    currency: fc.constantFrom(...SUPPORTED_CURRENCIES),
  });
const arbCase = arbDate.chain((asOf) => fc.tuple(fc.constant(asOf), fc.array(arbItem(asOf), { maxLength: 40 })));

describe('accounts-receivable aging', () => {
  it('puts the boundary days in the right bucket', () => {
    const expected: [number, string][] = [
      [-30, 'current'],
      [-1, 'current'],
      [0, 'current'],
      [1, 'd1_30'],
      [30, 'd1_30'],
      [31, 'd31_60'],
      [60, 'd31_60'],
      [61, 'd61_90'],
      [90, 'd61_90'],
      [91, 'd90_plus'],
      [3650, 'd90_plus'],
    ];
    for (const [days, bucket] of expected) {
      expect(agingBucket(days), `${days} days`).toBe(bucket);
      const aging = agingBuckets([item('INV-1', days, 100)], AS_OF);
      expect(aging.EUR?.[bucket as keyof NonNullable<typeof aging.EUR>], `${days} days via dates`).toBe(100);
      expect(aging.EUR?.total).toBe(100);
    }
  });

  it('counts whole calendar days across month ends, leap days and DST', () => {
    expect(daysPastDue('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysPastDue('2025-02-28', '2025-03-01')).toBe(1);
    expect(daysPastDue('2026-03-28', '2026-03-30')).toBe(2); // across the EU summer-time switch
    expect(daysPastDue('2026-04-30', '2026-03-31')).toBe(-30);
    expect(agingBucket(daysPastDue('2026-01-30', '2026-03-01'))).toBe('d1_30'); // 30 days
    expect(agingBucket(daysPastDue('2026-01-29', '2026-03-01'))).toBe('d31_60'); // 31 days
  });

  it('ages per currency and never adds currencies together', () => {
    const aging = agingBuckets(
      [
        item('INV-1', 0, 1_000),
        item('INV-2', 45, 2_500),
        item('INV-3', 45, 500),
        item('NO-1', 120, 9_900, 'NOK'),
        item('CN-1', 10, -300),
      ],
      AS_OF,
    );
    expect(aging).toEqual({
      EUR: { current: 1_000, d1_30: -300, d31_60: 3_000, d61_90: 0, d90_plus: 0, total: 3_700 },
      NOK: { current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 9_900, total: 9_900 },
    });
    expect(agingBuckets([], AS_OF)).toEqual({});
  });

  it('rejects bad input', () => {
    expect(() => agingBuckets([item('INV-1', 1, 10.5)], AS_OF)).toThrow(/items\[0\]\.balance must be a safe integer/);
    expect(() => agingBuckets([item('INV-1', 1, 10, 'XYZ')], AS_OF)).toThrow(/not a supported currency/);
    expect(() => agingBuckets([{ ...item('INV-1', 1, 10), dueDate: '2026-02-30' }], AS_OF)).toThrow(
      /not a real calendar date/,
    );
    expect(() => agingBuckets([], '31-03-2026')).toThrow(/YYYY-MM-DD/);
    expect(() => customerStatement([], '2026-13-01')).toThrow(/not a real calendar date/);
    expect(() => agingBuckets([item('A', 1, Number.MAX_SAFE_INTEGER), item('B', 1, 1)], AS_OF)).toThrow(
      /EUR d1_30 must be a safe integer/,
    );
  });

  it('property: per currency, the buckets sum to the total, and the total is the sum of the balances', () => {
    fc.assert(
      fc.property(arbCase, ([asOf, items]) => {
        const aging = agingBuckets(items, asOf);
        expect(Object.keys(aging).sort()).toEqual([...new Set(items.map((i) => i.currency))].sort());
        for (const [currency, totals] of Object.entries(aging)) {
          expect(AGING_BUCKETS.reduce((s, b) => s + totals[b], 0)).toBe(totals.total);
          expect(totals.total).toBe(items.filter((i) => i.currency === currency).reduce((s, i) => s + i.balance, 0));
        }
      }),
    );
  });

  it('property: every item lands in exactly one bucket, the one its days past due say', () => {
    fc.assert(
      fc.property(arbCase, ([asOf, items]) => {
        for (const it of items) {
          const aging = agingBuckets([{ ...it, balance: 1 }], asOf);
          const totals = aging[it.currency]!;
          const hit = AGING_BUCKETS.filter((b) => totals[b] === 1);
          expect(hit).toHaveLength(1);
          expect(AGING_BUCKETS.filter((b) => totals[b] !== 0)).toEqual(hit);
          const days = daysPastDue(it.dueDate, asOf);
          const lo = { current: -Infinity, d1_30: 1, d31_60: 31, d61_90: 61, d90_plus: 91 }[hit[0]!];
          const hi = { current: 0, d1_30: 30, d31_60: 60, d61_90: 90, d90_plus: Infinity }[hit[0]!];
          expect(days).toBeGreaterThanOrEqual(lo);
          expect(days).toBeLessThanOrEqual(hi);
        }
      }),
    );
  });

  it('property: boundary days 0, 1, 30, 31, 60, 61, 90, 91 land correctly from any as-of date', () => {
    const boundaries = {
      0: 'current',
      1: 'd1_30',
      30: 'd1_30',
      31: 'd31_60',
      60: 'd31_60',
      61: 'd61_90',
      90: 'd61_90',
      91: 'd90_plus',
    } as const;
    fc.assert(
      fc.property(arbDate, fc.constantFrom(0, 1, 30, 31, 60, 61, 90, 91), (asOf, days) => {
        const statement = customerStatement(
          [{ invoiceNumber: 'X', dueDate: dueDaysAgo(days, asOf), balance: 1, currency: 'EUR' }],
          asOf,
        );
        expect(statement.lines[0]?.bucket).toBe(boundaries[days]);
        expect(statement.lines[0]?.daysOverdue).toBe(days);
      }),
    );
  });
});

describe('customer statement', () => {
  it('lists open items oldest first with days overdue and bucket, keeping extra fields', () => {
    const items = [
      { ...item('INV-3', -5, 700), invoiceId: 'c' },
      { ...item('INV-2', 40, 1_200), invoiceId: 'b' },
      { ...item('INV-9', 0, 0), invoiceId: 'paid' },
      { ...item('INV-1', 95, 300), invoiceId: 'a' },
      { ...item('INV-0', 40, 50), invoiceId: 'z' },
    ];
    const statement = customerStatement(items, AS_OF);
    expect(statement.asOf).toBe(AS_OF);
    expect(statement.lines.map((l) => [l.invoiceNumber, l.invoiceId, l.daysOverdue, l.bucket])).toEqual([
      ['INV-1', 'a', 95, 'd90_plus'],
      ['INV-0', 'z', 40, 'd31_60'],
      ['INV-2', 'b', 40, 'd31_60'],
      ['INV-3', 'c', 0, 'current'],
    ]);
    expect(statement.lines[3]?.dueDate).toBe('2026-04-05');
    expect(statement.totals).toEqual({
      EUR: { current: 700, d1_30: 0, d31_60: 1_250, d61_90: 0, d90_plus: 300, total: 2_250 },
    });
  });

  it('property: lines are the non-zero items sorted by due date, and totals agree with agingBuckets', () => {
    fc.assert(
      fc.property(arbCase, ([asOf, items]) => {
        const { lines, totals } = customerStatement(items, asOf);
        expect(lines).toHaveLength(items.filter((i) => i.balance !== 0).length);
        for (let i = 1; i < lines.length; i++) expect(lines[i - 1]!.dueDate <= lines[i]!.dueDate).toBe(true);
        for (const l of lines) {
          expect(l.daysOverdue).toBe(Math.max(0, daysPastDue(l.dueDate, asOf)));
          expect(l.bucket).toBe(agingBucket(daysPastDue(l.dueDate, asOf)));
        }
        const all = agingBuckets(items, asOf);
        for (const [currency, t] of Object.entries(totals)) expect(t).toEqual(all[currency]);
      }),
    );
  });
});
