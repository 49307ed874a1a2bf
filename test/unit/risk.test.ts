import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWorse, riskClassOf, scoreRisk, type PaymentBehaviour } from '../../domain/risk.js';

const punctual: PaymentBehaviour = {
  invoicesPaid: 12,
  averageDaysLate: 0,
  percentPaidLate: 0,
  highestDunningLevel: 0,
  disputes: 0,
};

describe('scoreRisk', () => {
  it('scores a punctual payer 100, low risk', () => {
    expect(scoreRisk(punctual)).toEqual({ score: 100, riskClass: 'low', basis: ['payment_history'] });
  });

  it('applies each capped penalty', () => {
    expect(scoreRisk({ ...punctual, averageDaysLate: 12, percentPaidLate: 50 })!.score).toBe(73); // 100 - 12 - 15
    expect(
      scoreRisk({ ...punctual, averageDaysLate: 90, percentPaidLate: 100, highestDunningLevel: 4, disputes: 9 }),
    ).toEqual({ score: 0, riskClass: 'high', basis: ['payment_history'] });
    expect(scoreRisk({ ...punctual, highestDunningLevel: 2, averageDaysLate: 25 })).toMatchObject({
      score: 55,
      riskClass: 'medium',
    });
  });

  it('weighs a bureau score as much as our own history, and uses it alone for a customer without history', () => {
    expect(scoreRisk({ ...punctual, averageDaysLate: 40 }, 20)).toEqual({
      score: 40,
      riskClass: 'medium',
      basis: ['payment_history', 'bureau'],
    });
    expect(scoreRisk({ ...punctual, invoicesPaid: 0 }, 35)).toEqual({
      score: 35,
      riskClass: 'high',
      basis: ['bureau'],
    });
  });

  it('has nothing to score on without history or bureau', () => {
    expect(scoreRisk({ ...punctual, invoicesPaid: 0 })).toBeUndefined();
  });

  it('refuses a bureau score outside 0-100', () => {
    expect(() => scoreRisk(punctual, 101)).toThrow(/bureauScore/);
  });

  it('always lands in 0-100, and more lateness never improves the score', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 30 }),
        (invoicesPaid, averageDaysLate, percentPaidLate, highestDunningLevel, disputes, extraDays) => {
          const b = { invoicesPaid, averageDaysLate, percentPaidLate, highestDunningLevel, disputes };
          const s = scoreRisk(b)!;
          expect(s.score).toBeGreaterThanOrEqual(0);
          expect(s.score).toBeLessThanOrEqual(100);
          expect(scoreRisk({ ...b, averageDaysLate: averageDaysLate + extraDays })!.score).toBeLessThanOrEqual(s.score);
        },
      ),
    );
  });
});

describe('risk classes', () => {
  it('splits at 70 and 40 and orders low < medium < high', () => {
    expect([100, 70, 69, 40, 39, 0].map(riskClassOf)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
    expect(isWorse('high', 'medium')).toBe(true);
    expect(isWorse('medium', 'high')).toBe(false);
    expect(isWorse('low', 'low')).toBe(false);
  });
});
