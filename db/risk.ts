import { asc, eq, gt, sql } from 'drizzle-orm';
import type { RiskClass } from '../domain/credit.js';
import type { PaymentBehaviour, RiskScore } from '../domain/risk.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { customers } from './schema.js';

/** The customer's payment behaviour from the ledger: an invoice was paid on the day its last allocation landed. */
export async function paymentBehaviour(db: DbOrTx, customerId: string): Promise<PaymentBehaviour> {
  const rows = await db.execute<{ paid: string; avg_late: string; pct_late: string; highest_level: string }>(sql`
    with paid as (
      select i.due_date, max(a.created_at)::date as paid_on
      from invoices i join allocations a on a.invoice_id = i.id
      where i.customer_id = ${customerId} and i.status = 'paid'
      group by i.id, i.due_date
    )
    select
      (select count(*) from paid) as paid,
      (select coalesce(avg(greatest(paid_on - due_date, 0)), 0) from paid) as avg_late,
      (select coalesce(100.0 * avg(case when paid_on > due_date then 1 else 0 end), 0) from paid) as pct_late,
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
 * Stores a new score; when the class changes, also the class, with a system entry in the audit log. Returns the
 * previous class. The audit key includes the day, so a retried review records a change once.
 */
export async function applyRiskScore(db: Db, customerId: string, risk: RiskScore, day: string): Promise<RiskClass> {
  return db.transaction(async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, customerId)).for('update');
    const previous = customer!.riskClass as RiskClass;
    await tx
      .update(customers)
      .set({ riskScore: risk.score, riskClass: risk.riskClass, riskScoredAt: sql`now()` })
      .where(eq(customers.id, customerId));
    if (risk.riskClass !== previous) {
      await recordAudit(tx, {
        decisionKey: `risk-class:${customerId}:${day}`,
        actor: 'system',
        action: 'credit.risk_class.changed',
        entityType: 'customer',
        entityId: customerId,
        details: { old: previous, new: risk.riskClass, score: risk.score, basis: risk.basis },
      });
    }
    return previous;
  });
}
