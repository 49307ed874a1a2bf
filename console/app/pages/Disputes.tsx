import { Link } from 'react-router-dom';
import { useState, type FormEvent } from 'react';
import { api, ApiFailure, query } from '../api';
import { Failure, Money, ReasonAndSubmit } from '../components';
import { amountForInput, formatTime, parseAmount } from '../format';
import { asFailure, usePolled } from '../hooks';
import { useLocale } from '../i18n';
import { DISPUTE_RESOLUTIONS } from '../../../domain/collections.js';
import { may, usePerson } from '../session';
import { field } from '../forms';

interface Dispute {
  id: string;
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  customerName: string;
  reasonCode: string;
  amount: number;
  currency: string;
  note: string;
  owner: string;
  openedAt: string;
  slaDueAt: string;
  ageDays: number;
  overdue: boolean;
}

interface InvoiceLine {
  lineNo: number;
  sku: string;
  description: string;
  quantity: number;
  unitPrice: number;
}
/** A corrected line as POST /v1/disputes/:id/resolve takes it: what changed of it. */
interface RevisedLine {
  lineNo: number;
  quantity?: number;
  unitPrice?: number;
}
const QUANTITY = 'quantity:';
const PRICE = 'price:';

export function Disputes() {
  const { t, locale } = useLocale();
  const person = usePerson();
  const [filter, setFilter] = useState<{ owner?: string; overdue?: string }>({});
  const disputes = usePolled<{ disputes: Dispute[] }>(`/v1/disputes${query(filter)}`);
  const [open, setOpen] = useState<string>();
  const [done, setDone] = useState<string>();
  const owners = [...new Set(disputes.data?.disputes.map((d) => d.owner) ?? [])].sort();

  return (
    <>
      <hgroup>
        <h1>{t('disputes.title')}</h1>
        <p>{t('disputes.intro')}</p>
      </hgroup>
      <form className="filters" aria-label={t('disputes.filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('disputes.owner')}
          <select
            value={filter.owner ?? ''}
            onChange={(e) => setFilter((f) => ({ ...f, owner: e.target.value || undefined }))}
          >
            <option value="">{t('common.all')}</option>
            {[...new Set([...owners, ...(filter.owner ? [filter.owner] : [])])].map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('disputes.sla')}
          <select
            value={filter.overdue ?? ''}
            onChange={(e) => setFilter((f) => ({ ...f, overdue: e.target.value || undefined }))}
          >
            <option value="">{t('common.all')}</option>
            <option value="true">{t('disputes.pastSla')}</option>
            <option value="false">{t('disputes.withinSla')}</option>
          </select>
        </label>
      </form>
      <p role="status" className="done">
        {done}
      </p>
      <Failure error={disputes.error} />
      {disputes.data?.disputes.length === 0 && <p>{t('disputes.none')}</p>}
      {disputes.data && disputes.data.disputes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('common.customer')}</th>
              <th scope="col">{t('common.invoice')}</th>
              <th scope="col">{t('disputes.reason')}</th>
              <th scope="col" className="amount">
                {t('common.amount')}
              </th>
              <th scope="col">{t('disputes.owner')}</th>
              <th scope="col">{t('disputes.age')}</th>
              <th scope="col">{t('disputes.slaDue')}</th>
              {may(person, ['finance']) && <th scope="col">{t('common.action')}</th>}
            </tr>
          </thead>
          <tbody>
            {disputes.data.disputes.map((d) => (
              <DisputeRows
                key={d.id}
                dispute={d}
                resolving={open === d.id}
                onToggle={() => setOpen(open === d.id ? undefined : d.id)}
                onResolved={(message) => {
                  setOpen(undefined);
                  setDone(message);
                  disputes.reload();
                }}
                mayResolve={may(person, ['finance'])}
                slaDue={formatTime(d.slaDueAt, locale)}
              />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function DisputeRows(props: {
  dispute: Dispute;
  resolving: boolean;
  mayResolve: boolean;
  slaDue: string;
  onToggle: () => void;
  onResolved: (message: string) => void;
}) {
  const { dispute: d } = props;
  const { t } = useLocale();
  const [resolution, setResolution] = useState<string>('credit_note');
  const invoice = usePolled<{ lines: InvoiceLine[] }>(
    resolution === 'revised_invoice' ? `/v1/invoices/${d.invoiceId}` : undefined,
    60_000,
  );
  const [error, setError] = useState<ApiFailure>();
  const [busy, setBusy] = useState(false);

  const resolve = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const typed = field(form, 'amount').trim();
    const amount = typed === '' ? undefined : parseAmount(typed, d.currency);
    if (typed !== '' && (amount === undefined || amount <= 0)) {
      setError(new ApiFailure(400, 'AMOUNT_INVALID', t('errors.AMOUNT_INVALID'), 'amount'));
      return;
    }
    let lines: RevisedLine[] | undefined;
    if (resolution === 'revised_invoice') {
      const revised = revisedLines(form, invoice.data?.lines ?? [], d.currency);
      if (revised === 'invalid' || revised.length === 0) {
        const code = revised === 'invalid' ? 'AMOUNT_INVALID' : 'NOTHING_REVISED';
        setError(new ApiFailure(400, code, t(`errors.${code}`), 'lines'));
        return;
      }
      lines = revised;
    }
    setBusy(true);
    setError(undefined);
    api('POST', `/v1/disputes/${d.id}/resolve`, {
      resolution,
      note: field(form, 'note'),
      ...(resolution === 'credit_note' && amount !== undefined ? { amount } : {}),
      ...(lines ? { lines } : {}),
    })
      .then(() =>
        props.onResolved(
          t('disputes.resolved', { invoice: d.invoiceNumber, resolution: t(`resolutions.${resolution}`) }),
        ),
      )
      .catch((err: unknown) => {
        setError(asFailure(err));
        setBusy(false);
      });
  };

  return (
    <>
      <tr className={d.overdue ? 'overdue' : undefined}>
        <td>
          <Link to={`/customers/${d.customerId}`}>{d.customerName}</Link>
        </td>
        <td>
          <Link to={`/invoices/${d.invoiceId}`}>{d.invoiceNumber}</Link>
        </td>
        <td>
          {t(`disputeReasons.${d.reasonCode}`, { defaultValue: d.reasonCode })}
          <br />
          <small>{d.note}</small>
        </td>
        <td className="amount">
          <Money amount={d.amount} currency={d.currency} />
        </td>
        <td>{d.owner}</td>
        <td>{t('disputes.days', { count: d.ageDays })}</td>
        <td>
          {props.slaDue}
          {d.overdue && <mark className="late">{t('disputes.pastSla')}</mark>}
        </td>
        {props.mayResolve && (
          <td>
            <button type="button" className="outline" aria-expanded={props.resolving} onClick={props.onToggle}>
              {t('disputes.resolve')}
            </button>
          </td>
        )}
      </tr>
      {props.resolving && (
        <tr>
          <td colSpan={8}>
            <form onSubmit={resolve} aria-label={t('disputes.resolveOne', { invoice: d.invoiceNumber })}>
              <div className="grid">
                <label>
                  {t('disputes.resolution')}
                  <select value={resolution} onChange={(e) => setResolution(e.target.value)}>
                    {DISPUTE_RESOLUTIONS.map((r) => (
                      <option key={r} value={r}>
                        {t(`resolutions.${r}`)}
                      </option>
                    ))}
                  </select>
                </label>
                {resolution === 'credit_note' && (
                  <label>
                    {t('disputes.creditAmount')}
                    <input name="amount" inputMode="decimal" placeholder={t('disputes.wholeAmount')} />
                  </label>
                )}
              </div>
              {resolution === 'revised_invoice' && invoice.data && (
                <RevisedLines lines={invoice.data.lines} currency={d.currency} invoiceNumber={d.invoiceNumber} />
              )}
              <ReasonAndSubmit
                name="note"
                label={t('common.note')}
                maxLength={2000}
                error={error}
                busy={busy}
                submit={t('disputes.submit')}
              />
            </form>
          </td>
        </tr>
      )}
    </>
  );
}

/** The lines as the person corrected them: only those that changed, or 'invalid' for a quantity or price unreadable. */
function revisedLines(form: FormData, lines: readonly InvoiceLine[], currency: string): RevisedLine[] | 'invalid' {
  const changed: RevisedLine[] = [];
  for (const line of lines) {
    const quantityText = field(form, `${QUANTITY}${line.lineNo}`).trim();
    const quantity = /^\d+$/.test(quantityText) ? Number(quantityText) : undefined;
    const unitPrice = parseAmount(field(form, `${PRICE}${line.lineNo}`), currency);
    if (quantity === undefined || unitPrice === undefined) return 'invalid';
    if (quantity === line.quantity && unitPrice === line.unitPrice) continue;
    changed.push({
      lineNo: line.lineNo,
      ...(quantity !== line.quantity ? { quantity } : {}),
      ...(unitPrice !== line.unitPrice ? { unitPrice } : {}),
    });
  }
  return changed;
}

/** The invoice's lines to correct: the revised invoice replaces it, the original credited in full. */
function RevisedLines(props: { lines: readonly InvoiceLine[]; currency: string; invoiceNumber: string }) {
  const { t, locale } = useLocale();
  return (
    <table>
      <caption>{t('disputes.revisedLines', { invoice: props.invoiceNumber })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('order.sku')}</th>
          <th scope="col">{t('order.quantity')}</th>
          <th scope="col">{t('order.unitPrice')}</th>
        </tr>
      </thead>
      <tbody>
        {props.lines.map((line) => (
          <tr key={line.lineNo}>
            <td>
              {line.description} <small>({line.sku})</small>
            </td>
            <td>
              <input
                name={`${QUANTITY}${line.lineNo}`}
                inputMode="numeric"
                defaultValue={line.quantity}
                aria-label={t('disputes.quantityOf', { line: line.description })}
              />
            </td>
            <td>
              <input
                name={`${PRICE}${line.lineNo}`}
                inputMode="decimal"
                defaultValue={amountForInput(line.unitPrice, props.currency, locale)}
                aria-label={t('disputes.unitPriceOf', { line: line.description })}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
