import { and, asc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
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

export interface AuditQuery {
  /** What the decision was about: `type:id` (invoice:…), or an id alone. */
  subject?: string | undefined;
  actor?: string | undefined;
  /** Days, UTC: from the start of `from` to the end of `to`. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  /** The id of the last entry of the previous page. */
  after?: number | undefined;
}

/** The audit log for auditors: filtered, oldest first, a page at a time (keyset on the entry's id). */
export async function searchAudit(db: DbOrTx, q: AuditQuery) {
  const conditions: SQL[] = [];
  if (q.subject) {
    const colon = q.subject.indexOf(':');
    if (colon > 0) {
      conditions.push(
        eq(auditLog.entityType, q.subject.slice(0, colon)),
        eq(auditLog.entityId, q.subject.slice(colon + 1)),
      );
    } else conditions.push(eq(auditLog.entityId, q.subject));
  }
  if (q.actor) conditions.push(eq(auditLog.actor, q.actor));
  if (q.from) conditions.push(gte(auditLog.at, sql`(${q.from}::date::timestamp at time zone 'UTC')`));
  if (q.to) conditions.push(lt(auditLog.at, sql`((${q.to}::date + 1)::timestamp at time zone 'UTC')`));
  if (q.after !== undefined) conditions.push(gt(auditLog.id, q.after));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(asc(auditLog.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { entries: page, next: rows.length > q.limit ? page.at(-1)!.id : undefined };
}
