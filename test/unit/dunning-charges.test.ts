import { describe, expect, it } from 'vitest';
import { chargesForLevel, type ChargeContext } from '../../domain/dunning-charges.js';
import {
  DEFAULT_DUNNING_POLICY,
  fitPolicyToLaw,
  latestDueLevel,
  nextDunningStep,
  validateDunningPolicy,
} from '../../domain/dunning.js';
import {
  LATE_PAYMENT_LAWS,
  collectionCosts,
  figureOn,
  lawOf,
  statutoryInterest,
} from '../../domain/late-payment-law.js';

const DAY = 86_400_000;
const NL = LATE_PAYMENT_LAWS.NL!;
const NO = LATE_PAYMENT_LAWS.NO!;

describe('the statutory table', () => {
  it('gives the figure in force on a day, and nothing before the first', () => {
    expect(figureOn(NL.commercialInterest, '2024-06-30')?.value).toBe(1250);
    expect(figureOn(NL.commercialInterest, '2024-07-01')?.value).toBe(1225);
    expect(figureOn(NL.commercialInterest, '2023-12-31')).toBeUndefined();
    expect(lawOf('no')).toBe(NO);
    expect(lawOf('SE')).toBeUndefined();
  });

  it('names a source for every figure and says which were not verified', () => {
    for (const law of Object.values(LATE_PAYMENT_LAWS)) {
      const figures = [
        ...law.compensation,
        ...law.commercialInterest,
        ...(law.consumerInterest ?? []),
        ...(law.reminderFee?.figures ?? []),
      ];
      for (const f of figures) {
        expect(f.source.length).toBeGreaterThan(5);
        if (!f.verified) expect(f.note).toBeTruthy();
      }
      // Dated periods in order, so the one in force is the last that started.
      const dates = law.commercialInterest.map((f) => f.from);
      expect([...dates].sort()).toEqual(dates);
    }
  });
});

describe('statutory interest', () => {
  it('is actual/365 on the principal, rounded to the cent', () => {
    // EUR 10,000 at 12.5 % for 31 days: 10,000 x 0.125 x 31 / 365 = 106.16
    const r = statutoryInterest({
      principal: 1_000_000,
      from: '2024-03-01',
      to: '2024-03-31',
      rates: NL.commercialInterest,
      compoundsYearly: false,
      compoundFrom: '2024-03-01',
    });
    expect(r.amount).toBe(10_616);
    expect(r.periods).toEqual([
      { from: '2024-03-01', to: '2024-03-31', days: 31, rateBp: 1250, principal: 1_000_000, verified: true },
    ]);
  });

  it('changes rate on the day a new period starts', () => {
    const r = statutoryInterest({
      principal: 1_000_000,
      from: '2024-06-21',
      to: '2024-07-10',
      rates: NL.commercialInterest,
      compoundsYearly: false,
      compoundFrom: '2024-06-21',
    });
    expect(r.periods.map((p) => [p.from, p.to, p.days, p.rateBp])).toEqual([
      ['2024-06-21', '2024-06-30', 10, 1250],
      ['2024-07-01', '2024-07-10', 10, 1225],
    ]);
    // 10 days at 12.5 % (3,424.66 cents) + 10 days at 12.25 % (3,356.16 cents)
    expect(r.amount).toBe(3_425 + 3_356);
  });

  it('adds a year of unpaid interest to the principal where the law compounds (NL), not where it does not (NO)', () => {
    const over = (law: typeof NL) =>
      statutoryInterest({
        principal: 1_000_000,
        from: '2025-01-01',
        to: '2026-01-31',
        rates: [{ from: '2020-01-01', value: 1000, source: 'test', verified: true }],
        compoundsYearly: law.compoundsYearly,
        compoundFrom: '2025-01-01',
      });
    const simple = over(NO);
    const compound = over(NL);
    expect(simple.periods.map((p) => p.principal)).toEqual([1_000_000]);
    expect(compound.periods.map((p) => p.principal)).toEqual([1_000_000, 1_100_000]);
    expect(compound.amount - simple.amount).toBe(Math.round((100_000 * 1000 * 31) / 3_650_000));
  });

  it('refuses a day with no known rate rather than guess one', () => {
    expect(() =>
      statutoryInterest({
        principal: 100,
        from: '2023-12-30',
        to: '2024-01-02',
        rates: NL.commercialInterest,
        compoundsYearly: true,
        compoundFrom: '2023-12-30',
      }),
    ).toThrow(/No statutory interest rate is known for 2023-12-30/);
  });
});

