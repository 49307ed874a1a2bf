import { recordAudit } from '../db/audit.js';
import {
  checkOrderCredit,
  expireCreditHold,
  heldOrderSummary,
  recordCreditDecision,
  type CreditDecisionCommand,
  type StoredCreditDecision,
} from '../db/credit.js';
import { formatMoney } from '../domain/money.js';
import { deliverMail } from './delivery.js';
import type { ActivityDeps } from './deps.js';

export function createCreditActivities(deps: ActivityDeps) {
  const { db, creditControl } = deps;
  return {
    /** Decides approve/hold against the customer's limit and moves the order accordingly, atomically. */
    async checkCredit(input: { orderId: string }): Promise<StoredCreditDecision> {
      return checkOrderCredit(db, input.orderId, new Date(), creditControl.policy);
    },
    /** A credit controller's decision on a held order: order status and audit log in one transaction. */
    async recordCreditDecision(input: CreditDecisionCommand & { orderId: string; decisionKey: string }): Promise<void> {
      await recordCreditDecision(db, input);
    },
    /** Reminds the escalation contact of a hold nobody decided yet; once per order. */
    async escalateCreditHold(input: { orderId: string }): Promise<void> {
      const held = await heldOrderSummary(db, input.orderId);
      if (!held) return; // decided meanwhile
      await deliverMail(deps, {
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
    async expireCreditHold(input: { orderId: string }): Promise<void> {
      await expireCreditHold(db, input.orderId, creditControl.holdTime);
    },
  };
}
