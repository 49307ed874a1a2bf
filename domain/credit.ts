import { assertSafeInteger } from './money.js';

/** All amounts in integer minor units of the customer's credit currency. */
export interface CreditInputs {
  creditLimit: number;
  /** Posted, unpaid invoices; may be negative when the customer holds a credit balance. */
  openReceivables: number;
  /** Accepted but not yet invoiced orders, excluding this one. */
  openOrders: number;
  orderTotal: number;
}

export type CreditOutcome = 'approve' | 'hold';

export interface CreditDecision {
  outcome: CreditOutcome;
  exposure: number;
  /** What the customer could still order before this one; negative when already over the limit. */
  headroom: number;
  reasons: string[];
}

export const CREDIT_HOLD_REASONS = { OVER_LIMIT: 'OVER_LIMIT' } as const;

function nonNegative(n: number, what: string): void {
  assertSafeInteger(n, what);
  if (n < 0) throw new RangeError(`${what} must not be negative, got ${n}`);
}

/**
 * Exposure = open receivables + open orders + this order. Exceeding the limit is a HOLD (a state for a
 * credit controller to resolve), not an error; reaching it exactly is still approved.
 */
export function decideCredit(i: CreditInputs): CreditDecision {
  nonNegative(i.creditLimit, 'creditLimit');
  assertSafeInteger(i.openReceivables, 'openReceivables');
  nonNegative(i.openOrders, 'openOrders');
  nonNegative(i.orderTotal, 'orderTotal');
  const committed = i.openReceivables + i.openOrders;
  assertSafeInteger(committed, 'openReceivables + openOrders');
  const exposure = committed + i.orderTotal;
  assertSafeInteger(exposure, 'exposure');
  const headroom = i.creditLimit - committed;
  assertSafeInteger(headroom, 'headroom');
  const reasons: string[] = exposure > i.creditLimit ? [CREDIT_HOLD_REASONS.OVER_LIMIT] : [];
  return { outcome: reasons.length > 0 ? 'hold' : 'approve', exposure, headroom, reasons };
}