describe('Dutch collection costs (WIK scale)', () => {
  const scale = NL.consumerCollectionCosts!;
  it('is 15 % of the first EUR 2,500 with a minimum of EUR 40, then sliding, capped at EUR 6,775', () => {
    expect(collectionCosts(scale, 10_000)).toBe(4_000); // EUR 100: 15 % is 15, the minimum is 40
    expect(collectionCosts(scale, 250_000)).toBe(37_500);
    // EUR 10,000: 375 + 250 + 250
    expect(collectionCosts(scale, 1_000_000)).toBe(87_500);
    // EUR 2,000,000: 375 + 250 + 250 + 1,900 + 0.5 % of 1,800,000 = 11,775, capped
    expect(collectionCosts(scale, 200_000_000)).toBe(677_500);
  });
});

describe('charges of a dunning level', () => {
  const base: ChargeContext = {
    kinds: ['compensation', 'interest'],
    level: 1,
    date: '2025-02-10',
    invoice: { dueDate: '2025-01-10', currency: 'EUR', principal: 1_000_000 },
    debtor: 'business',
    law: NL,
    posted: [],
  };

  it('charges a business the EUR 40 once per invoice, and the interest since the day after the due date', () => {
    const { charges, skipped } = chargesForLevel(base);
    expect(skipped).toEqual([]);
    // 31 days (11 Jan to 10 Feb) at 11.15 %: 10,000 x 0.1115 x 31 / 365 = 94.70
    expect(charges.map((c) => [c.kind, c.amount])).toEqual([
      ['compensation', 4_000],
      ['interest', 9_470],
    ]);
    const second = chargesForLevel({
      ...base,
      level: 2,
      date: '2025-02-24',
      posted: charges.map(({ kind, amount }) => ({ kind, amount })),
    });
    expect(second.skipped).toEqual([{ kind: 'compensation', reason: 'charged once per invoice, already charged' }]);
    // 45 days' interest in all (137.47), less the 94.70 charged at level 1
    expect(second.charges.map((c) => [c.kind, c.amount, c.basis.chargedBefore])).toEqual([['interest', 4_277, 9_470]]);
  });

  it('charges a consumer neither the B2B compensation nor collection costs before a letter, and the consumer rate', () => {
    const consumer = {
      ...base,
      debtor: 'consumer' as const,
      kinds: ['compensation', 'interest', 'collection_costs'] as const,
    };
    const first = chargesForLevel({ ...consumer, kinds: [...consumer.kinds] });
    expect(first.skipped.map((s) => s.kind)).toEqual(['compensation', 'collection_costs']);
    expect(first.charges[0]!.basis.periods![0]!.rateBp).toBe(600);
    const later = chargesForLevel({ ...consumer, kinds: ['collection_costs'], level: 3 });
    expect(later.charges.map((c) => [c.kind, c.amount])).toEqual([['collection_costs', 87_500]]);
  });

  it('caps the Norwegian reminder fee at two per invoice, and only from 14 days after the due date', () => {
    const no: ChargeContext = {
      ...base,
      kinds: ['reminder_fee'],
      law: NO,
      invoice: { ...base.invoice, currency: 'NOK' },
      date: '2025-01-20',
    };
    expect(chargesForLevel(no).skipped[0]!.reason).toMatch(/from 14 days after the due date/);
    expect(chargesForLevel({ ...no, date: '2025-01-24' }).charges.map((c) => c.amount)).toEqual([3_500]);
    const twice = [
      { kind: 'reminder_fee' as const, amount: 3_500 },
      { kind: 'reminder_fee' as const, amount: 3_500 },
    ];
    expect(chargesForLevel({ ...no, date: '2025-02-24', posted: twice }).skipped[0]!.reason).toMatch(/at most 2/);
  });

  it('posts nothing in a currency the law has no amounts in, or without a law for the country', () => {
    const usd = chargesForLevel({ ...base, invoice: { ...base.invoice, currency: 'USD' } });
    expect(usd.charges).toEqual([]);
    expect(usd.skipped[0]!.reason).toMatch(/in EUR, the invoice is in USD/);
    expect(chargesForLevel({ ...base, law: undefined }).charges).toEqual([]);
  });
});

