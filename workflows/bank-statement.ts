import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  condition,
  continueAsNew,
  patched,
  getExternalWorkflowHandle,
  setHandler,
  allHandlersFinished,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { DunningPolicy } from '../domain/dunning.js';
import { acts } from './activities.js';
import { Attention, attended } from './attention.js';
import { invoiceWorkflow } from './invoice.js';
import { paymentRecordedSignal, retryStepSignal, statementProgressQuery } from './messages.js';

export interface CashApplicationInput {
  statementId: string;
  linesTotal: number;
  dunningPolicy: DunningPolicy;
  /** Where receivables run (this workflow runs on the cash-application queue); absent: this workflow's queue. */
  receivablesTaskQueue?: string;
  batchSize?: number;
  /**
   * A run continues as new after this many batches if Temporal has not suggested it before: a bounded history
   * whatever the server's limits. Absent (statements started before it existed): only when suggested.
   */
  batchesPerRun?: number;
  /** Lines before this one were applied by an earlier run (continued as new). */
  from?: number;
}

/**
 * Cash application of one bank file (`bank-statement:{id}`): its entries in batches, each applied by one activity
 * (matched, allocated, written idempotently), then every receivable an allocation touched is told, once per
 * allocation, and every one a returned payment reopened starts again (one more activity). Progress is a query
 * and GET /v1/bank-statements/:id.
 */
export async function cashApplicationWorkflow(input: CashApplicationInput): Promise<{ total: number; done: number }> {
  const { statementId, linesTotal } = input;
  const batchSize = input.batchSize ?? 500;
  const batchesPerRun = input.batchesPerRun ?? Infinity;
  let done = input.from ?? 0;
  let batches = 0;
  const attention = new Attention(async (reason) => {
    await acts.setStatementAttention({ statementId, ...(reason ? { reason } : {}) });
  });
  const steps = attended(acts, attention);
  setHandler(statementProgressQuery, () => ({
    total: linesTotal,
    done,
    ...(attention.reason ? { attention: attention.reason } : {}),
  }));
  setHandler(retryStepSignal, () => {
    attention.retry();
  });

  // A batch's receivables are told while the next batch is applied: the workflow tasks in between wait behind
  // the receivables the last batch woke, so each round trip saved counts.
  const telling: Promise<void>[] = [];
  while (done < linesTotal) {
    const toIndex = Math.min(done + batchSize, linesTotal);
    const outcome = await steps.applyStatementBatch({ statementId, fromIndex: done, toIndex });
    if (patched('receivables-told-by-activity')) {
      telling.push(
        steps.tellReceivables({
          statementId,
          signals: outcome.signals,
          reopened: outcome.reopened,
          dunningPolicy: input.dunningPolicy,
          taskQueue: input.receivablesTaskQueue ?? workflowInfo().taskQueue,
        }),
      );
    } else {
      // Statements applying since before the patch: a command per signal and a child per reopened receivable.
      for (const { workflowId, paymentId } of outcome.signals) {
        await getExternalWorkflowHandle(workflowId)
          .signal(paymentRecordedSignal, { paymentId })
          .catch(() => undefined);
      }
      for (const invoice of outcome.reopened.filter((t) => t.reopened)) {
        await startChild(invoiceWorkflow, {
          workflowId: invoice.workflowId,
          args: [
            {
              invoiceId: invoice.invoiceId,
              orderId: invoice.orderId,
              dunningPolicy: input.dunningPolicy,
              continued: { dueAtMs: Date.parse(invoice.dueDate), dunningLevel: invoice.dunningLevel },
            },
          ],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        });
      }
    }
    done = toIndex;
    batches++;
    if (done < linesTotal && (batches >= batchesPerRun || workflowInfo().continueAsNewSuggested)) {
      await Promise.all(telling);
      await condition(allHandlersFinished);
      await continueAsNew<typeof cashApplicationWorkflow>({ ...input, from: done });
    }
  }
  await Promise.all(telling);
  await steps.completeStatement({ statementId });
  return { total: linesTotal, done };
}
