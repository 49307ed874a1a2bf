import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { asFailure } from '../hooks';
import { LanguageSelect } from '../components';
import { useLocale } from '../i18n';
import type { Person } from '../session';
import { field } from '../forms';

interface SignedIn {
  user: { email: string; role: Person['role'] };
  csrfToken: string;
}

export function SignIn({ onSignedIn }: { onSignedIn: (person: Person, csrfToken: string) => void }) {
  const { t } = useLocale();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    api<SignedIn>('POST', '/v1/session', { email: field(form, 'email'), password: field(form, 'password') })
      .then(({ user, csrfToken }) => onSignedIn({ name: user.email, role: user.role }, csrfToken))
      .catch((err: unknown) => {
        const failure = asFailure(err);
        setError(t(`signIn.errors.${failure.code}`, { defaultValue: failure.message }));
        setBusy(false);
      });
  };

  return (
    <main className="container sign-in">
      <article>
        <header>
          <h1>{t('app.title')}</h1>
          <p>{t('signIn.intro')}</p>
        </header>
        <form onSubmit={submit}>
          <label>
            {t('signIn.email')}
            <input name="email" type="email" autoComplete="username" required autoFocus />
          </label>
          <label>
            {t('signIn.password')}
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <button type="submit" aria-busy={busy} disabled={busy}>
            {t('signIn.submit')}
          </button>
        </form>
        <footer>
          <LanguageSelect />
        </footer>
      </article>
    </main>
  );
}
