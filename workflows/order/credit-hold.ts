import { condition } from '@temporalio/workflow';
import type { OrderStatus } from '../../domain/order-status.js';
import { acts } from '../activities.js';
import { isRefusal } from '../refusals.js';
import type { OrderState } from './state.js';

/** Where credit leaves the order: on to fulfilment, to a prepayment first, cancelled, or ended. */
export type CreditOutcome =
  { next: 'fulfil' } | { next: 'prepay' } | { next: 'cancel' } | { next: 'end'; status: OrderStatus; reason: string };

const BEYOND_HARD_LIMIT = 'credit refused: exposure beyond the hard credit limit';

/**
 * The credit check, and the hold when it asks for a person: a reminder to the escalation contact, then the
 * expiry action (cancel, or a decision by policy recorded as a controller's would be) when nobody decided.
 */
export async function clearCredit(o: OrderState): Promise<CreditOutcome> {
  const { input, orderId } = o;
  const check = await o.steps.checkCredit({ orderId });
  if (check.outcome === 'reject') return { next: 'end', status: 'rejected', reason: BEYOND_HARD_LIMIT };
  if (check.outcome === 'approve') return { next: 'fulfil' };

  await o.enter('credit_hold');
  const settled = () => o.creditDecisionRecorded || o.cancelled;
  let waited = 0;
  let decided = false;
  const escalateAfter = input.creditHoldEscalationMs;
  if (escalateAfter !== undefined && escalateAfter < input.creditHoldTimeoutMs) {
    decided = await condition(settled, escalateAfter);
    waited = escalateAfter;
    if (!decided) await o.steps.escalateCreditHold({ orderId });
  }
  decided ||= await condition(settled, input.creditHoldTimeoutMs - waited);
  if (o.cancelled && !o.creditDecisionRecorded) return { next: 'cancel' };
  if (!decided) {
    const action = input.creditHoldExpiryAction ?? 'cancel';
    if (action === 'cancel') {
      await o.steps.recordCreditHoldExpiry({ orderId });
      return { next: 'end', status: 'cancelled', reason: 'credit hold not decided in time' };
    }
    // Decided by policy exactly as a controller would, so it is recorded and audited the same way.
    o.creditCommand = {
      decision: action,
      reason: 'no credit decision within the hold time: decided by policy',
      actor: 'system',
    };
    try {
      await acts.recordCreditDecision({ orderId, decisionKey: `credit-decision:${orderId}`, ...o.creditCommand });
    } catch (err) {
      if (!isRefusal(err, 'EXPOSURE_BEYOND_HARD_LIMIT')) throw err;
      return { next: 'end', status: 'rejected', reason: BEYOND_HARD_LIMIT };
    }
  }
  const command = o.creditCommand!;
  if (command.decision === 'reject') return { next: 'end', status: 'rejected', reason: command.reason };
  return command.decision === 'require_prepayment' ? { next: 'prepay' } : { next: 'fulfil' };
}
