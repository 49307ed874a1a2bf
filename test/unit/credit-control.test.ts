import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideCredit, DEFAULT_CREDIT_POLICY, type CreditCheckInputs } from '../../domain/credit-control.js';

const base: CreditCheckInputs = {
  account: { creditLimit: 10_000, riskClass: 'medium', blocked: false },
  exposure: { notDue: 3_000, overdue: 0, uninvoicedShipments: 0, openOrders: 2_000 },
  orderTotal: 4_000,
  oldestOverdueDays: 0,
  hasPaymentHistory: true,
};
type Patch = Partial<Omit<CreditCheckInputs, 'account' | 'exposure'>> & {
  account?: Partial<CreditCheckInputs['account']>;
  exposure?: Partial<CreditCheckInputs['exposure']>;
};
const withInputs = (patch: Patch) =>
  decideCredit({
    ...base,
    ...patch,
    account: { ...base.account, ...patch.account },
    exposure: { ...base.exposure, ...patch.exposure },
  });

describe('decideCredit', () => {
  it('approves within the limit and reports exposure over all buckets, headroom and a full score', () => {
    expect(withInputs({ exposure: { uninvoicedShipments: 500 }, orderTotal: 4_000 })).toEqual({
      outcome: 'approve',
      exposure: 9_500,
      headroom: 4_500,
      reasons: [],
      score: 100,
    });
  });

  it('approves an order that lands exactly on the limit, holds one unit above it', () => {
    expect(withInputs({ orderTotal: 5_000 }).outcome).toBe('approve');
    expect(withInputs({ orderTotal: 5_001 })).toMatchObject({ outcome: 'hold', reasons: ['OVER_LIMIT'], score: 60 });
  });

  it('holds for invoices overdue beyond the tolerance, not within it', () => {
    expect(withInputs({ exposure: { overdue: 100 }, oldestOverdueDays: 14 }).reasons).toEqual([]);
    expect(withInputs({ exposure: { overdue: 100 }, oldestOverdueDays: 15 }).reasons).toEqual(['OVERDUE_ITEMS']);
  });

  it('holds a blocked customer, a high risk class, and a large first order of a new customer', () => {
    expect(withInputs({ account: { blocked: true } })).toMatchObject({
      outcome: 'hold',
      reasons: ['BLOCKED'],
      score: 0,
    });
    expect(withInputs({ account: { riskClass: 'high' } }).reasons).toEqual(['RISK_CLASS']);
    const fresh = { hasPaymentHistory: false, exposure: { notDue: 0, openOrders: 0 } };
    expect(withInputs({ ...fresh, orderTotal: 5_001 }).reasons).toEqual(['NEW_CUSTOMER']); // over 50% of the limit
    expect(withInputs({ ...fresh, orderTotal: 5_000 }).reasons).toEqual([]);
  });

  it('collects every reason that applies', () => {
    const d = withInputs({
      account: { blocked: true, riskClass: 'high' },
      exposure: { overdue: 2_000 },
      oldestOverdueDays: 40,
      hasPaymentHistory: false,
    });
    expect(d.reasons).toEqual(['BLOCKED', 'OVER_LIMIT', 'OVERDUE_ITEMS', 'RISK_CLASS']);
  });

  it('rejects outright beyond the hard limit (200% of the credit limit by default)', () => {
    expect(withInputs({ orderTotal: 15_000 }).outcome).toBe('hold'); // exposure 20,000 = 200%
    expect(withInputs({ orderTotal: 15_001 })).toMatchObject({ outcome: 'reject', reasons: ['OVER_LIMIT'] });
    expect(
      decideCredit({
        ...base,
        account: { ...base.account, creditLimit: 0 },
        exposure: { notDue: 0, overdue: 0, uninvoicedShipments: 0, openOrders: 0 },
        orderTotal: 1,
      }).outcome,
    ).toBe('reject');
  });

  it('counts unapplied cash (negative notDue) in the customer’s favour', () => {
    expect(withInputs({ exposure: { notDue: -1_000, openOrders: 0 }, orderTotal: 11_000 })).toMatchObject({
      outcome: 'approve',
      exposure: 10_000,
    });
  });

  it('rejects invalid inputs naming the field', () => {
    expect(() => withInputs({ account: { creditLimit: -1 } })).toThrow(/creditLimit/);
    expect(() => withInputs({ exposure: { openOrders: -1 } })).toThrow(/openOrders/);
    expect(() => withInputs({ orderTotal: 0.5 })).toThrow(/orderTotal/);
    expect(() => withInputs({ exposure: { notDue: Number.MAX_SAFE_INTEGER }, orderTotal: 1 })).toThrow(/exposure/);
  });

  it('holds for OVER_LIMIT exactly when the order does not fit in the headroom', () => {
    const n = fc.integer({ min: 0, max: 2 ** 40 });
    fc.assert(
      fc.property(
        n,
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        n,
        n,
        n,
        (creditLimit, notDue, overdue, openOrders, orderTotal) => {
          const d = decideCredit(
            {
              account: { creditLimit, riskClass: 'low', blocked: false },
              exposure: { notDue, overdue, uninvoicedShipments: 0, openOrders },
              orderTotal,
              oldestOverdueDays: 0,
              hasPaymentHistory: true,
            },
            DEFAULT_CREDIT_POLICY,
          );
          expect(d.exposure).toBe(notDue + overdue + openOrders + orderTotal);
          expect(d.reasons.includes('OVER_LIMIT')).toBe(orderTotal > d.headroom);
          expect(d.outcome === 'approve').toBe(d.reasons.length === 0);
          expect(d.score).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
