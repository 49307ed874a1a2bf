import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiFailure, query, upload } from '../api';
import { Failure, Money, ReasonAndSubmit } from '../components';
import { formatDay, formatNumber, formatTime, parseAmount } from '../format';
import { useCustomerSearch } from '../customer-search';
import { field } from '../forms';
import { asFailure, usePolled } from '../hooks';
import { useLocale } from '../i18n';

interface Statement {
  id: string;
  receivedAt: string;
  status: string;
  note?: string;
  format: string;
  statementId: string;
  account: string;
  lines: { total: number; done: number };
}
interface Suggestion {
  allocations: { invoiceId: string; invoiceNumber: string | null; amount: number }[];
  confidence: number;
  reasons: string[];
}
interface CashException {
  id: string;
  amount: number;
  currency: string;
  valueDate: string;
  payer: { name: string | null; iban: string | null };
  reference: string | null;
  remittance: string | null;
  receivedAt: string;
  /** The payer, when known (an IBAN learnt before, a name that matched). */
  customerId: string | null;
  reasons: string[];
  suggestions: Suggestion[];
}
interface OpenInvoice {
  id: string;
  type: 'invoice' | 'credit_note';
  number: string;
  customerId: string;
  dueDate: string;
  balance: number;
  currency: string;
}
const SPLIT = 'split:';

export function CashApplication() {
  const { t } = useLocale();
  const [shown, setShown] = useState(10);
  const statements = usePolled<{ statements: Statement[]; next?: string }>(
    `/v1/bank-statements${query({ limit: shown })}`,
    3000,
  );
  const [error, setError] = useState<ApiFailure>();
  const [busy, setBusy] = useState(false);
  const exceptions = usePolled<{ exceptions: CashException[] }>('/v1/cash-application/exceptions');

  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get('file');
    if (!(file instanceof File) || file.size === 0) return;
    setBusy(true);
    setError(undefined);
    const form = event.currentTarget;
    upload<{ id: string }>('/v1/bank-statements', file)
      .then(() => {
        statements.reload();
        form.reset();
        exceptions.reload();
      })
      .catch((err: unknown) => setError(asFailure(err)))
      .finally(() => setBusy(false));
  };

  return (
    <>
      <hgroup>
        <h1>{t('cash.title')}</h1>
        <p>{t('cash.intro')}</p>
      </hgroup>
      <form onSubmit={send} aria-labelledby="upload">
        <h2 id="upload">{t('cash.upload')}</h2>
        <label>
          {t('cash.file')}
          <input type="file" name="file" required accept=".xml,.sta,.mt940,.txt,.csv" />
        </label>
        <Failure error={error} />
        <button type="submit" aria-busy={busy} disabled={busy}>
          {t('cash.send')}
        </button>
      </form>
      <section aria-labelledby="statements">
        <h2 id="statements">{t('cash.statements')}</h2>
        <Failure error={statements.error} />
        {statements.data?.statements.length === 0 && <p>{t('cash.noStatements')}</p>}
        {statements.data && statements.data.statements.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('cash.statement')}</th>
                <th scope="col">{t('cash.account')}</th>
                <th scope="col">{t('cash.receivedAt')}</th>
                <th scope="col">{t('cash.status')}</th>
                <th scope="col">{t('cash.progress')}</th>
              </tr>
            </thead>
            <tbody>
              {statements.data.statements.map((s) => (
                <StatementRow key={s.id} statement={s} />
              ))}
            </tbody>
          </table>
        )}
        {statements.data?.next && shown < 100 && (
          <button type="button" className="outline secondary" onClick={() => setShown((n) => n + 10)}>
            {t('cash.older')}
          </button>
        )}
      </section>
      <section aria-labelledby="exceptions">
        <h2 id="exceptions">{t('cash.exceptions')}</h2>
        <Failure error={exceptions.error} />
        {exceptions.data?.exceptions.length === 0 && <p>{t('cash.noExceptions')}</p>}
        {exceptions.data?.exceptions.map((e) => (
          <ExceptionCard key={e.id} exception={e} onResolved={exceptions.reload} />
        ))}
      </section>
    </>
  );
}

function StatementRow({ statement: s }: { statement: Statement }) {
  const { t, locale } = useLocale();
  return (
    <tr>
      <td>
        {s.statementId} <small>({s.format})</small>
      </td>
      <td>{s.account}</td>
      <td>{formatTime(s.receivedAt, locale)}</td>
      <td>
        {t(`cash.statementStatus.${s.status}`, { defaultValue: s.status })}
        {s.note && ` (${s.note})`}
      </td>
      <td>
        <progress
          value={s.lines.done}
          max={s.lines.total}
          aria-label={t('cash.linesOf', { statement: s.statementId })}
        />{' '}
        {t('cash.lines', { done: s.lines.done, total: s.lines.total })}
      </td>
    </tr>
  );
}

