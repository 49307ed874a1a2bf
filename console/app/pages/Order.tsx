import { Trans } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { invoiceWorkflowId, orderWorkflowId } from '../../../temporal/workflow-ids.js';
import { describeEvent, type AccountEvent } from '../activity';
import { Failure, Money, WorkflowLink } from '../components';
import { formatDay, formatTime } from '../format';
import { usePolled } from '../hooks';
import { useLocale } from '../i18n';

interface InvoiceSummary {
  id: string;
  type: 'invoice' | 'credit_note';
  number: string;
  orderId: string | null;
  customerId: string;
  total: number;
  balance: number;
  currency: string;
  issueDate: string;
  dueDate: string;
  paymentReference: string;
  status: string;
  dunningLevel: number;
}
interface Invoice extends InvoiceSummary {
  netTotal: number;
  vatTotal: number;
  lines: { lineNo: number; description: string; quantity: number; unitPrice: number; lineTotal: number }[];
  deliveries: {
    channel: string;
    status: string;
    recipient: string;
    failureReason: string | null;
    attempts: number;
    updatedAt: string;
  }[];
  collectionCase: { status: string; agencyReference: string | null; handedOverAt: string } | null;
}
interface Customer {
  name: string;
  documents: ('pdf' | 'ubl')[];
}
interface Order {
  id: string;
  status: string;
  statusReason: string | null;
  customerId: string;
  externalRef: string | null;
  total: number;
  currency: string;
  createdAt: string;
  lines: { lineNo: number; sku: string; quantity: number; unitPrice: number; discountBp: number; lineTotal: number }[];
  creditDecision: { outcome: string; score: number; reasons: string[]; checkedAt: string } | null;
  shipments: {
    id: string;
    warehouse: string;
    status: string;
    trackingNumber: string | null;
    dispatchedAt: string | null;
    deliveredAt: string | null;
  }[];
  invoices: InvoiceSummary[];
}

