import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from './client.js';

// What the receivables reports read: the ledgers as they stood at the end of a day, straight from the tables the
// engine writes (no copy to fall behind). Days are UTC days; domain/receivable-kpis.ts turns them into figures.

export interface ReportFilter {
  /** The seller legal entity (an invoice without one is the default entity's). */
  legalEntity?: string | undefined;
  currency?: string | undefined;
  /** The customer's segment. */
  segment?: string | undefined;
}

/** Conditions on invoice `i` and its customer `c`. */
function filtered(filter: ReportFilter, defaultLegalEntity: string): SQL {
  const conditions: SQL[] = [sql`true`];
  if (filter.legalEntity) conditions.push(sql`coalesce(i.legal_entity, ${defaultLegalEntity}) = ${filter.legalEntity}`);
  if (filter.currency) conditions.push(sql`i.currency = ${filter.currency}`);
  if (filter.segment) conditions.push(sql`c.segment = ${filter.segment}`);
  return sql.join(conditions, sql` and `);
}

/** The end of a UTC day, exclusive: what was booked before it counts on that day. */
const endOf = (day: string) => sql`((${day}::date + 1)::timestamp at time zone 'UTC')`;

export interface OpenItemAt {
  invoiceId: string;
  invoiceNumber: string;
  currency: string;
  dueDate: string;
  balance: number;
}

/**
 * Every invoice owed something at the end of `day`, with what it owed then: its total less the payments allocated
 * (reversals included), the credit notes issued and the write-offs booked by then, as the balance is defined in
 * db/invoices.ts, with time added.
 */
export async function openItemsAt(
  db: DbOrTx,
  day: string,
  filter: ReportFilter,
  defaultLegalEntity: string,
): Promise<OpenItemAt[]> {
  const rows = await db.execute<{
    id: string;
    number: string;
    currency: string;
    due_date: string;
    balance: string;
  }>(sql`
    select * from (
      select i.id, i.number, i.currency, i.due_date::text as due_date, i.total
        - coalesce((select sum(a.amount) from allocations a where a.invoice_id = i.id and a.created_at < ${endOf(day)}), 0)
        - coalesce((select sum(cn.total) from invoices cn where cn.corrects_invoice_id = i.id and cn.issue_date <= ${day}::date), 0)
        - coalesce((select sum(w.amount) from write_offs w where w.invoice_id = i.id and w.created_at < ${endOf(day)}), 0)
        as balance
      from invoices i join customers c on c.id = i.customer_id
      where i.type = 'invoice' and i.issue_date <= ${day}::date and ${filtered(filter, defaultLegalEntity)}
    ) owed where balance > 0`);
  return rows.map((r) => ({
    invoiceId: r.id,
    invoiceNumber: r.number,
    currency: r.currency,
    dueDate: r.due_date,
    balance: Number(r.balance),
  }));
}

/** Credit sales per currency and month (YYYY-MM) between two days, both included: invoices less credit notes. */
export async function creditSalesByMonth(
  db: DbOrTx,
  period: { from: string; to: string },
  filter: ReportFilter,
  defaultLegalEntity: string,
): Promise<{ currency: string; month: string; amount: number }[]> {
  const rows = await db.execute<{ currency: string; month: string; amount: string }>(sql`
    select i.currency, to_char(i.issue_date, 'YYYY-MM') as month,
      sum(case when i.type = 'credit_note' then -i.total else i.total end) as amount
    from invoices i join customers c on c.id = i.customer_id
    where i.issue_date between ${period.from}::date and ${period.to}::date and ${filtered(filter, defaultLegalEntity)}
    group by 1, 2 order by 1, 2`);
  return rows.map((r) => ({ currency: r.currency, month: r.month, amount: Number(r.amount) }));
}

/**
 * The dunning funnel: per level, how many invoices reached it and how many of those are paid now (by a payment,
 * not credited or written off), so a level's letters can be judged by what followed them.
 */
export async function dunningFunnel(
  db: DbOrTx,
  filter: ReportFilter,
  defaultLegalEntity: string,
): Promise<{ level: number; name: string; reached: number; paidSince: number }[]> {
  const rows = await db.execute<{ level: number; name: string; reached: string; paid: string }>(sql`
    select e.level, min(e.name) as name, count(*) as reached, count(*) filter (where i.status = 'paid') as paid
    from dunning_events e join invoices i on i.id = e.invoice_id join customers c on c.id = i.customer_id
    where ${filtered(filter, defaultLegalEntity)}
    group by e.level order by e.level`);
  return rows.map((r) => ({
    level: Number(r.level),
    name: r.name,
    reached: Number(r.reached),
    paidSince: Number(r.paid),
  }));
}

/** Open disputes per reason and currency, by age (days open on `day`: 0-7, 8-30, 31 and more) and past their SLA. */
export async function openDisputesByReason(
  db: DbOrTx,
  day: string,
  filter: ReportFilter,
  defaultLegalEntity: string,
): Promise<
  {
    reasonCode: string;
    currency: string;
    count: number;
    amount: number;
    byAge: { d0_7: number; d8_30: number; d31_plus: number };
    overdue: number;
  }[]
> {
  const rows = await db.execute<{
    reason_code: string;
    currency: string;
    count: string;
    amount: string;
    d0_7: string;
    d8_30: string;
    d31_plus: string;
    overdue: string;
  }>(sql`
    select d.reason_code, d.currency, count(*) as count, sum(d.amount) as amount,
      count(*) filter (where age <= 7) as d0_7,
      count(*) filter (where age between 8 and 30) as d8_30,
      count(*) filter (where age > 30) as d31_plus,
      count(*) filter (where d.sla_due_at < least(now(), ${endOf(day)})) as overdue
    from (select *, (${day}::date - (opened_at at time zone 'UTC')::date) as age from disputes) d
      join invoices i on i.id = d.invoice_id join customers c on c.id = i.customer_id
    where d.status = 'open' and d.opened_at < ${endOf(day)} and ${filtered(filter, defaultLegalEntity)}
    group by 1, 2 order by 1, 2`);
  return rows.map((r) => ({
    reasonCode: r.reason_code,
    currency: r.currency,
    count: Number(r.count),
    amount: Number(r.amount),
    byAge: { d0_7: Number(r.d0_7), d8_30: Number(r.d8_30), d31_plus: Number(r.d31_plus) },
    overdue: Number(r.overdue),
  }));
}
