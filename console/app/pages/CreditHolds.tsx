import { Link } from 'react-router-dom';
import { useState, type FormEvent } from 'react';
import { api, type ApiFailure } from '../api';
import { orderWorkflowId } from '../../../temporal/workflow-ids.js';
import { Failure, Money, ReasonAndSubmit, WorkflowLink } from '../components';
import { formatTime } from '../format';
import { asFailure, usePolled } from '../hooks';
import { useLocale } from '../i18n';
import { CREDIT_DECISIONS } from '../../../domain/order-status.js';
import { field } from '../forms';

interface CreditHold {
  orderId: string;
  customerId: string;
  customerName: string;
  total: number;
  currency: string;
  heldSince: string;
  reasons: string[];
  score: number;
  exposure: number;
  creditLimit: number;
}

export function CreditHolds() {
  const { t } = useLocale();
  const holds = usePolled<{ holds: CreditHold[] }>('/v1/credit/holds?limit=200');
  const [done, setDone] = useState<string>();

  return (
    <>
      <hgroup>
        <h1>{t('holds.title')}</h1>
        <p>{t('holds.intro')}</p>
      </hgroup>
      <p role="status" className="done">
        {done}
      </p>
      <Failure error={holds.error} />
      {holds.data?.holds.length === 0 && <p>{t('holds.none')}</p>}
      {holds.data?.holds.map((hold) => (
        <HoldCard
          key={hold.orderId}
          hold={hold}
          onDecided={(message) => {
            setDone(message);
            holds.reload();
          }}
        />
      ))}
    </>
  );
}

function HoldCard({ hold, onDecided }: { hold: CreditHold; onDecided: (message: string) => void }) {
  const { t, locale } = useLocale();
  const [error, setError] = useState<ApiFailure>();
  const [busy, setBusy] = useState(false);
  const headingId = `hold-${hold.orderId}`;

  const decide = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const decision = field(form, 'decision');
    setBusy(true);
    setError(undefined);
    api<{ status: string }>('POST', `/v1/orders/${hold.orderId}/credit-decision`, {
      decision,
      reason: field(form, 'reason'),
    })
      .then((result) =>
        onDecided(
          t('holds.decided', {
            customer: hold.customerName,
            decision: t(`decisions.${decision}`),
            status: t(`orderStatus.${result.status}`, { defaultValue: result.status }),
          }),
        ),
      )
      .catch((err: unknown) => {
        setError(asFailure(err));
        setBusy(false);
      });
  };

  return (
    <article className="hold" aria-labelledby={headingId}>
      <header>
        <h2 id={headingId}>
          <Link to={`/customers/${hold.customerId}`}>{hold.customerName}</Link> ·{' '}
          <Money amount={hold.total} currency={hold.currency} />
        </h2>
        <small>
          {t('holds.heldSince', { time: formatTime(hold.heldSince, locale) })} ·{' '}
          <Link to={`/orders/${hold.orderId}`}>{t('holds.order')}</Link> ·{' '}
          <WorkflowLink workflowId={orderWorkflowId(hold.orderId)} />
        </small>
      </header>
      <dl className="facts">
        <div>
          <dt>{t('holds.score')}</dt>
          <dd>{hold.score} / 100</dd>
        </div>
        <div>
          <dt>{t('holds.exposure')}</dt>
          <dd>
            <Money amount={hold.exposure} currency={hold.currency} />
          </dd>
        </div>
        <div>
          <dt>{t('holds.creditLimit')}</dt>
          <dd>
            <Money amount={hold.creditLimit} currency={hold.currency} />
          </dd>
        </div>
        <div>
          <dt>{t('holds.reasons')}</dt>
          <dd>
            <ul className="reasons">
              {hold.reasons.map((r) => (
                <li key={r}>{t(`creditReasons.${r}`, { defaultValue: r })}</li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      <form onSubmit={decide}>
        <fieldset>
          <legend>{t('holds.decision')}</legend>
          {CREDIT_DECISIONS.map((d) => (
            <label key={d}>
              <input type="radio" name="decision" value={d} required defaultChecked={d === 'approve'} />
              {t(`decisions.${d}`)}
            </label>
          ))}
        </fieldset>
        <ReasonAndSubmit
          name="reason"
          label={t('holds.reason')}
          maxLength={1000}
          error={error}
          busy={busy}
          submit={t('holds.submit')}
        />
      </form>
    </article>
  );
}