describe('notice before collection', () => {
  const anchor = Date.parse('2025-03-01T00:00:00Z');

  it('Norway: the hand-over waits 15 days after the inkassovarsel, for any debtor', () => {
    const policy = validateDunningPolicy({
      id: 'short',
      levels: [
        { level: 1, name: 'reminder', offset: 'P7D' },
        { level: 2, name: 'final_notice', offset: 'P21D' },
        { level: 3, name: 'collection_agency', offset: 'P28D' },
      ],
    });
    const fitted = fitPolicyToLaw(policy, NO, 'business');
    expect(fitted.levels.map((l) => l.notice)).toEqual([undefined, undefined, 'P15D']);
    expect(fitPolicyToLaw(DEFAULT_DUNNING_POLICY, NO, 'consumer').levels[3]!.notice).toBe('P15D');
    // The inkassovarsel went out on time (day 21): the policy's 7 days to the hand-over become 15.
    const sent = { level: 2, reachedAtMs: anchor + 21 * DAY };
    expect(nextDunningStep(policy, anchor, sent)!.atMs).toBe(anchor + 28 * DAY);
    expect(nextDunningStep(fitted, anchor, sent)!.atMs).toBe(anchor + 36 * DAY);
  });

  it('is never skipped: after downtime across the final notice and the hand-over, the final notice is sent', () => {
    const fitted = fitPolicyToLaw(DEFAULT_DUNNING_POLICY, NO, 'business');
    const position = { level: 2, reachedAtMs: anchor + 14 * DAY };
    expect(latestDueLevel(DEFAULT_DUNNING_POLICY, anchor, position, anchor + 60 * DAY)!.name).toBe('collection_agency');
    expect(latestDueLevel(fitted, anchor, position, anchor + 60 * DAY)!.name).toBe('final_notice');
  });

  it('the Netherlands: the 14-day letter before collection costs for consumers only', () => {
    const policy = validateDunningPolicy({
      id: 'wik',
      levels: [
        { level: 1, name: 'reminder', offset: 'P7D' },
        { level: 2, name: 'veertiendagenbrief', offset: 'P14D' },
        { level: 3, name: 'collection_costs', offset: 'P21D', charges: ['collection_costs'] },
      ],
    });
    expect(fitPolicyToLaw(policy, NL, 'business')).toBe(policy);
    const consumer = fitPolicyToLaw(policy, NL, 'consumer');
    expect(consumer.levels[2]!.notice).toBe('P15D');
    const reached = { level: 2, reachedAtMs: anchor + 14 * DAY };
    expect(nextDunningStep(consumer, anchor, reached)!.atMs).toBe(anchor + 29 * DAY);
  });

  it('keeps a longer notice the policy sets, and refuses a first level that collects', () => {
    const long = validateDunningPolicy({
      id: 'long',
      levels: [
        { level: 1, name: 'reminder', offset: 'P7D' },
        { level: 2, name: 'collection_agency', offset: 'P60D', notice: 'P30D' },
      ],
    });
    expect(fitPolicyToLaw(long, NO, 'business').levels[1]!.notice).toBe('P30D');
    expect(() =>
      validateDunningPolicy({ id: 'x', levels: [{ level: 1, name: 'collection_agency', offset: 'P7D' }] }),
    ).toThrow(/the first level cannot collect/);
    expect(() =>
      validateDunningPolicy({ id: 'x', levels: [{ level: 1, name: 'r', offset: 'P7D', charges: ['fee'] }] }),
    ).toThrow(/charges must be a list of compensation, interest, reminder_fee, collection_costs/);
  });
});
