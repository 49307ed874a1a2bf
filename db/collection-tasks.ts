import { and, asc, eq, inArray } from 'drizzle-orm';
import { taskPriority, type CallOutcome } from '../domain/collections.js';
import { DomainError } from '../domain/errors.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import type { DunningLetterItem } from './dunning.js';
import { collectionTasks, customers, disputes, dunningLetters, paymentPromises } from './schema.js';

export type CollectionTask = typeof collectionTasks.$inferSelect;

const DAY_MS = 86_400_000;

/**
 * The collectors' worklist: open call tasks, highest priority first (domain/collections.ts taskPriority), each
 * with the account around it: the items to talk about, the letters sent, open promises and disputes.
 */
export async function worklist(db: DbOrTx, nowMs: number) {
  const tasks = await db
    .select({ task: collectionTasks, customer: customers })
    .from(collectionTasks)
    .innerJoin(customers, eq(customers.id, collectionTasks.customerId))
    .where(eq(collectionTasks.status, 'open'))
    .orderBy(asc(collectionTasks.createdAt));
  const ids = [...new Set(tasks.map((t) => t.customer.id))];
  const byCustomer = async <T extends { customerId: string }>(rows: Promise<T[]>) => {
    const map = new Map<string, T[]>();
    for (const row of await rows) map.set(row.customerId, [...(map.get(row.customerId) ?? []), row]);
    return map;
  };
  if (ids.length === 0) return [];
  const [letters, promises, openDisputes] = await Promise.all([
    byCustomer(db.select().from(dunningLetters).where(inArray(dunningLetters.customerId, ids))),
    byCustomer(
      db
        .select()
        .from(paymentPromises)
        .where(and(inArray(paymentPromises.customerId, ids), eq(paymentPromises.status, 'open'))),
    ),
    byCustomer(
      db
        .select()
        .from(disputes)
        .where(and(inArray(disputes.customerId, ids), eq(disputes.status, 'open'))),
    ),
  ]);
  return tasks
    .map(({ task, customer }) => {
      const items = task.items as DunningLetterItem[];
      const overdueAmount = items.reduce((sum, i) => sum + i.amountOutstanding, 0);
      const oldestDaysOverdue = Math.max(0, ...items.map((i) => Math.floor((nowMs - Date.parse(i.dueDate)) / DAY_MS)));
      return {
        ...task,
        items,
        priority: taskPriority({ overdueAmount, riskClass: customer.riskClass, oldestDaysOverdue }),
        account: {
          customerId: customer.id,
          name: customer.name,
          email: customer.email,
          segment: customer.segment,
          riskClass: customer.riskClass,
          overdueAmount,
          oldestDaysOverdue,
          lettersSent: (letters.get(customer.id) ?? []).map(({ runAt, levelName, items: listed }) => ({
            runAt: new Date(runAt).toISOString(),
            levelName,
            items: (listed as unknown[]).length,
          })),
          openPromises: promises.get(customer.id) ?? [],
          openDisputes: openDisputes.get(customer.id) ?? [],
        },
      };
    })
    .sort((a, b) => b.priority - a.priority);
}

export async function getCollectionTask(db: DbOrTx, taskId: string): Promise<CollectionTask | undefined> {
  const [task] = await db.select().from(collectionTasks).where(eq(collectionTasks.id, taskId));
  return task;
}

/** Closes a call task with its outcome, once (completing it again answers as it was), audited. */
export async function completeCollectionTask(
  db: Db,
  input: { taskId: string; outcome: CallOutcome; note: string; actor: string },
): Promise<CollectionTask> {
  return db.transaction(async (tx) => {
    const [done] = await tx
      .update(collectionTasks)
      .set({
        status: 'done',
        outcome: input.outcome,
        note: input.note,
        completedBy: input.actor,
        completedAt: new Date().toISOString(),
      })
      .where(and(eq(collectionTasks.id, input.taskId), eq(collectionTasks.status, 'open')))
      .returning();
    if (done) {
      await recordAudit(tx, {
        decisionKey: `collection-task:${done.id}:complete`,
        actor: input.actor,
        action: 'collection_task.complete',
        entityType: 'customer',
        entityId: done.customerId,
        reason: input.note,
        details: { taskId: done.id, outcome: input.outcome, level: done.levelName },
      });
      return done;
    }
    const task = await getCollectionTask(tx, input.taskId);
    if (!task) throw new DomainError('NOT_FOUND', `No collection task ${input.taskId}`);
    return task;
  });
}
