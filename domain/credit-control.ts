import { assertSafeInteger } from './money.js';

export const RISK_CLASSES = ['low', 'medium', 'high'] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

export const CREDIT_REASONS = ['OVER_LIMIT', 'OVERDUE_ITEMS', 'RISK_CLASS', 'BLOCKED', 'NEW_CUSTOMER'] as const;
export type CreditReason = (typeof CREDIT_REASONS)[number];

/** What the customer owes or will owe us, in minor units of the customer's currency. */
export interface ExposureBuckets {
  /** Balances of posted invoices not yet due; negative when the customer holds unapplied cash. */
  notDue: number;
  /** Balances of posted invoices past their due date. */
  overdue: number;
  /** Shipped, not yet invoiced. */
  uninvoicedShipments: number;
  /** Credit-approved orders not yet shipped, this one excluded. */
  openOrders: number;
}

export interface CreditAccount {
  creditLimit: number;
  riskClass: RiskClass;
  /** A manual block by finance. */
  blocked: boolean;
}

export interface CreditPolicy {
  /** Invoices overdue by more than this many days hold new orders. */
  overdueToleranceDays: number;
  /** Risk classes whose orders always go to a credit controller. */
  holdRiskClasses: readonly RiskClass[];
  /** A customer with no paid invoice yet: orders above this share of the limit go to a controller. */
  newCustomerMaxOrderPercentOfLimit: number;
  /** The hard limit: exposure above this share of the limit is refused outright, not held. */
  rejectAbovePercentOfLimit: number;
}

export const DEFAULT_CREDIT_POLICY: CreditPolicy = {
  overdueToleranceDays: 14,
  holdRiskClasses: ['high'],
  newCustomerMaxOrderPercentOfLimit: 50,
  rejectAbovePercentOfLimit: 200,
};

export interface CreditCheckInputs {
  account: CreditAccount;
  exposure: ExposureBuckets;
  orderTotal: number;
  /** Days the oldest unpaid invoice is past due; 0 when nothing is overdue. */
  oldestOverdueDays: number;
  /** Whether the customer ever paid an invoice. */
  hasPaymentHistory: boolean;
}

export type CreditOutcome = 'approve' | 'hold' | 'reject';

export interface CreditDecision {
  outcome: CreditOutcome;
  /** All buckets plus this order. */
  exposure: number;
  /** What the customer could still order before this one; negative when already over the limit. */
  headroom: number;
  reasons: CreditReason[];
  /** 0 (worst) to 100: a summary for the holds queue; each reason costs the points in SCORE_PENALTY. */
  score: number;
}

const SCORE_PENALTY: Record<CreditReason, number> = {
  OVER_LIMIT: 40,
  OVERDUE_ITEMS: 30,
  RISK_CLASS: 20,
  BLOCKED: 100,
  NEW_CUSTOMER: 10,
};

function nonNegative(n: number, what: string): void {
  assertSafeInteger(n, what);
  if (n < 0) throw new RangeError(`${what} must not be negative, got ${n}`);
}

/**
 * The credit decision for one order. Any reason puts the order on HOLD, a state for a credit controller to
 * resolve, not an error. Only exposure beyond the hard limit (rejectAbovePercentOfLimit) is refused outright,
 * because no controller may approve that without raising the limit first. Reaching the limit exactly passes.
 */
export function decideCredit(inputs: CreditCheckInputs, policy: CreditPolicy = DEFAULT_CREDIT_POLICY): CreditDecision {
  const { account, exposure: buckets, orderTotal } = inputs;
  nonNegative(account.creditLimit, 'creditLimit');
  nonNegative(orderTotal, 'orderTotal');
  nonNegative(buckets.overdue, 'exposure.overdue');
  nonNegative(buckets.uninvoicedShipments, 'exposure.uninvoicedShipments');
  nonNegative(buckets.openOrders, 'exposure.openOrders');
  assertSafeInteger(buckets.notDue, 'exposure.notDue');
  nonNegative(inputs.oldestOverdueDays, 'oldestOverdueDays');

  const committed = buckets.notDue + buckets.overdue + buckets.uninvoicedShipments + buckets.openOrders;
  const exposure = committed + orderTotal;
  assertSafeInteger(exposure, 'exposure');
  const headroom = account.creditLimit - committed;

  const reasons: CreditReason[] = [];
  if (account.blocked) reasons.push('BLOCKED');
  if (exposure > account.creditLimit) reasons.push('OVER_LIMIT');
  if (buckets.overdue > 0 && inputs.oldestOverdueDays > policy.overdueToleranceDays) reasons.push('OVERDUE_ITEMS');
  if (policy.holdRiskClasses.includes(account.riskClass)) reasons.push('RISK_CLASS');
  if (!inputs.hasPaymentHistory && orderTotal * 100 > account.creditLimit * policy.newCustomerMaxOrderPercentOfLimit) {
    reasons.push('NEW_CUSTOMER');
  }

  const score = Math.max(0, 100 - reasons.reduce((sum, r) => sum + SCORE_PENALTY[r], 0));
  const outcome: CreditOutcome = beyondHardLimit(exposure, account.creditLimit, policy)
    ? 'reject'
    : reasons.length > 0
      ? 'hold'
      : 'approve';
  return { outcome, exposure, headroom, reasons, score };
}

/** Exposure beyond the hard limit (rejectAbovePercentOfLimit of the credit limit): refused, never held or approved. */
export function beyondHardLimit(exposure: number, creditLimit: number, policy: CreditPolicy): boolean {
  return exposure * 100 > creditLimit * policy.rejectAbovePercentOfLimit;
}
