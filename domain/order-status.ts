/** Lifecycle of an order workflow; also the OrderStatus search attribute value. */
export const ORDER_STATUSES = [
  'received',
  'credit_hold',
  'awaiting_prepayment',
  'fulfilling',
  'awaiting_payment',
  'in_dunning',
  'completed',
  'cancelled',
  'rejected',
  /** A step met a bug or bad data: the order waits for a person to mend it and retry (statusReason says why). */
  'needs_attention',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses an order never leaves; the workflow may complete once it reaches one. */
export const TERMINAL_ORDER_STATUSES = ['completed', 'cancelled', 'rejected'] as const satisfies readonly OrderStatus[];

export function isOrderStatus(s: string): s is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(s);
}

export function isTerminalOrderStatus(s: OrderStatus): boolean {
  return (TERMINAL_ORDER_STATUSES as readonly OrderStatus[]).includes(s);
}

/** What becomes of a credit hold nobody decided in time. */
export const CREDIT_HOLD_EXPIRY_ACTIONS = ['cancel', 'approve', 'reject'] as const;
export type CreditHoldExpiryAction = (typeof CREDIT_HOLD_EXPIRY_ACTIONS)[number];

/** Where a credit controller's decision on a held order takes it. */
export const CREDIT_DECISIONS = ['approve', 'reject', 'require_prepayment'] as const;
export type CreditDecisionKind = (typeof CREDIT_DECISIONS)[number];
export const STATUS_AFTER_CREDIT_DECISION: Record<CreditDecisionKind, OrderStatus> = {
  approve: 'fulfilling',
  reject: 'rejected',
  require_prepayment: 'awaiting_prepayment',
};
