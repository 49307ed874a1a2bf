import { useState, type ReactNode } from 'react';
import { Bar, Line } from 'react-chartjs-2';
import { query } from '../api';
import { AGING_COLOURS, barOptions, lineOptions, PALETTE } from '../charts';
import { Failure, Money } from '../components';
import { chartAmount, formatDay, formatNumber } from '../format';
import { usePolled } from '../hooks';
import { useLocale } from '../i18n';
import { AGING_BUCKETS, type AgingTotals } from '../../../domain/aging.js';
import { CUSTOMER_SEGMENTS } from '../../../domain/dunning.js';

interface Kpis {
  asOf: string;
  periodDays: number;
  byCurrency: {
    currency: string;
    closingAr: number;
    dso: number | null;
    bestPossibleDso: number | null;
    averageDaysDelinquent: number | null;
    collectionEffectivenessIndex: number | null;
    percentCurrent: number | null;
    countBackDso: number | null;
    aging: AgingTotals | null;
  }[];
  cashApplication: { autoMatchRateByLine: number; autoMatchRateByAmount: number; exceptionBacklog: number };
  openDisputes: {
    reasonCode: string;
    currency: string;
    count: number;
    amount: number;
    byAge: { d0_7: number; d8_30: number; d31_plus: number };
    overdue: number;
  }[];
  dunningFunnel: { level: number; name: string; reached: number; paidSince: number }[];
}
interface DsoTrend {
  byCurrency: { currency: string; months: { month: string; dso: number | null; countBackDso: number | null }[] }[];
}
interface CashForecast {
  byCurrency: {
    currency: string;
    buckets: { bucket: string; from: string | null; to: string | null; amount: number }[];
  }[];
}

/** The figures are heavy queries over all open items: every 30 s is live enough for a manager's glance. */
const EVERY_MS = 30_000;

