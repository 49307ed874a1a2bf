import { parseIsoDuration } from './durations.js';
import { parseIsoDate } from './payment-terms.js';

// Disputes and promises to pay: the two ways a customer's word pauses dunning.

export const DISPUTE_REASONS = ['price', 'quantity', 'damaged', 'not_received', 'other'] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

/** credit_note and revised_invoice settle the disputed amount by a correction; rejected claims it again. */
export const DISPUTE_RESOLUTIONS = ['credit_note', 'revised_invoice', 'rejected'] as const;
export type DisputeResolution = (typeof DISPUTE_RESOLUTIONS)[number];
/** How a dispute ends without anyone resolving it: its invoice was settled (paid, credited, written off). */
export const SETTLED_WITH_INVOICE = 'settled_with_invoice';
export type DisputeOutcome = DisputeResolution | typeof SETTLED_WITH_INVOICE;

/** How long a dispute of each reason may stay open before it is overdue in the queue (DISPUTE_SLA overrides). */
export const DEFAULT_DISPUTE_SLA: Readonly<Record<DisputeReason, string>> = Object.freeze({
  price: 'P10D',
  quantity: 'P10D',
  damaged: 'P14D',
  not_received: 'P7D',
  other: 'P14D',
});

/**
 * The largest write-off one person may make, per currency (minor units): about EUR 1,000 each; above it a second
 * person approves (WRITE_OFF_APPROVAL_ABOVE overrides). A house rule, not a statutory figure.
 */
export const DEFAULT_WRITE_OFF_APPROVAL_ABOVE: Readonly<Record<string, number>> = Object.freeze({
  EUR: 100_000,
  NOK: 1_000_000,
  SEK: 1_000_000,
  DKK: 750_000,
  GBP: 100_000,
  USD: 100_000,
  CHF: 100_000,
  PLN: 400_000,
});

const DAY_MS = 86_400_000;

/** Dunning waits for a promise until the end of the promised day (UTC) plus the grace period. */
export function promiseWaitUntilMs(promisedDate: string, grace: string): number {
  return parseIsoDate(promisedDate) + DAY_MS + parseIsoDuration(grace);
}

/** A promise is kept when, by its wait, the balance fell by at least the promised amount. */
export const promiseKept = (promise: { amount: number; balanceAtPromise: number }, balance: number): boolean =>
  promise.balanceAtPromise - balance >= promise.amount;

/** What dunning may claim: the balance less what is in open disputes, never below zero. */
export const undisputedAmount = (balance: number, disputed: Iterable<number>): number => {
  let open = 0;
  for (const amount of disputed) open += amount;
  return Math.max(0, balance - open);
};

/** Whole days a dispute has been open at `nowMs`, and whether it is past its SLA. */
export function disputeAge(
  dispute: { openedAt: string; slaDueAt: string },
  nowMs: number,
): { ageDays: number; overdue: boolean } {
  return {
    ageDays: Math.floor((nowMs - Date.parse(dispute.openedAt)) / DAY_MS),
    overdue: nowMs > Date.parse(dispute.slaDueAt),
  };
}

export const CALL_OUTCOMES = ['reached', 'promised', 'disputed', 'no_answer', 'wrong_contact'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

const RISK_WEIGHT: Readonly<Record<string, number>> = { low: 1, medium: 2, high: 3 };

/**
 * Where a call task stands in the worklist: overdue amount (major units of its currency) x risk weight (low 1,
 * medium 2, high 3) x days the oldest item is overdue (at least 1). Big, risky and old first.
 */
export function taskPriority(task: { overdueAmount: number; riskClass: string; oldestDaysOverdue: number }): number {
  const weight = RISK_WEIGHT[task.riskClass] ?? RISK_WEIGHT.medium!;
  return Math.round((task.overdueAmount / 100) * weight * Math.max(1, task.oldestDaysOverdue));
}
