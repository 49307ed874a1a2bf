import type { ReactNode } from 'react';
import { NavLink } from 'react-router-dom';
import { LanguageSelect } from './components';
import { useLocale } from './i18n';
import { COLLECTION_ROLES, CONSOLE_ROLES, CREDIT_ROLES, may, FINANCE_ROLES, usePerson } from './session';

export function Layout({ children, onSignOut }: { children: ReactNode; onSignOut: () => void }) {
  const { t } = useLocale();
  const person = usePerson();
  const pages = [
    { to: '/dashboard', label: t('nav.dashboard'), roles: FINANCE_ROLES },
    { to: '/credit-holds', label: t('nav.creditHolds'), roles: CREDIT_ROLES },
    { to: '/cash-application', label: t('nav.cashApplication'), roles: FINANCE_ROLES },
    { to: '/worklist', label: t('nav.worklist'), roles: COLLECTION_ROLES },
    { to: '/disputes', label: t('nav.disputes'), roles: COLLECTION_ROLES },
    { to: '/customers', label: t('nav.customers'), roles: CONSOLE_ROLES },
  ].filter((p) => may(person, p.roles));
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="container-fluid">
        <nav aria-label={t('nav.label')}>
          <ul>
            <li>
              <strong>{t('app.title')}</strong>
            </li>
          </ul>
          <ul>
            {pages.map((p) => (
              <li key={p.to}>
                <NavLink to={p.to}>{p.label}</NavLink>
              </li>
            ))}
          </ul>
          <ul>
            <li>
              <LanguageSelect />
            </li>
            <li>
              <span className="person">
                {person.name} <small>({t(`roles.${person.role}`)})</small>
              </span>
            </li>
            <li>
              <button type="button" className="secondary outline" onClick={onSignOut}>
                {t('nav.signOut')}
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" className="container-fluid" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
