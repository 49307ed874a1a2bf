import type { RiskClass } from './credit-control.js';

/** How a customer paid us, from our own ledger. */
export interface PaymentBehaviour {
  /** Paid invoices counted. */
  invoicesPaid: number;
  /** Average days paid after the due date (early counts as 0). */
  averageDaysLate: number;
  /** Share of paid invoices paid late, in percent (0-100). */
  percentPaidLate: number;
  /** Highest dunning level any of its invoices reached. */
  highestDunningLevel: number;
  /** Disputes raised (none until disputes exist). */
  disputes: number;
}

export interface RiskScore {
  /** 0 (worst) to 100 (best). */
  score: number;
  riskClass: RiskClass;
  /** Which sources the score used. */
  basis: ('payment_history' | 'bureau')[];
}

/** Class boundaries: 70 and above is low risk, below 40 high. */
export function riskClassOf(score: number): RiskClass {
  if (score >= 70) return 'low';
  if (score >= 40) return 'medium';
  return 'high';
}

/**
 * Internal score from payment behaviour: 100 minus capped penalties (1 per day late on average, up to 40;
 * 0.3 per percent of invoices paid late, up to 30; 10 per dunning level reached, up to 30; 5 per dispute, up to
 * 15; never below 0). A bureau score (0-100), where we have one, weighs as much as our own history. With neither, there is
 * nothing to score on: undefined, and the customer keeps the class finance gave it.
 */
export function scoreRisk(behaviour: PaymentBehaviour, bureauScore?: number): RiskScore | undefined {
  if (bureauScore !== undefined && !(Number.isFinite(bureauScore) && bureauScore >= 0 && bureauScore <= 100)) {
    throw new RangeError(`bureauScore must be between 0 and 100, got ${bureauScore}`);
  }
  const internal =
    behaviour.invoicesPaid > 0 || behaviour.highestDunningLevel > 0
      ? Math.max(
          0,
          100 -
            Math.min(40, Math.max(0, behaviour.averageDaysLate)) -
            Math.min(30, 0.3 * behaviour.percentPaidLate) -
            Math.min(30, 10 * behaviour.highestDunningLevel) -
            Math.min(15, 5 * behaviour.disputes),
        )
      : undefined;
  if (internal === undefined && bureauScore === undefined) return undefined;
  const parts = [internal, bureauScore].filter((s): s is number => s !== undefined);
  const score = Math.round(parts.reduce((a, b) => a + b, 0) / parts.length);
  return {
    score,
    riskClass: riskClassOf(score),
    basis: [
      ...(internal !== undefined ? ['payment_history' as const] : []),
      ...(bureauScore !== undefined ? ['bureau' as const] : []),
    ],
  };
}

const ORDER: Record<RiskClass, number> = { low: 0, medium: 1, high: 2 };
export const isWorse = (next: RiskClass, previous: RiskClass) => ORDER[next] > ORDER[previous];
