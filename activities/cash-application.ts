import { Context } from '@temporalio/activity';
import {
  applyStatementBatch,
  completeStatement,
  setStatementAttention,
  type BatchOutcome,
} from '../db/bank-statements.js';
import type { DunningPolicy } from '../domain/dunning.js';
import { reopenReceivables, tellPaymentRecorded } from '../temporal/starts.js';
import { bankStatementWorkflowId } from '../temporal/workflow-ids.js';
import type { ActivityDeps } from './deps.js';

// Signals in flight at a time: enough to keep the frontend busy, few enough not to crowd out the workers' polls.
const SIGNALS_IN_FLIGHT = 32;

export function createCashApplicationActivities({ db, cashApplication }: ActivityDeps) {
  return {
    /** Applies one batch of a bank file's entries; answers the same for a batch applied before. */
    async applyStatementBatch(input: {
      statementId: string;
      fromIndex: number;
      toIndex: number;
    }): Promise<BatchOutcome> {
      return applyStatementBatch(db, input, cashApplication.matchPolicy);
    },
    /**
     * Every receivable a batch touched re-reads its balance; one a returned payment reopened starts again. From an
     * activity through the worker's client rather than as workflow commands: a command per signal made a 300-line
     * file spend 38 s in its own history. Signals are idempotent for the receiver, so a retry is harmless.
     */
    async tellReceivables(input: {
      statementId: string;
      signals: BatchOutcome['signals'];
      reopened: BatchOutcome['reopened'];
      dunningPolicy: DunningPolicy;
      /** The receivables' task queue, where a reopened one starts again. */
      taskQueue: string;
    }): Promise<void> {
      const engine = {
        temporal: Context.current().client,
        taskQueue: input.taskQueue,
        orderPolicy: { dunningPolicy: input.dunningPolicy },
      };
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(SIGNALS_IN_FLIGHT, input.signals.length) }, async () => {
          for (let i = next++; i < input.signals.length; i = next++) {
            const { workflowId, paymentId } = input.signals[i]!;
            await tellPaymentRecorded(engine, workflowId, paymentId);
          }
        }),
      );
      await reopenReceivables(engine, input.reopened, bankStatementWorkflowId(input.statementId));
    },
    async completeStatement(input: { statementId: string }): Promise<void> {
      await completeStatement(db, input.statementId);
    },
    async setStatementAttention(input: { statementId: string; reason?: string }): Promise<void> {
      await setStatementAttention(db, input.statementId, input.reason);
    },
  };
}
