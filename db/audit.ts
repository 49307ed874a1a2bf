import type { DbOrTx } from './client.js';
import { auditLog } from './schema.js';

export interface AuditEntry {
  /** Unique per decision, so a retried activity writes it once. */
  decisionKey: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  reason?: string;
  details?: unknown;
}

export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db
    .insert(auditLog)
    .values({ ...entry, details: entry.details ?? null })
    .onConflictDoNothing({ target: auditLog.decisionKey });
}
