import {
  applyStatementBatch,
  completeStatement,
  setStatementAttention,
  type BatchOutcome,
} from '../db/bank-statements.js';
import type { ActivityDeps } from './deps.js';

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
    async completeStatement(input: { statementId: string }): Promise<void> {
      await completeStatement(db, input.statementId);
    },
    async setStatementAttention(input: { statementId: string; reason?: string }): Promise<void> {
      await setStatementAttention(db, input.statementId, input.reason);
    },
  };
}
