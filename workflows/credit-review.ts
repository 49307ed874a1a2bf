import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { isoDate } from '../domain/payment-terms.js';

const { rescoreCustomers } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute', // a page calls the bureau per customer; heartbeats tell a stuck page from a slow one
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export interface CreditReviewInput {
  batchSize?: number;
  afterId?: string;
  totals?: CreditReviewTotals;
}

export interface CreditReviewTotals {
  scored: number;
  changed: number;
  worsened: number;
}

/** The daily credit review, started by a Temporal Schedule: re-scores every customer, a page at a time. */
export async function creditReviewWorkflow(input: CreditReviewInput = {}): Promise<CreditReviewTotals> {
  const batchSize = input.batchSize ?? 100;
  const totals = input.totals ?? { scored: 0, changed: 0, worsened: 0 };
  const day = isoDate(Date.now());
  let afterId = input.afterId;
  for (;;) {
    const batch = await rescoreCustomers({ ...(afterId ? { afterId } : {}), limit: batchSize, day });
    totals.scored += batch.scored;
    totals.changed += batch.changed;
    totals.worsened += batch.worsened.length;
    if (!batch.lastId) return totals;
    afterId = batch.lastId;
    if (workflowInfo().continueAsNewSuggested)
      await continueAsNew<typeof creditReviewWorkflow>({ batchSize, afterId, totals });
  }
}
