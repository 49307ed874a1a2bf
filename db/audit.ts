import { and, asc, eq } from 'drizzle-orm';
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

/** The audited decisions about one thing, oldest first: its history. */
export async function auditOf(db: DbOrTx, entityType: string, entityId: string) {
  return db
    .select({
      at: auditLog.at,
      actor: auditLog.actor,
      action: auditLog.action,
      reason: auditLog.reason,
      details: auditLog.details,
    })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.id));
}