function ExceptionCard({ exception: e, onResolved }: { exception: CashException; onResolved: () => void }) {
  const { t, locale } = useLocale();
  const [error, setError] = useState<ApiFailure>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const [choice, setChoice] = useState(e.suggestions.length > 0 ? '0' : 'on_account');
  const [chosenPayer, setChosenPayer] = useState<string>();
  const needsPayer = choice === 'split' || choice === 'on_account';
  const knownPayer = useKnownPayer(e, needsPayer);
  const payer = knownPayer ?? chosenPayer;
  const headingId = `exception-${e.id}`;

  const resolve = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const suggestion = e.suggestions[Number(choice)];
    let body: object = { action: choice };
    if (suggestion)
      body = { allocations: suggestion.allocations.map(({ invoiceId, amount }) => ({ invoiceId, amount })) };
    if (needsPayer && !payer) {
      setError(new ApiFailure(400, 'CUSTOMER_REQUIRED', t('errors.CUSTOMER_REQUIRED'), 'customerId'));
      return;
    }
    if (choice === 'on_account') body = { action: choice, customerId: payer };
    if (choice === 'split') {
      const allocations = [...form.entries()]
        .filter(
          (entry): entry is [string, string] =>
            entry[0].startsWith(SPLIT) && typeof entry[1] === 'string' && entry[1].trim() !== '',
        )
        .map(([name, text]) => ({ invoiceId: name.slice(SPLIT.length), amount: parseAmount(text, e.currency) }));
      if (allocations.length === 0 || allocations.some((a) => a.amount === undefined || a.amount <= 0)) {
        setError(new ApiFailure(400, 'AMOUNT_INVALID', t('errors.AMOUNT_INVALID'), 'amount'));
        return;
      }
      body = { allocations };
    }
    setBusy(true);
    setError(undefined);
    api('POST', `/v1/cash-application/exceptions/${e.id}/resolve`, { ...body, reason: field(form, 'reason') })
      .then(() => {
        setDone(t('cash.resolved'));
        onResolved();
      })
      .catch((err: unknown) => {
        setError(asFailure(err));
        setBusy(false);
      });
  };

  return (
    <article aria-labelledby={headingId}>
      <header>
        <h3 id={headingId}>
          <Money amount={e.amount} currency={e.currency} /> · {e.payer.name ?? t('cash.unknownPayer')}
        </h3>
        <small>
          {t('cash.valueDate', { day: formatDay(e.valueDate, locale) })} · {e.payer.iban ?? '–'} ·{' '}
          {t('cash.received', { time: formatTime(e.receivedAt, locale) })}
        </small>
      </header>
      <p>
        {t('cash.remittance')}: {e.reference ?? e.remittance ?? '–'}
        <br />
        <small>{e.reasons.map((r) => t(`cash.reasons.${r}`, { defaultValue: r })).join(' · ')}</small>
      </p>
      {done && <p role="status">{done}</p>}
      <form
        onSubmit={resolve}
        onChange={({ target }: { target: EventTarget }) => {
          // The option chosen decides whether the payer and the split's amounts are asked for.
          if (target instanceof HTMLInputElement && target.name === 'choice') setChoice(target.value);
        }}
      >
        <fieldset className="choices">
          <legend>{t('cash.choose')}</legend>
          {e.suggestions.map((s, index) => (
            <label key={index}>
              <input type="radio" name="choice" value={index} required defaultChecked={index === 0} />
              {s.allocations.map((a, i) => (
                <span key={a.invoiceId}>
                  {i > 0 && ' + '}
                  <Link to={`/invoices/${a.invoiceId}`}>{a.invoiceNumber ?? a.invoiceId}</Link>{' '}
                  <Money amount={a.amount} currency={e.currency} />
                </span>
              ))}{' '}
              <small>
                ({t('cash.confidence', { percent: formatNumber(s.confidence * 100, locale, 0) })}
                {s.reasons.length > 0 &&
                  `: ${s.reasons.map((r) => t(`cash.reasons.${r}`, { defaultValue: r })).join(', ')}`}
                )
              </small>
            </label>
          ))}
          <label>
            <input type="radio" name="choice" value="split" required />
            {t('cash.split')}
          </label>
          <label>
            <input type="radio" name="choice" value="on_account" required defaultChecked={e.suggestions.length === 0} />
            {t('cash.onAccount')}
          </label>
          <label>
            <input type="radio" name="choice" value="refund" required />
            {t('cash.refund')}
          </label>
        </fieldset>
        {needsPayer &&
          (knownPayer ? (
            <KnownPayer customerId={knownPayer} />
          ) : (
            <PayerSearch exception={e} chosen={chosenPayer} onChoose={setChosenPayer} />
          ))}
        {choice === 'split' && payer && <SplitAllocations exception={e} customerId={payer} />}
        <ReasonAndSubmit
          name="reason"
          label={t('holds.reason')}
          maxLength={1000}
          error={error}
          busy={busy}
          submit={t('cash.submit')}
        />
      </form>
    </article>
  );
}