/** One order as its process ran: what was ordered, the credit decision, shipments, invoices and their delivery. */
export function OrderPage() {
  const { id = '' } = useParams();
  const { t, locale } = useLocale();
  const order = usePolled<Order>(`/v1/orders/${encodeURIComponent(id)}`);
  const customer = usePolled<Customer>(order.data && `/v1/customers/${order.data.customerId}`, 60_000);
  const activity = usePolled<{ events: AccountEvent[] }>(`/v1/orders/${encodeURIComponent(id)}/activity`);
  const o = order.data;
  return (
    <>
      <Failure error={order.error} />
      {o && (
        <>
          <hgroup>
            <h1>
              <Trans
                i18nKey="order.title"
                values={{ customer: customer.data?.name ?? '…' }}
                components={{ customer: <Link to={`/customers/${o.customerId}`} /> }}
              />
              {o.externalRef && ` · ${o.externalRef}`}
            </h1>
            <p>
              {t(`orderStatus.${o.status}`, { defaultValue: o.status })}
              {o.statusReason && ` (${o.statusReason})`} · <Money amount={o.total} currency={o.currency} />{' '}
              {t('order.net')} · <WorkflowLink workflowId={orderWorkflowId(o.id)} />
            </p>
          </hgroup>
          <section aria-labelledby="timeline">
            <h2 id="timeline">{t('order.timeline')}</h2>
            <Failure error={activity.error} />
            <ol className="timeline">
              {timeline(o, activity.data?.events ?? []).map((step, i) => (
                <li key={`${step.at}-${i}`}>
                  <time dateTime={step.at}>{formatTime(step.at, locale)}</time>{' '}
                  {'key' in step ? (
                    t(`order.steps.${step.key}`, step)
                  ) : (
                    <>
                      {describeEvent(step, t, locale)}
                      {step.invoiceId && (
                        <>
                          {' · '}
                          <Link to={`/invoices/${step.invoiceId}`}>{step.invoiceNumber}</Link>
                        </>
                      )}
                      {step.amount !== null && step.currency && (
                        <>
                          {' · '}
                          <Money amount={step.amount} currency={step.currency} />
                        </>
                      )}
                    </>
                  )}
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="lines">
            <h2 id="lines">{t('order.lines')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('order.sku')}</th>
                  <th scope="col" className="amount">
                    {t('order.quantity')}
                  </th>
                  <th scope="col" className="amount">
                    {t('order.unitPrice')}
                  </th>
                  <th scope="col" className="amount">
                    {t('common.amount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {o.lines.map((line) => (
                  <tr key={line.lineNo}>
                    <td>{line.sku}</td>
                    <td className="amount">{line.quantity}</td>
                    <td className="amount">
                      <Money amount={line.unitPrice} currency={o.currency} />
                    </td>
                    <td className="amount">
                      <Money amount={line.lineTotal} currency={o.currency} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {o.creditDecision && (
            <section aria-labelledby="credit">
              <h2 id="credit">{t('order.credit')}</h2>
              <p>
                {t(`decisions.${o.creditDecision.outcome}`, { defaultValue: o.creditDecision.outcome })} ·{' '}
                {t('holds.score')} {o.creditDecision.score} / 100
                {o.creditDecision.reasons.length > 0 &&
                  ` · ${o.creditDecision.reasons.map((r) => t(`creditReasons.${r}`, { defaultValue: r })).join(', ')}`}
              </p>
            </section>
          )}
          {o.invoices.map((invoice) => (
            <InvoiceDetails key={invoice.id} id={invoice.id} />
          ))}
        </>
      )}
    </>
  );
}

interface Step {
  at: string;
  key: string;
  [value: string]: string;
}

/**
 * The order's process in time order: placing, credit and shipments from the order itself, and what followed its
 * invoicing (invoices, payments, letters, calls, disputes, promises) from its activity.
 */
function timeline(o: Order, events: readonly AccountEvent[]): (Step | AccountEvent)[] {
  const steps: (Step | AccountEvent)[] = [{ at: o.createdAt, key: 'placed' }];
  steps.push(...events.filter((e) => e.kind !== 'order_placed'));
  if (o.creditDecision) steps.push({ at: o.creditDecision.checkedAt, key: 'creditChecked' });
  for (const s of o.shipments) {
    if (s.dispatchedAt) steps.push({ at: s.dispatchedAt, key: 'dispatched', warehouse: s.warehouse });
    if (s.deliveredAt) steps.push({ at: s.deliveredAt, key: 'delivered', warehouse: s.warehouse });
  }
  return steps.sort((a, b) => a.at.localeCompare(b.at));
}

/** An invoice or credit note: amounts, balance, dunning, documents and how each channel delivered it. */
export function InvoiceDetails({ id }: { id: string }) {
  const { t, locale } = useLocale();
  const loaded = usePolled<Invoice>(`/v1/invoices/${encodeURIComponent(id)}`);
  const invoice = loaded.data;
  // What the customer's invoices come as now: a PDF-only customer's have no UBL to download.
  const customer = usePolled<Customer>(invoice && `/v1/customers/${invoice.customerId}`, 60_000);
  const headingId = `invoice-${id}`;
  if (!invoice) return <Failure error={loaded.error} />;
  return (
    <article aria-labelledby={headingId}>
      <header>
        <h2 id={headingId}>{t(`invoice.types.${invoice.type}`, { number: invoice.number })}</h2>
        <small>
          {t(`invoice.status.${invoice.status}`, { defaultValue: invoice.status })} ·{' '}
          {t('invoice.issued', { day: formatDay(invoice.issueDate, locale) })} ·{' '}
          {t('invoice.due', { day: formatDay(invoice.dueDate, locale) })} ·{' '}
          <WorkflowLink workflowId={invoiceWorkflowId(invoice.id)} />
        </small>
      </header>
      <dl className="facts">
        <div>
          <dt>{t('invoice.total')}</dt>
          <dd>
            <Money amount={invoice.total} currency={invoice.currency} />
          </dd>
        </div>
        <div>
          <dt>{t('invoice.vat')}</dt>
          <dd>
            <Money amount={invoice.vatTotal} currency={invoice.currency} />
          </dd>
        </div>
        <div>
          <dt>{t('common.outstanding')}</dt>
          <dd>
            <Money amount={invoice.balance} currency={invoice.currency} />
          </dd>
        </div>
        <div>
          <dt>{t('invoice.dunningLevel')}</dt>
          <dd>{invoice.dunningLevel}</dd>
        </div>
        <div>
          <dt>{t('invoice.paymentReference')}</dt>
          <dd>{invoice.paymentReference}</dd>
        </div>
      </dl>
      <table>
        <caption>{t('invoice.deliveries')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('invoice.channel')}</th>
            <th scope="col">{t('invoice.recipient')}</th>
            <th scope="col">{t('invoice.deliveryStatus')}</th>
            <th scope="col">{t('invoice.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {invoice.deliveries.map((d) => (
            <tr key={d.channel}>
              <td>{t(`invoice.channels.${d.channel}`, { defaultValue: d.channel })}</td>
              <td>{d.recipient}</td>
              <td>
                {t(`invoice.deliveryStatuses.${d.status}`, { defaultValue: d.status })}
                {d.failureReason && ` (${d.failureReason})`} · {t('invoice.attempts', { count: d.attempts })}
              </td>
              <td>{formatTime(d.updatedAt, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {invoice.collectionCase && (
        <p>
          {t('invoice.withAgency', {
            reference: invoice.collectionCase.agencyReference ?? '–',
            time: formatTime(invoice.collectionCase.handedOverAt, locale),
          })}
        </p>
      )}
      <p className="documents">
        <a href={`/v1/invoices/${invoice.id}/pdf`} download>
          {t('invoice.pdf', { number: invoice.number })}
        </a>
        {customer.data?.documents.includes('ubl') && (
          <>
            {' · '}
            <a href={`/v1/invoices/${invoice.id}/ubl`} download>
              {t('invoice.ubl', { number: invoice.number })}
            </a>
          </>
        )}
      </p>
    </article>
  );
}

/** An invoice on its own: its details, and the order it came from. */
export function InvoicePage() {
  const { id = '' } = useParams();
  const { t } = useLocale();
  const invoice = usePolled<InvoiceSummary>(`/v1/invoices/${encodeURIComponent(id)}`, 60_000);
  const customer = usePolled<Customer>(invoice.data && `/v1/customers/${invoice.data.customerId}`, 60_000);
  return (
    <>
      {invoice.data && (
        <p>
          <Link to={`/customers/${invoice.data.customerId}`}>{customer.data?.name ?? t('common.customer')}</Link>
          {invoice.data.orderId && (
            <>
              {' · '}
              <Link to={`/orders/${invoice.data.orderId}`}>{t('invoice.order')}</Link>
            </>
          )}
        </p>
      )}
      <Failure error={invoice.error} />
      <InvoiceDetails id={id} />
    </>
  );
}
