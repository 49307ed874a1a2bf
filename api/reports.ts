import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { cashApplicationMetrics } from '../db/cash-metrics.js';
import {
  creditSalesByMonth,
  dunningFunnel,
  openDisputesByReason,
  openItemsAt,
  type OpenItemAt,
} from '../db/reports.js';
import { AGING_BUCKETS, agingBuckets, daysPastDue } from '../domain/aging.js';
import { CUSTOMER_SEGMENTS } from '../domain/dunning.js';
import { isoDate } from '../domain/payment-terms.js';
import {
  cashForecast,
  countBackDso,
  monthsBack,
  periodEnding,
  receivableKpis,
  standardDso,
  type MonthSales,
} from '../domain/receivable-kpis.js';
import type { ApiDeps } from './deps.js';
import { jsonOrCsv, type CsvRow } from './csv.js';
import { currency, isoDateString } from './schemas.js';

/** The aging columns of a CSV: the buckets, then the total. */
const AGING_COLUMNS = [...AGING_BUCKETS, 'total'];

/** Months of sales count-back DSO may reach back over. */
const COUNT_BACK_MONTHS = 12;

const filterQuery = z.object({
  asOf: isoDateString.optional(),
  legalEntity: z.string().min(1).max(64).optional(),
  currency: currency.optional(),
  segment: z.enum(CUSTOMER_SEGMENTS, { message: `must be one of ${CUSTOMER_SEGMENTS.join(', ')}` }).optional(),
});

const sum = (items: readonly { balance: number }[]) => items.reduce((n, i) => n + i.balance, 0);
const currenciesOf = (...lists: readonly (readonly { currency: string }[])[]) =>
  [...new Set(lists.flatMap((l) => l.map((x) => x.currency)))].sort();

/** Months latest first with their credit sales in one currency (months without sales count zero). */
function salesLatestFirst(
  months: ReturnType<typeof monthsBack>,
  sales: readonly { currency: string; month: string; amount: number }[],
  code: string,
): MonthSales[] {
  return months.map((m) => ({
    month: m.month,
    days: m.days,
    creditSales: sales.find((s) => s.currency === code && s.month === m.month)?.amount ?? 0,
  }));
}

