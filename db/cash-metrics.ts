import { sql } from 'drizzle-orm';
import type { DbOrTx } from './client.js';

export interface CashApplicationMetrics {
  from: string;
  to: string;
  payments: number;
  /** Applied without a person: matched or partially matched when received. */
  autoMatched: number;
  autoMatchRateByLine: number;
  autoMatchRateByAmount: number;
  exceptions: { received: number; open: number; oldestOpenHours: number | null; medianOpenHours: number | null };
  /** From a bank file's import to its lines being applied, median over the lines in the period. */
  medianImportToAppliedSeconds: number | null;
}

/** How well cash application did between two dates (inclusive), by payment received. */
export async function cashApplicationMetrics(db: DbOrTx, from: string, to: string): Promise<CashApplicationMetrics> {
  const [row] = await db.execute<{
    payments: string;
    auto_matched: string;
    amount: string | null;
    auto_amount: string | null;
    exceptions: string;
    open: string;
    oldest_open_hours: string | null;
    median_open_hours: string | null;
    median_import_seconds: string | null;
  }>(sql`
    with period as (
      select p.*, p.match_status in ('matched', 'partially_matched') as auto
      from payments p where p.created_at::date between ${from}::date and ${to}::date
    )
    select
      count(*) as payments,
      count(*) filter (where auto) as auto_matched,
      sum(amount) as amount,
      sum(amount) filter (where auto) as auto_amount,
      count(*) filter (where match_status = 'exception') as exceptions,
      count(*) filter (where match_status = 'exception' and resolved_at is null and status = 'received') as open,
      max(extract(epoch from now() - created_at) / 3600) filter (where match_status = 'exception' and resolved_at is null and status = 'received') as oldest_open_hours,
      percentile_cont(0.5) within group (order by extract(epoch from now() - created_at) / 3600) filter (where match_status = 'exception' and resolved_at is null and status = 'received') as median_open_hours,
      (select percentile_cont(0.5) within group (order by extract(epoch from p.created_at - s.created_at))
         from period p join bank_statements s on s.id = p.statement_id) as median_import_seconds
    from period`);
  const n = (v: string | null | undefined) => (v === null || v === undefined ? null : Number(v));
  const payments = Number(row!.payments);
  const amount = Number(row!.amount ?? 0);
  return {
    from,
    to,
    payments,
    autoMatched: Number(row!.auto_matched),
    autoMatchRateByLine: payments ? Number(row!.auto_matched) / payments : 0,
    autoMatchRateByAmount: amount ? Number(row!.auto_amount ?? 0) / amount : 0,
    exceptions: {
      received: Number(row!.exceptions),
      open: Number(row!.open),
      oldestOpenHours: n(row!.oldest_open_hours),
      medianOpenHours: n(row!.median_open_hours),
    },
    medianImportToAppliedSeconds: n(row!.median_import_seconds),
  };
}
