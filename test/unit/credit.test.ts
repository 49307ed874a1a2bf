import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideCredit } from '../../domain/credit.js';

describe('decideCredit', () => {
  it('approves within the limit and reports exposure and headroom', () => {
    expect(decideCredit({ creditLimit: 10_000, openReceivables: 3_000, openOrders: 2_000, orderTotal: 4_000 })).toEqual({
      outcome: 'approve',
      exposure: 9_000,
      headroom: 5_000,
      reasons: [],
    });
  });

  it('approves an order that lands exactly on the limit', () => {
    expect(decideCredit({ creditLimit: 10_000, openReceivables: 6_000, openOrders: 0, orderTotal: 4_000 }).outcome).toBe(
      'approve',
    );
  });

  it('holds with OVER_LIMIT when exposure exceeds the limit', () => {
    expect(decideCredit({ creditLimit: 10_000, openReceivables: 6_000, openOrders: 0, orderTotal: 4_001 })).toEqual({
      outcome: 'hold',
      exposure: 10_001,
      headroom: 4_000,
      reasons: ['OVER_LIMIT'],
    });
  });

  it('counts a credit balance (negative receivables) in the customer’s favour', () => {
    const d = decideCredit({ creditLimit: 0, openReceivables: -500, openOrders: 0, orderTotal: 500 });
    expect(d).toMatchObject({ outcome: 'approve', exposure: 0, headroom: 500 });
  });

  it('rejects invalid inputs naming the field', () => {
    const ok = { creditLimit: 1, openReceivables: 0, openOrders: 0, orderTotal: 0 };
    expect(() => decideCredit({ ...ok, creditLimit: -1 })).toThrow(/creditLimit/);
    expect(() => decideCredit({ ...ok, openOrders: -1 })).toThrow(/openOrders/);
    expect(() => decideCredit({ ...ok, orderTotal: 0.5 })).toThrow(/orderTotal/);
    expect(() => decideCredit({ ...ok, openReceivables: Number.MAX_SAFE_INTEGER, orderTotal: 1 })).toThrow(/exposure/);
  });

  it('holds exactly when the order does not fit in the headroom', () => {
    const n = fc.integer({ min: 0, max: 2 ** 48 });
    fc.assert(
      fc.property(n, fc.integer({ min: -(2 ** 48), max: 2 ** 48 }), n, n, (creditLimit, openReceivables, openOrders, orderTotal) => {
        const d = decideCredit({ creditLimit, openReceivables, openOrders, orderTotal });
        expect(d.exposure).toBe(openReceivables + openOrders + orderTotal);
        expect(d.outcome === 'hold').toBe(orderTotal > d.headroom);
        expect(d.reasons).toEqual(d.outcome === 'hold' ? ['OVER_LIMIT'] : []);
      }),
    );
  });
});
