import { allHandlersFinished, condition, continueAsNew, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { DunningNotice } from '../db/dunning.js';
import { onBusinessDay } from '../domain/business-days.js';
import { nextDunningRunMs } from '../domain/dunning.js';
import { acts } from './activities.js';
import { customerAccountQuery, dunningLevelReachedSignal } from './messages.js';

export interface CustomerAccountInput {
  customerId: string;
  /** How often dunning runs are held (domain/dunning.ts nextDunningRunMs). */
  runEveryMs: number;
  /** The seller country whose business days runs are held on (domain/business-days.ts); absent: every day. */
  calendar?: string;
  /** Notices carried over when the workflow continued as new. */
  pending?: DunningNotice[];
}

/**
 * A customer's account (`customer-account:{customerId}`): the invoices report the levels they reach, and at each
 * dunning run the account sends one letter listing every overdue item, at the highest level reached, instead of
 * one mail per invoice and level. Invoice workflows keep their own state; the account keeps only what the next
 * run sends. It closes when a run period passes with nothing to send; the next notice starts it again
 * (signal-with-start), and the letters it sent are in Postgres.
 */
export async function customerAccountWorkflow(input: CustomerAccountInput): Promise<void> {
  const pending = new Map<string, DunningNotice>((input.pending ?? []).map((n) => [n.invoiceId, n]));
  let nextRunAt: number | null = null;
  setHandler(dunningLevelReachedSignal, (notice) => {
    const known = pending.get(notice.invoiceId);
    if (!known || known.level < notice.level) pending.set(notice.invoiceId, notice);
  });
  setHandler(customerAccountQuery, () => ({
    pending: [...pending.values()],
    nextRunAt: nextRunAt === null ? null : new Date(nextRunAt).toISOString(),
  }));

  while (await condition(() => pending.size > 0, input.runEveryMs)) {
    const run = nextDunningRunMs(Date.now(), input.runEveryMs);
    nextRunAt = input.calendar ? onBusinessDay(run, input.calendar) : run;
    await sleep(nextRunAt - Date.now());
    const notices = [...pending.values()];
    pending.clear();
    await acts.sendDunningRun({
      customerId: input.customerId,
      runAt: new Date(nextRunAt).toISOString(),
      notices,
    });
    nextRunAt = null;
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof customerAccountWorkflow>({ ...input, pending: [...pending.values()] });
    }
  }
}
