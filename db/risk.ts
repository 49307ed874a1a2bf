import { asc, eq, gt, sql } from 'drizzle-orm';
import type { RiskClass } from '../domain/credit-control.js';
import type { PaymentBehaviour, RiskScore } from '../domain/risk.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { customers } from './schema.js';

/**
 * The customer's payment behaviour from the ledger, as of `today`: every invoice that fell due counts, paid or
 * not. A paid one was paid on the value date (the bank's) of its last payment; an open one past its due date is late by the days
 * it has been overdue so far. (Scoring only what was paid would rate a customer who pays one invoice on time and
 * leaves the rest at the last dunning level a low risk.)
 */
export async function paymentBehaviour(db: DbOrTx, customerId: string, today: string): Promise<PaymentBehaviour> {
  const rows = await db.execute<{ paid: string; avg_late: string; pct_late: string; highest_level: string }>(sql`
    with paid as (
      select i.due_date, max(p.value_date) - i.due_date as days_late
      from invoices i join allocations a on a.invoice_id = i.id and a.amount > 0
        join payments p on p.id = a.payment_id and p.status = 'received'
      where i.customer_id = ${customerId} and i.status = 'paid'
      group by i.id, i.due_date
    ),
    overdue as (
      select ${today}::date - i.due_date as days_late
      from invoices i
      where i.customer_id = ${customerId} and i.type = 'invoice' and i.status = 'open' and i.due_date < ${today}::date
    ),
    items as (select days_late from paid union all select days_late from overdue)
    select
      (select count(*) from paid) as paid,
      (select coalesce(avg(greatest(days_late, 0)), 0) from items) as avg_late,
      (select coalesce(100.0 * avg(case when days_late > 0 then 1 else 0 end), 0) from items) as pct_late,
      (select coalesce(max(dunning_level), 0) from invoices where customer_id = ${customerId}) as highest_level`);
  const row = rows[0]!;
  return {
    invoicesPaid: Number(row.paid),
    averageDaysLate: Number(row.avg_late),
    percentPaidLate: Number(row.pct_late),
    highestDunningLevel: Number(row.highest_level),
    disputes: 0,
  };
}

export async function customersPage(db: DbOrTx, afterId: string | undefined, limit: number) {
  return db
    .select({ id: customers.id, name: customers.name, country: customers.country, riskClass: customers.riskClass })
    .from(customers)
    .where(afterId ? gt(customers.id, afterId) : undefined)
    .orderBy(asc(customers.id))
    .limit(limit);
}

/**
 * Stores a new score and, unless finance set the class by hand and that still holds (no end date, or one not
 * passed), the class it gives, with a system entry in the audit log when it changes. A hand-set class whose end
 * date has passed goes back to the review. Returns the previous and the current class. The audit key includes the
 * day, so a retried review records a change once.
 */
export async function applyRiskScore(
  db: Db,
  customerId: string,
  risk: RiskScore,
  day: string,
): Promise<{ previous: RiskClass; current: RiskClass }> {
  return db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).for('update');
    const previous = customer!.riskClass as RiskClass;
    const manualHolds =
      customer!.riskClassSetBy === 'finance' && (customer!.riskClassUntil === null || customer!.riskClassUntil >= day);
    const current = manualHolds ? previous : risk.riskClass;
    await tx
      .update(customers)
      .set({
        riskScore: risk.score,
        riskScoredAt: sql`now()`,
        ...(manualHolds ? {} : { riskClass: current, riskClassSetBy: 'review', riskClassUntil: null }),
      })
      .where(eq(customers.id, customerId));
    if (current !== previous) {
      await recordAudit(tx, {
        decisionKey: `risk-class:${customerId}:${day}`,
        actor: 'system',
        action: 'credit.risk_class.changed',
        entityType: 'customer',
        entityId: customerId,
        details: { old: previous, new: current, score: risk.score, basis: risk.basis },
      });
    }
    return { previous, current };
  });
}
