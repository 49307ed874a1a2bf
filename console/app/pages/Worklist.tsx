import { Link } from 'react-router-dom';
import { useState, type FormEvent } from 'react';
import { api, ApiFailure } from '../api';
import { Failure, Money, ReasonAndSubmit } from '../components';
import { formatDay, formatTime, parseAmount } from '../format';
import { asFailure, usePolled } from '../hooks';
import { useLocale } from '../i18n';
import { CALL_OUTCOMES } from '../../../domain/collections.js';
import { field } from '../forms';

interface TaskItem {
  invoiceId: string;
  invoiceNumber: string;
  dueDate: string;
  amountOutstanding: number;
  currency: string;
}
interface CallTask {
  id: string;
  levelName: string;
  runAt: string;
  priority: number;
  items: TaskItem[];
  account: {
    customerId: string;
    name: string;
    email: string;
    riskClass: string;
    oldestDaysOverdue: number;
    lettersSent: { runAt: string; levelName: string; items: number }[];
    openPromises: unknown[];
    openDisputes: unknown[];
  };
}

export function Worklist() {
  const { t } = useLocale();
  const worklist = usePolled<{ tasks: CallTask[] }>('/v1/collections/worklist');
  const [done, setDone] = useState<string>();
  return (
    <>
      <hgroup>
        <h1>{t('worklist.title')}</h1>
        <p>{t('worklist.intro')}</p>
      </hgroup>
      <p role="status" className="done">
        {done}
      </p>
      <Failure error={worklist.error} />
      {worklist.data?.tasks.length === 0 && <p>{t('worklist.none')}</p>}
      {worklist.data?.tasks.map((task) => (
        <TaskCard
          key={task.id}
          task={task}
          onDone={(message) => {
            setDone(message);
            worklist.reload();
          }}
        />
      ))}
    </>
  );
}

function TaskCard({ task, onDone }: { task: CallTask; onDone: (message: string) => void }) {
  const { t, locale } = useLocale();
  const [outcome, setOutcome] = useState<string>('reached');
  const [error, setError] = useState<ApiFailure>();
  const [busy, setBusy] = useState(false);
  const headingId = `task-${task.id}`;

  const complete = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    let promise: { invoiceId: string; date: string; amount: number } | undefined;
    if (outcome === 'promised') {
      const item = task.items.find((i) => i.invoiceId === field(form, 'invoiceId'))!;
      const amount = parseAmount(field(form, 'amount'), item.currency);
      if (amount === undefined || amount <= 0) {
        setError(new ApiFailure(400, 'AMOUNT_INVALID', t('errors.AMOUNT_INVALID'), 'promise.amount'));
        return;
      }
      promise = { invoiceId: item.invoiceId, date: field(form, 'date'), amount };
    }
    setBusy(true);
    setError(undefined);
    api('POST', `/v1/collections/tasks/${task.id}/complete`, {
      outcome,
      note: field(form, 'note'),
      ...(promise ? { promise } : {}),
    })
      .then(() => onDone(t('worklist.done', { customer: task.account.name, outcome: t(`outcomes.${outcome}`) })))
      .catch((err: unknown) => {
        setError(asFailure(err));
        setBusy(false);
      });
  };

  return (
    <article className="task" aria-labelledby={headingId}>
      <header>
        <h2 id={headingId}>
          <Link to={`/customers/${task.account.customerId}`}>{task.account.name}</Link> ·{' '}
          {t(`levels.${task.levelName}`, { defaultValue: task.levelName })}
        </h2>
        <small>
          {t('worklist.priority', { priority: task.priority })} · {t(`riskClasses.${task.account.riskClass}`)} ·{' '}
          {t('worklist.oldest', { days: task.account.oldestDaysOverdue })} · {task.account.email}
        </small>
      </header>
      <table>
        <caption className="visually-hidden">{t('worklist.items', { customer: task.account.name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('common.invoice')}</th>
            <th scope="col">{t('common.dueDate')}</th>
            <th scope="col" className="amount">
              {t('common.outstanding')}
            </th>
          </tr>
        </thead>
        <tbody>
          {task.items.map((item) => (
            <tr key={item.invoiceId}>
              <td>
                <Link to={`/invoices/${item.invoiceId}`}>{item.invoiceNumber}</Link>
              </td>
              <td>{formatDay(item.dueDate.slice(0, 10), locale)}</td>
              <td className="amount">
                <Money amount={item.amountOutstanding} currency={item.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <small>
          {[
            t('worklist.letters', { count: task.account.lettersSent.length }),
            t('worklist.promises', { count: task.account.openPromises.length }),
            t('worklist.disputes', { count: task.account.openDisputes.length }),
          ].join(', ')}
          {task.account.lettersSent.at(-1) &&
            ` · ${t('worklist.lastLetter', { time: formatTime(task.account.lettersSent.at(-1)!.runAt, locale) })}`}
        </small>
      </p>
      <form onSubmit={complete}>
        <div className="grid">
          <label>
            {t('worklist.outcome')}
            <select name="outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
              {CALL_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`outcomes.${o}`)}
                </option>
              ))}
            </select>
          </label>
          {outcome === 'promised' && (
            <>
              <label>
                {t('common.invoice')}
                <select name="invoiceId">
                  {task.items.map((i) => (
                    <option key={i.invoiceId} value={i.invoiceId}>
                      {i.invoiceNumber}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('worklist.promisedDate')}
                <input name="date" type="date" required />
              </label>
              <label>
                {t('worklist.promisedAmount')}
                <input name="amount" inputMode="decimal" required />
              </label>
            </>
          )}
        </div>
        <ReasonAndSubmit
          name="note"
          label={t('common.note')}
          maxLength={2000}
          error={error}
          busy={busy}
          submit={t('worklist.submit')}
        />
      </form>
    </article>
  );
}
