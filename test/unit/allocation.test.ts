import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocatePayment } from '../../domain/allocation.js';

describe('allocatePayment', () => {
  it('applies partial, exact and over-payments', () => {
    expect(allocatePayment(4_000, 10_000)).toEqual({ applied: 4_000, unapplied: 0 });
    expect(allocatePayment(10_000, 10_000)).toEqual({ applied: 10_000, unapplied: 0 });
    expect(allocatePayment(12_500, 10_000)).toEqual({ applied: 10_000, unapplied: 2_500 });
  });

  it('applies nothing to a settled or credited invoice', () => {
    expect(allocatePayment(1_000, 0)).toEqual({ applied: 0, unapplied: 1_000 });
    expect(allocatePayment(1_000, -300)).toEqual({ applied: 0, unapplied: 1_000 });
  });

  it('rejects negative or non-integer amounts', () => {
    expect(() => allocatePayment(-1, 100)).toThrow(/paymentAmount must not be negative/);
    expect(() => allocatePayment(1.5, 100)).toThrow(/paymentAmount/);
    expect(() => allocatePayment(1, Number.POSITIVE_INFINITY)).toThrow(/invoiceBalance/);
  });

  it('conserves the payment and never over-applies', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.maxSafeInteger(), (payment, balance) => {
        const { applied, unapplied } = allocatePayment(payment, balance);
        expect(applied + unapplied).toBe(payment);
        expect(applied).toBeGreaterThanOrEqual(0);
        expect(unapplied).toBeGreaterThanOrEqual(0);
        expect(applied).toBeLessThanOrEqual(Math.max(balance, 0));
        // Whatever is left unapplied, the invoice could not take more.
        if (unapplied > 0) expect(applied).toBe(Math.max(balance, 0));
      }),
    );
  });
});
