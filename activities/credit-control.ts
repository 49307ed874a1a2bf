import { recordAudit } from '../db/audit.js';
import {
  checkOrderCredit,
  heldOrderSummary,
  recordCreditDecision,
  recordCreditHoldExpiry,
  type ApprovalExposure,
  type CreditDecisionCommand,
  type StoredCreditDecision,
} from '../db/credit-control.js';
import { formatMoney } from '../domain/money.js';
import { sendMailOnce } from './mail-outbox.js';
import type { ActivityDeps } from './deps.js';

export function createCreditControlActivities(deps: ActivityDeps) {
  const { db, creditControl } = deps;
  return {
    /** Decides approve/hold/reject against the customer's limit; an approved order counts in exposure at once. */
    async checkCredit(input: { orderId: string }): Promise<StoredCreditDecision> {
      return checkOrderCredit(db, input.orderId, new Date(), creditControl.policy);
    },
    /** A credit controller's decision on a held order, audited; an approval re-checks exposure (and may be refused). */
    async recordCreditDecision(
      input: CreditDecisionCommand & { orderId: string; decisionKey: string },
    ): Promise<ApprovalExposure | undefined> {
      return recordCreditDecision(db, input, creditControl.policy);
    },
    /** Reminds the escalation contact of a hold nobody decided yet; once per order. */
    async escalateCreditHold(input: { orderId: string }): Promise<void> {
      const held = await heldOrderSummary(db, input.orderId);
      if (!held) return; // decided meanwhile
      await sendMailOnce(deps, {
        messageKey: `credit-escalation:${input.orderId}`,
        to: creditControl.escalationEmail,
        subject: `Credit hold waiting for a decision: ${held.customerName}, ${formatMoney({ amount: held.total, currency: held.currency })}`,
        text:
          `Order ${held.orderId} of ${held.customerName} has been on credit hold since ${held.heldSince} (reasons: ${held.reasons.join(', ')}).
` +
          `Decide it with POST /v1/orders/${held.orderId}/credit-decision before it expires.
`,
      });
      await recordAudit(db, {
        decisionKey: `credit-escalation:${input.orderId}`,
        actor: 'system',
        action: 'credit.hold.escalated',
        entityType: 'order',
        entityId: input.orderId,
        details: { notified: creditControl.escalationEmail },
      });
    },
    async recordCreditHoldExpiry(input: { orderId: string }): Promise<void> {
      await recordCreditHoldExpiry(db, input.orderId, creditControl.holdTime);
    },
  };
}
