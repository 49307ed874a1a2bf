import { checkOrderCredit, recordCreditDecision, type CreditDecisionCommand, type StoredCreditDecision } from '../db/credit.js';
import type { ActivityDeps } from './deps.js';

export function createCreditActivities({ db }: ActivityDeps) {
  return {
    /** Decides approve/hold against the customer's limit and moves the order accordingly, atomically. */
    async checkCredit(input: { orderId: string }): Promise<StoredCreditDecision> {
      return checkOrderCredit(db, input.orderId, new Date());
    },
    /** A credit controller's decision on a held order: order status and audit log in one transaction. */
    async recordCreditDecision(input: CreditDecisionCommand & { orderId: string; decisionKey: string }): Promise<void> {
      await recordCreditDecision(db, input);
    },
  };
}
