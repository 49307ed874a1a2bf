import { assertSafeInteger } from './money.js';

/**
 * Applies a payment to one invoice: as much as the open balance allows, the rest stays unapplied cash
 * (a credit balance to apply elsewhere or refund). A non-positive balance (already paid or credited)
 * takes nothing. Amounts are integer minor units in the same currency.
 */
export function allocatePayment(paymentAmount: number, invoiceBalance: number): { applied: number; unapplied: number } {
  assertSafeInteger(paymentAmount, 'paymentAmount');
  assertSafeInteger(invoiceBalance, 'invoiceBalance');
  if (paymentAmount < 0)
    throw new RangeError(`paymentAmount must not be negative (refunds are not allocations), got ${paymentAmount}`);
  const applied = Math.min(paymentAmount, Math.max(invoiceBalance, 0));
  return { applied, unapplied: paymentAmount - applied };
}
