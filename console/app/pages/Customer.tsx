import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { invoiceWorkflowId, orderWorkflowId } from '../../../temporal/workflow-ids.js';
import { describeEvent, EVENT_GROUPS, type AccountEvent, type EventGroup } from '../activity';
import { Failure, Money, WorkflowLink } from '../components';
import { formatDay, formatTime } from '../format';
import { usePolled } from '../hooks';
import { useLocale } from '../i18n';
import { CREDIT_ROLES, FINANCE_ROLES, may, usePerson } from '../session';

interface Customer {
  id: string;
  name: string;
  email: string;
  country: string;
  currency: string;
  language: string;
  segment: string;
  kind: string;
  paymentTermsDays: number;
  riskClass: string;
}
interface CreditAccount {
  currency: string;
  creditLimit: number;
  blocked: boolean;
  headroom: number;
  oldestOverdueDays: number | null;
  exposure: { notDue: number; overdue: number; uninvoicedShipments: number; openOrders: number; total: number };
}
const BUCKETS = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
interface Statement {
  asOf: string;
  lines: {
    invoiceId: string;
    invoiceNumber: string;
    dueDate: string;
    daysOverdue: number;
    total: number;
    balance: number;
    currency: string;
    legalEntity: string;
  }[];
  totals: Record<string, Record<(typeof BUCKETS)[number] | 'total', number>>;
  charges: { id: string; invoiceId: string; invoiceNumber: string; kind: string; owed: number; currency: string }[];
}
interface UnappliedCash {
  balances: { currency: string; amount: number }[];
}
/** A customer's account: credit, open items and aging, the statement, and all that happened on it in one timeline. */
export function CustomerPage() {
  const { id = '' } = useParams();
  const { t } = useLocale();
  const person = usePerson();
  const base = `/v1/customers/${encodeURIComponent(id)}`;
  const customer = usePolled<Customer>(base, 60_000);
  const c = customer.data;
  return (
    <>
      <Failure error={customer.error} />
      {c && (
        <>
          <hgroup>
            <h1>{c.name}</h1>
            <p>
              {t(`segments.${c.segment}`, { defaultValue: c.segment })} · {t(`riskClasses.${c.riskClass}`)} ·{' '}
              {t('customer.terms', { days: c.paymentTermsDays })} · {c.email}
            </p>
          </hgroup>
          {may(person, CREDIT_ROLES) && <Credit path={`${base}/credit`} />}
          <OpenItems base={base} />
          {may(person, FINANCE_ROLES) && <Unapplied path={`${base}/unapplied-cash`} />}
          <Timeline path={`${base}/activity`} />
        </>
      )}
    </>
  );
}

