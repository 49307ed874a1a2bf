import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import type { ApiFailure } from '../api';
import { api, upload } from '../api';
import { Failure, Money, ReasonAndSubmit } from '../components';
import { formatDay, formatNumber, formatTime } from '../format';
import { field } from '../forms';
import { asFailure, usePolled } from '../hooks';
import { useLocale } from '../i18n';

interface Statement {
  id: string;
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
  reasons: string[];
  suggestions: Suggestion[];
}

// The statements this browser tab uploaded, so a reload keeps following them.
const UPLOADED = 'o2c-uploaded-statements';
const uploadedIds = (): string[] => JSON.parse(sessionStorage.getItem(UPLOADED) ?? '[]') as string[];

export function CashApplication() {
  const { t } = useLocale();
  const [statements, setStatements] = useState<string[]>(uploadedIds);
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
      .then(({ id }) => {
        const ids = [id, ...uploadedIds().filter((known) => known !== id)].slice(0, 20);
        sessionStorage.setItem(UPLOADED, JSON.stringify(ids));
        setStatements(ids);
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
      {statements.length > 0 && (
        <section aria-labelledby="statements">
          <h2 id="statements">{t('cash.statements')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('cash.statement')}</th>
                <th scope="col">{t('cash.account')}</th>
                <th scope="col">{t('cash.status')}</th>
                <th scope="col">{t('cash.progress')}</th>
              </tr>
            </thead>
            <tbody>
              {statements.map((id) => (
                <StatementRow key={id} id={id} />
              ))}
            </tbody>
          </table>
        </section>
      )}
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

function StatementRow({ id }: { id: string }) {
  const { t } = useLocale();
  const loaded = usePolled<Statement>(`/v1/bank-statements/${id}?entries=false`, 2000);
  const s = loaded.data;
  if (!s)
    return (
      <tr>
        <td colSpan={4}>
          <Failure error={loaded.error} />
        </td>
      </tr>
    );
  return (
    <tr>
      <td>
        {s.statementId} <small>({s.format})</small>
      </td>
      <td>{s.account}</td>
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
  const headingId = `exception-${e.id}`;

  const resolve = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const choice = field(form, 'choice');
    const suggestion = e.suggestions[Number(choice)];
    const body = suggestion
      ? { allocations: suggestion.allocations.map(({ invoiceId, amount }) => ({ invoiceId, amount })) }
      : { action: choice };
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
      <form onSubmit={resolve}>
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
            <input type="radio" name="choice" value="on_account" required defaultChecked={e.suggestions.length === 0} />
            {t('cash.onAccount')}
          </label>
          <label>
            <input type="radio" name="choice" value="refund" required />
            {t('cash.refund')}
          </label>
        </fieldset>
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
