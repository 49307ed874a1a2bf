import { heartbeat } from '@temporalio/activity';
import { applyRiskScore, customersPage, paymentBehaviour } from '../db/risk.js';
import { isWorse, scoreRisk } from '../domain/risk.js';
import { sendMailOnce } from './mail-outbox.js';
import type { ActivityDeps } from './deps.js';

export interface ReviewBatch {
  /** Id of the last customer in this batch; undefined when there were none left. */
  lastId: string | undefined;
  scored: number;
  changed: number;
  worsened: string[];
}

export function createCreditReviewActivities(deps: ActivityDeps) {
  const { db, creditBureau, creditControl } = deps;
  return {
    /**
     * Re-scores one page of customers from their payment behaviour (and the bureau, when configured). A class
     * that worsened is mailed to credit control; from then on the customer's new orders are held for RISK_CLASS.
     */
    async rescoreCustomers(input: { afterId?: string; limit: number; day: string }): Promise<ReviewBatch> {
      const page = await customersPage(db, input.afterId, input.limit);
      const batch: ReviewBatch = { lastId: page.at(-1)?.id, scored: 0, changed: 0, worsened: [] };
      for (const customer of page) {
        heartbeat(customer.id);
        const bureauScore = creditBureau
          ? await creditBureau.score({ reference: customer.id, name: customer.name, country: customer.country })
          : undefined;
        const risk = scoreRisk(await paymentBehaviour(db, customer.id, input.day), bureauScore);
        if (!risk) continue;
        batch.scored++;
        const { previous, current } = await applyRiskScore(db, customer.id, risk, input.day);
        if (current === previous) continue;
        batch.changed++;
        if (!isWorse(current, previous)) continue;
        batch.worsened.push(customer.id);
        await sendMailOnce(deps, {
          messageKey: `risk-worsened:${customer.id}:${input.day}`,
          to: creditControl.escalationEmail,
          subject: `Risk class worsened: ${customer.name} is now ${current} risk (was ${previous})`,
          text:
            `The daily credit review scored ${customer.name} (${customer.id}) ${risk.score}/100 from ${risk.basis.join(' and ')}.\n` +
            `New orders of this customer are held for a credit decision until its risk class improves.\n`,
        });
      }
      return batch;
    },
  };
}