function Credit({ path }: { path: string }) {
  const { t } = useLocale();
  const account = usePolled<CreditAccount>(path, 30_000).data;
  if (!account) return null;
  const facts: [string, number][] = [
    ['customer.creditLimit', account.creditLimit],
    ['customer.exposure', account.exposure.total],
    ['customer.headroom', account.headroom],
    ['customer.overdue', account.exposure.overdue],
    ['customer.openOrders', account.exposure.openOrders + account.exposure.uninvoicedShipments],
  ];
  return (
    <section aria-labelledby="credit">
      <h2 id="credit">
        {t('customer.credit')}
        {account.blocked && ` · ${t('customer.blocked')}`}
      </h2>
      <dl className="facts">
        {facts.map(([label, amount]) => (
          <div key={label}>
            <dt>{t(label)}</dt>
            <dd>
              <Money amount={amount} currency={account.currency} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function OpenItems({ base }: { base: string }) {
  const { t, locale } = useLocale();
  const statement = usePolled<Statement>(`${base}/statement`).data;
  if (!statement) return null;
  const sellers = [...new Set(statement.lines.map((l) => l.legalEntity))];
  return (
    <section aria-labelledby="open-items">
      <h2 id="open-items">{t('customer.openItems')}</h2>
      {statement.lines.length === 0 ? (
        <p>{t('customer.nothingOpen')}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('common.invoice')}</th>
                <th scope="col">{t('common.dueDate')}</th>
                <th scope="col" className="amount">
                  {t('customer.daysOverdue')}
                </th>
                <th scope="col" className="amount">
                  {t('common.amount')}
                </th>
                <th scope="col" className="amount">
                  {t('common.outstanding')}
                </th>
              </tr>
            </thead>
            <tbody>
              {statement.lines.map((line) => (
                <tr key={line.invoiceId} className={line.daysOverdue > 0 ? 'overdue' : undefined}>
                  <td>
                    <Link to={`/invoices/${line.invoiceId}`}>{line.invoiceNumber}</Link>
                  </td>
                  <td>{formatDay(line.dueDate, locale)}</td>
                  <td className="amount">{line.daysOverdue}</td>
                  <td className="amount">
                    <Money amount={line.total} currency={line.currency} />
                  </td>
                  <td className="amount">
                    <Money amount={line.balance} currency={line.currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>{t('customer.aging')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.currency')}</th>
                {BUCKETS.map((b) => (
                  <th key={b} scope="col" className="amount">
                    {t(`aging.${b}`)}
                  </th>
                ))}
                <th scope="col" className="amount">
                  {t('customer.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(statement.totals).map(([currency, totals]) => (
                <tr key={currency}>
                  <th scope="row">{currency}</th>
                  {[...BUCKETS, 'total' as const].map((b) => (
                    <td key={b} className="amount">
                      <Money amount={totals[b]} currency={currency} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {statement.charges.length > 0 && (
        <table>
          <caption>{t('customer.charges')}</caption>
          <tbody>
            {statement.charges.map((charge) => (
              <tr key={charge.id}>
                <td>
                  <Link to={`/invoices/${charge.invoiceId}`}>{charge.invoiceNumber}</Link>
                </td>
                <td>{t(`chargeKinds.${charge.kind}`, { defaultValue: charge.kind })}</td>
                <td className="amount">
                  <Money amount={charge.owed} currency={charge.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="documents">
        {(sellers.length > 0 ? sellers : [undefined]).map((seller, i) => (
          <span key={seller ?? 'own'}>
            {i > 0 && ' · '}
            <a href={`${base}/statement/pdf${seller ? `?legalEntity=${encodeURIComponent(seller)}` : ''}`} download>
              {t('customer.statementPdf', { seller: seller ?? '' }).trim()}
            </a>
          </span>
        ))}{' '}
        <small>{t('customer.asOf', { day: formatDay(statement.asOf, locale) })}</small>
      </p>
    </section>
  );
}

function Unapplied({ path }: { path: string }) {
  const { t } = useLocale();
  const cash = usePolled<UnappliedCash>(path, 30_000).data;
  if (!cash || cash.balances.length === 0) return null;
  return (
    <p>
      {t('customer.unapplied')}{' '}
      {cash.balances.map((b, i) => (
        <span key={b.currency}>
          {i > 0 && ' · '}
          <Money amount={b.amount} currency={b.currency} />
        </span>
      ))}
    </p>
  );
}

function Timeline({ path }: { path: string }) {
  const { t, locale } = useLocale();
  const [group, setGroup] = useState<EventGroup | 'all'>('all');
  const loaded = usePolled<{ events: AccountEvent[] }>(path);
  const shown = (loaded.data?.events ?? []).filter(
    (e) => group === 'all' || (EVENT_GROUPS[group] as readonly string[]).includes(e.kind),
  );
  return (
    <section aria-labelledby="account-timeline">
      <h2 id="account-timeline">{t('customer.timeline')}</h2>
      <div className="filters" role="group" aria-label={t('customer.show')}>
        {(['all', ...Object.keys(EVENT_GROUPS)] as const).map((g) => (
          <button
            key={g}
            type="button"
            className={g === group ? undefined : 'outline secondary'}
            aria-pressed={g === group}
            onClick={() => setGroup(g as EventGroup | 'all')}
          >
            {t(`customer.groups.${g}`)}
          </button>
        ))}
      </div>
      <Failure error={loaded.error} />
      {shown.length === 0 ? (
        <p>{t('customer.nothingHappened')}</p>
      ) : (
        <table>
          <tbody>
            {shown.map((e, i) => (
              <tr key={`${e.at}-${e.kind}-${i}`}>
                <td>
                  <time dateTime={e.at}>{formatTime(e.at, locale)}</time>
                </td>
                <td>
                  {describeEvent(e, t, locale)}
                  {e.by && e.kind !== 'letter_sent' && <small> · {e.by}</small>}
                </td>
                <td>
                  {e.invoiceId ? (
                    <>
                      <Link to={`/invoices/${e.invoiceId}`}>{e.invoiceNumber}</Link>{' '}
                      <small>
                        <WorkflowLink workflowId={invoiceWorkflowId(e.invoiceId)} />
                      </small>
                    </>
                  ) : e.orderId ? (
                    <>
                      <Link to={`/orders/${e.orderId}`}>{t('holds.order')}</Link>{' '}
                      <small>
                        <WorkflowLink workflowId={orderWorkflowId(e.orderId)} />
                      </small>
                    </>
                  ) : null}
                </td>
                <td className="amount">
                  {e.amount !== null && e.currency && <Money amount={e.amount} currency={e.currency} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