/**
 * The payer as the engine knows it: learnt for the payment, or else the customer of the invoice suggested first
 * (looked up only once the person's choice needs a payer).
 */
function useKnownPayer(e: CashException, needed: boolean): string | undefined {
  const suggested = e.suggestions[0]?.allocations[0]?.invoiceId;
  const via = usePolled<{ customerId: string }>(
    needed && !e.customerId && suggested ? `/v1/invoices/${suggested}` : undefined,
    60_000,
  );
  return e.customerId ?? via.data?.customerId;
}

function KnownPayer({ customerId }: { customerId: string }) {
  const { t } = useLocale();
  const customer = usePolled<{ name: string }>(`/v1/customers/${customerId}`, 60_000);
  return (
    <p>
      {t('cash.payer')}: <Link to={`/customers/${customerId}`}>{customer.data?.name ?? customerId}</Link>
    </p>
  );
}

/** Who paid, when the bank line did not say in a way the engine knows: found by what the clerk types. */
function PayerSearch({
  exception: e,
  chosen,
  onChoose,
}: {
  exception: CashException;
  chosen: string | undefined;
  onChoose: (customerId: string) => void;
}) {
  const { t } = useLocale();
  const [text, setText] = useState(e.payer.name ?? '');
  const found = useCustomerSearch(text, 10);
  return (
    <fieldset className="choices">
      <legend>{t('cash.whoPaid')}</legend>
      <label>
        {t('cash.findCustomer')}
        <input
          type="search"
          value={text}
          onChange={(event) => setText(event.target.value)}
          // Enter looks, it does not apply the payment.
          onKeyDown={(event) => event.key === 'Enter' && event.preventDefault()}
        />
      </label>
      <Failure error={found.error} />
      {found.matches?.length === 0 && <p>{t('customers.noneFound')}</p>}
      {found.matches?.map((c) => (
        <label key={c.id}>
          <input type="radio" name="payer" value={c.id} checked={chosen === c.id} onChange={() => onChoose(c.id)} />
          {/* A span between: Pico styles an input's next small as its hint, pulled up over it. */}
          <span>{c.name}</span>{' '}
          <small>
            {c.country} · {c.vatId ?? c.email}
          </small>
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The payer's open invoices in the payment's currency, an amount to type against each: the payment split as the
 * person decides, what is left of it staying on the customer's account.
 */
function SplitAllocations({ exception: e, customerId }: { exception: CashException; customerId: string }) {
  const { t, locale } = useLocale();
  const [typed, setTyped] = useState<Record<string, string>>({});
  const open = usePolled<{ invoices: OpenInvoice[] }>(
    `/v1/invoices${query({ customerId, status: 'open', limit: 200 })}`,
    30_000,
  );
  // Oldest due first: the order a payer usually pays in.
  const invoices = (open.data?.invoices ?? [])
    .filter((i) => i.type === 'invoice' && i.currency === e.currency)
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number));
  const allocated = Object.values(typed).reduce((sum, text) => sum + (parseAmount(text, e.currency) ?? 0), 0);
  return (
    <table>
      <caption>
        {t('cash.splitOver')}{' '}
        <small>
          {t('cash.splitLeft')} <Money amount={e.amount - allocated} currency={e.currency} />
        </small>
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('common.invoice')}</th>
          <th scope="col">{t('common.dueDate')}</th>
          <th scope="col" className="amount">
            {t('common.outstanding')}
          </th>
          <th scope="col">{t('cash.splitAmount')}</th>
        </tr>
      </thead>
      <tbody>
        {invoices.map((i) => (
          <tr key={i.id}>
            <td>
              <Link to={`/invoices/${i.id}`}>{i.number}</Link>
            </td>
            <td>{formatDay(i.dueDate, locale)}</td>
            <td className="amount">
              <Money amount={i.balance} currency={i.currency} />
            </td>
            <td>
              <input
                name={`${SPLIT}${i.id}`}
                inputMode="decimal"
                aria-label={t('cash.splitAmountOf', { invoice: i.number })}
                onChange={(event) => setTyped((was) => ({ ...was, [i.id]: event.target.value }))}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