export const reportRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const entity = deps.invoicing.defaultLegalEntity;
    const today = () => isoDate(Date.now());

    app.get(
      '/v1/reports/kpis',
      {
        schema: {
          tags: ['reports'],
          querystring: filterQuery.extend({ periodDays: z.coerce.number().int().min(7).max(366).default(90) }),
        },
        config: { roles: ['finance'] },
      },
      async (request, reply) => {
        const { periodDays, asOf = today(), ...filter } = request.query;
        const period = periodEnding(asOf, periodDays);
        const months = monthsBack(asOf, COUNT_BACK_MONTHS);
        const [closing, opening, monthly, periodSales, funnel, disputes, cash] = await Promise.all([
          openItemsAt(deps.db, asOf, filter, entity),
          openItemsAt(deps.db, period.dayBefore, filter, entity),
          creditSalesByMonth(deps.db, { from: months.at(-1)!.from, to: asOf }, filter, entity),
          creditSalesByMonth(deps.db, { from: period.from, to: asOf }, filter, entity),
          dunningFunnel(deps.db, filter, entity),
          openDisputesByReason(deps.db, asOf, filter, entity),
          cashApplicationMetrics(deps.db, period.from, asOf),
        ]);
        const byCurrency = currenciesOf(closing, opening, periodSales).map((code) => {
          const owed = closing.filter((i) => i.currency === code);
          const current = owed.filter((i) => daysPastDue(i.dueDate, asOf) <= 0);
          const figures = {
            days: periodDays,
            openingAr: sum(opening.filter((i) => i.currency === code)),
            creditSales: periodSales.filter((s) => s.currency === code).reduce((n, s) => n + s.amount, 0),
            closingAr: sum(owed),
            closingCurrentAr: sum(current),
          };
          return {
            currency: code,
            ...figures,
            ...receivableKpis(figures),
            countBackDso: countBackDso(figures.closingAr, salesLatestFirst(months, monthly, code)),
            aging: agingBuckets(owed, asOf)[code] ?? null,
          };
        });
        const body = {
          asOf,
          periodDays,
          from: period.from,
          filter,
          byCurrency,
          // Payments are matched before anyone knows whose they are: these two are not filtered.
          cashApplication: {
            autoMatchRateByLine: cash.autoMatchRateByLine,
            autoMatchRateByAmount: cash.autoMatchRateByAmount,
            exceptionBacklog: cash.exceptions.open,
          },
          openDisputes: disputes,
          dunningFunnel: funnel,
        };
        return jsonOrCsv(request, reply, body, {
          rows: (b) =>
            b.byCurrency.map(({ aging, ...row }) => ({ asOf: b.asOf, ...row, ...prefixed('aging_', aging) })),
          columns: [
            'asOf',
            'currency',
            'days',
            'openingAr',
            'creditSales',
            'closingAr',
            'closingCurrentAr',
            'dso',
            'bestPossibleDso',
            'averageDaysDelinquent',
            'collectionEffectivenessIndex',
            'percentCurrent',
            'countBackDso',
            ...AGING_COLUMNS.map((c) => `aging_${c}`),
          ],
        });
      },
    );

    app.get(
      '/v1/reports/aging',
      { schema: { tags: ['reports'], querystring: filterQuery }, config: { roles: ['finance'] } },
      async (request, reply) => {
        const { asOf = today(), ...filter } = request.query;
        const items = await openItemsAt(deps.db, asOf, filter, entity);
        const aging = agingBuckets(items, asOf);
        const body = {
          asOf,
          filter,
          buckets: AGING_BUCKETS,
          byCurrency: Object.keys(aging)
            .sort()
            .map((code) => ({ currency: code, ...aging[code]! })),
        };
        return jsonOrCsv(request, reply, body, {
          rows: (b) => b.byCurrency.map((row) => ({ asOf: b.asOf, ...row })),
          columns: ['asOf', 'currency', ...AGING_COLUMNS],
        });
      },
    );

    app.get(
      '/v1/reports/dso',
      {
        schema: {
          tags: ['reports'],
          querystring: filterQuery.extend({ months: z.coerce.number().int().min(1).max(24).default(12) }),
        },
        config: { roles: ['finance'] },
      },
      async (request, reply) => {
        const { months: count, asOf = today(), ...filter } = request.query;
        const months = monthsBack(asOf, count + COUNT_BACK_MONTHS);
        const sales = await creditSalesByMonth(deps.db, { from: months.at(-1)!.from, to: asOf }, filter, entity);
        const ends = await Promise.all(
          months.slice(0, count).map(async (m) => ({ ...m, owed: await openItemsAt(deps.db, m.to, filter, entity) })),
        );
        const codes = currenciesOf(sales, ...ends.map((e) => e.owed));
        const body = {
          asOf,
          filter,
          byCurrency: codes.map((code) => ({
            currency: code,
            months: ends
              .map((end, i) => {
                const ar = sum(end.owed.filter((o: OpenItemAt) => o.currency === code));
                const back = salesLatestFirst(months.slice(i, i + COUNT_BACK_MONTHS), sales, code);
                const creditSales = back[0]!.creditSales;
                return {
                  month: end.month,
                  to: end.to,
                  ar,
                  creditSales,
                  dso: standardDso(ar, creditSales, end.days),
                  countBackDso: countBackDso(ar, back),
                };
              })
              .reverse(),
          })),
        };
        return jsonOrCsv(request, reply, body, {
          rows: (b) =>
            b.byCurrency.flatMap(({ currency: code, months: rows }) => rows.map((row) => ({ currency: code, ...row }))),
          columns: ['currency', 'month', 'to', 'ar', 'creditSales', 'dso', 'countBackDso'],
        });
      },
    );

    app.get(
      '/v1/reports/cash-forecast',
      {
        schema: {
          tags: ['reports'],
          querystring: filterQuery.extend({ weeks: z.coerce.number().int().min(1).max(26).default(8) }),
        },
        config: { roles: ['finance'] },
      },
      async (request, reply) => {
        const { weeks, asOf = today(), ...filter } = request.query;
        const items = await openItemsAt(deps.db, asOf, filter, entity);
        const body = {
          asOf,
          filter,
          byCurrency: currenciesOf(items).map((code) => ({
            currency: code,
            buckets: cashForecast(
              items.filter((i) => i.currency === code),
              asOf,
              weeks,
            ),
          })),
        };
        return jsonOrCsv(request, reply, body, {
          rows: (b) => b.byCurrency.flatMap((f) => f.buckets.map((bucket) => ({ currency: f.currency, ...bucket }))),
          columns: ['currency', 'bucket', 'from', 'to', 'amount'],
        });
      },
    );

    app.get(
      '/v1/reports/disputes',
      { schema: { tags: ['reports'], querystring: filterQuery }, config: { roles: ['finance'] } },
      async (request, reply) => {
        const { asOf = today(), ...filter } = request.query;
        const body = { asOf, filter, open: await openDisputesByReason(deps.db, asOf, filter, entity) };
        return jsonOrCsv(request, reply, body, {
          rows: (b) => b.open.map(({ byAge, ...row }) => ({ ...row, ...prefixed('age_', byAge) })),
          columns: ['reasonCode', 'currency', 'count', 'amount', 'age_d0_7', 'age_d8_30', 'age_d31_plus', 'overdue'],
        });
      },
    );
  };

const prefixed = (prefix: string, o: Record<string, number> | null): CsvRow =>
  Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [`${prefix}${k}`, v]));