export function Dashboard() {
  const { t, locale } = useLocale();
  const [filter, setFilter] = useState<{ legalEntity?: string; currency?: string; segment?: string }>({});
  const qs = query(filter);
  const kpis = usePolled<Kpis>(`/v1/reports/kpis${qs}`, EVERY_MS);
  const dso = usePolled<DsoTrend>(`/v1/reports/dso${query({ ...filter, months: 12 })}`, EVERY_MS);
  const forecast = usePolled<CashForecast>(`/v1/reports/cash-forecast${qs}`, EVERY_MS);
  const entities = usePolled<{ legalEntities: { code: string; name: string }[] }>('/v1/legal-entities', 300_000);

  const currencies = kpis.data?.byCurrency.map((c) => c.currency) ?? [];
  // Amounts in two currencies never share an axis: one currency at a time, the first by default.
  const shown = filter.currency ?? currencies[0];
  const figures = kpis.data?.byCurrency.find((c) => c.currency === shown);
  const disputesShown = kpis.data?.openDisputes.filter((d) => d.currency === shown) ?? [];
  const set = (key: keyof typeof filter) => (value: string) =>
    setFilter((f) => ({ ...f, [key]: value === '' ? undefined : value }));

  return (
    <>
      <hgroup>
        <h1>{t('dashboard.title')}</h1>
        {kpis.data && (
          <p>{t('dashboard.asOf', { date: formatDay(kpis.data.asOf, locale), days: kpis.data.periodDays })}</p>
        )}
      </hgroup>
      <form className="filters" aria-label={t('dashboard.filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('dashboard.legalEntity')}
          <select value={filter.legalEntity ?? ''} onChange={(e) => set('legalEntity')(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {entities.data?.legalEntities.map((e) => (
              <option key={e.code} value={e.code}>
                {e.code} – {e.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dashboard.currency')}
          <select value={filter.currency ?? ''} onChange={(e) => set('currency')(e.target.value)}>
            <option value="">{shown ? t('dashboard.firstCurrency', { currency: shown }) : t('common.all')}</option>
            {currencies.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dashboard.segment')}
          <select value={filter.segment ?? ''} onChange={(e) => set('segment')(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {CUSTOMER_SEGMENTS.map((s) => (
              <option key={s} value={s}>
                {t(`segments.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <Failure error={kpis.error} />
      {!kpis.data && !kpis.error && <p aria-busy="true">{t('common.loading')}</p>}
      {kpis.data && !figures && <p>{t('dashboard.nothingOpen')}</p>}
      {kpis.data && figures && (
        <>
          <section className="tiles" aria-label={t('dashboard.kpis')}>
            <Tile label={t('kpi.closingAr')}>
              <Money amount={figures.closingAr} currency={figures.currency} />
            </Tile>
            <Tile label={t('kpi.dso')} unit={t('units.days')}>
              {formatNumber(figures.dso, locale)}
            </Tile>
            <Tile label={t('kpi.countBackDso')} unit={t('units.days')}>
              {formatNumber(figures.countBackDso, locale)}
            </Tile>
            <Tile label={t('kpi.bestPossibleDso')} unit={t('units.days')}>
              {formatNumber(figures.bestPossibleDso, locale)}
            </Tile>
            <Tile label={t('kpi.averageDaysDelinquent')} unit={t('units.days')}>
              {formatNumber(figures.averageDaysDelinquent, locale)}
            </Tile>
            <Tile label={t('kpi.cei')} unit="%">
              {formatNumber(figures.collectionEffectivenessIndex, locale)}
            </Tile>
            <Tile label={t('kpi.percentCurrent')} unit="%">
              {formatNumber(figures.percentCurrent, locale)}
            </Tile>
            <Tile label={t('kpi.autoMatchRate')} unit="%">
              {formatNumber(kpis.data.cashApplication.autoMatchRateByLine * 100, locale)}
            </Tile>
            <Tile label={t('kpi.exceptionBacklog')}>
              {formatNumber(kpis.data.cashApplication.exceptionBacklog, locale)}
            </Tile>
          </section>
          <div className="charts">
            <Panel title={t('dashboard.aging', { currency: figures.currency })} empty={!figures.aging?.total}>
              <Bar
                aria-label={t('dashboard.aging', { currency: figures.currency })}
                role="img"
                options={barOptions({ series: false })}
                data={{
                  labels: AGING_BUCKETS.map((b) => t(`aging.${b}`)),
                  datasets: [
                    {
                      label: figures.currency,
                      data: AGING_BUCKETS.map((b) => chartAmount(figures.aging?.[b] ?? 0, figures.currency)),
                      backgroundColor: AGING_COLOURS,
                    },
                  ],
                }}
              />
            </Panel>
            <Panel title={t('dashboard.forecast', { currency: figures.currency })} empty={!forecast.data}>
              <ForecastChart data={forecast.data} currency={figures.currency} />
            </Panel>
            <Panel title={t('dashboard.dsoTrend')} empty={!dso.data}>
              <DsoChart data={dso.data} currency={figures.currency} />
            </Panel>
            <Panel title={t('dashboard.funnel')} empty={kpis.data.dunningFunnel.length === 0}>
              <Bar
                aria-label={t('dashboard.funnel')}
                role="img"
                options={barOptions({ counts: true })}
                data={{
                  labels: kpis.data.dunningFunnel.map((l) => t(`levels.${l.name}`, { defaultValue: l.name })),
                  datasets: [
                    {
                      label: t('dashboard.reached'),
                      data: kpis.data.dunningFunnel.map((l) => l.reached),
                      backgroundColor: PALETTE[0],
                    },
                    {
                      label: t('dashboard.paidSince'),
                      data: kpis.data.dunningFunnel.map((l) => l.paidSince),
                      backgroundColor: PALETTE[2],
                    },
                  ],
                }}
              />
            </Panel>
            <Panel title={t('dashboard.disputes')} empty={disputesShown.length === 0}>
              <DisputeChart disputes={disputesShown} />
            </Panel>
          </div>
        </>
      )}
    </>
  );
}

function Tile({ label, unit, children }: { label: string; unit?: string; children: ReactNode }) {
  return (
    <article className="tile">
      <h2>{label}</h2>
      <p>
        {children}
        {unit && <small> {unit}</small>}
      </p>
    </article>
  );
}

function Panel({ title, empty, children }: { title: string; empty: boolean; children: ReactNode }) {
  const { t } = useLocale();
  return (
    <article className="panel">
      <h2>{title}</h2>
      {empty ? <p className="empty">{t('dashboard.empty')}</p> : <div className="chart">{children}</div>}
    </article>
  );
}

function ForecastChart({ data, currency }: { data: CashForecast | undefined; currency: string }) {
  const { t, locale } = useLocale();
  const buckets = data?.byCurrency.find((c) => c.currency === currency)?.buckets ?? [];
  const label = (b: (typeof buckets)[number]) =>
    b.bucket === 'overdue'
      ? t('forecast.overdue')
      : b.bucket === 'later'
        ? t('forecast.later')
        : formatDay(b.from!, locale);
  return (
    <Bar
      aria-label={t('dashboard.forecast', { currency })}
      role="img"
      options={barOptions({ series: false })}
      data={{
        labels: buckets.map(label),
        datasets: [
          {
            label: currency,
            data: buckets.map((b) => chartAmount(b.amount, currency)),
            backgroundColor: buckets.map((b) => (b.bucket === 'overdue' ? PALETTE[3] : PALETTE[0])),
          },
        ],
      }}
    />
  );
}

function DsoChart({ data, currency }: { data: DsoTrend | undefined; currency: string }) {
  const { t } = useLocale();
  const months = data?.byCurrency.find((c) => c.currency === currency)?.months ?? [];
  return (
    <Line
      aria-label={t('dashboard.dsoTrend')}
      role="img"
      options={lineOptions}
      data={{
        labels: months.map((m) => m.month),
        datasets: [
          { label: t('kpi.dso'), data: months.map((m) => m.dso), borderColor: PALETTE[0], backgroundColor: PALETTE[0] },
          {
            label: t('kpi.countBackDso'),
            data: months.map((m) => m.countBackDso),
            borderColor: PALETTE[1],
            backgroundColor: PALETTE[1],
          },
        ],
      }}
    />
  );
}

function DisputeChart({ disputes }: { disputes: Kpis['openDisputes'] }) {
  const { t } = useLocale();
  const ages = ['d0_7', 'd8_30', 'd31_plus'] as const;
  return (
    <Bar
      aria-label={t('dashboard.disputes')}
      role="img"
      options={barOptions({ stacked: true, counts: true })}
      data={{
        labels: disputes.map((d) => t(`disputeReasons.${d.reasonCode}`, { defaultValue: d.reasonCode })),
        datasets: ages.map((age, i) => ({
          label: t(`disputeAges.${age}`),
          data: disputes.map((d) => d.byAge[age]),
          backgroundColor: AGING_COLOURS[i === 0 ? 0 : i === 1 ? 2 : 3],
        })),
      }}
    />
  );
}
