import type { ApiFailure } from './api';
import { formatMoney } from './format';
import { LANGUAGES, useLocale, type Language } from './i18n';

export function LanguageSelect() {
  const { t, language, setLanguage } = useLocale();
  return (
    <select aria-label={t('nav.language')} value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
      {Object.entries(LANGUAGES).map(([code, name]) => (
        <option key={code} value={code} lang={code}>
          {name}
        </option>
      ))}
    </select>
  );
}

export function Money({ amount, currency }: { amount: number; currency: string }) {
  const { locale } = useLocale();
  return <span className="money">{formatMoney(amount, currency, locale)}</span>;
}

/** An API refusal in the person's language when the catalogue knows its code, else the API's own message. */
export function Failure({ error }: { error: ApiFailure | undefined }) {
  const { t } = useLocale();
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {t(`errors.${error.code}`, { defaultValue: error.message })}
    </p>
  );
}

/** The end of every decision form: why (kept in the audit log), what the API refused, and the button. */
export function ReasonAndSubmit(props: {
  name: 'note' | 'reason';
  label: string;
  maxLength: number;
  error: ApiFailure | undefined;
  busy: boolean;
  submit: string;
}) {
  return (
    <>
      <label>
        {props.label}
        <textarea name={props.name} required maxLength={props.maxLength} rows={2} />
      </label>
      <Failure error={props.error} />
      <button type="submit" aria-busy={props.busy} disabled={props.busy}>
        {props.submit}
      </button>
    </>
  );
}

const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="o2c-${name}"]`)?.content;

/** A workflow in the Temporal UI, when the engine was told where that is. */
export function WorkflowLink({ workflowId }: { workflowId: string }) {
  const { t } = useLocale();
  const ui = meta('temporal-ui');
  if (!ui) return null;
  const namespace = meta('temporal-namespace') ?? 'default';
  const href = `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return (
    <a href={href} target="_blank" rel="noreferrer">
      {t('common.workflow')}
    </a>
  );
}
