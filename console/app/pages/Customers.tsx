import { Link, useSearchParams } from 'react-router-dom';
import { Failure } from '../components';
import { useCustomerSearch } from '../customer-search';
import { useLocale } from '../i18n';

/** Finding an account by what a person knows of it; the text stays in the address, so back returns to the list. */
export function Customers() {
  const { t } = useLocale();
  const [params, setParams] = useSearchParams();
  const text = params.get('q') ?? '';
  const found = useCustomerSearch(text, 50);
  return (
    <>
      <hgroup>
        <h1>{t('customers.title')}</h1>
        <p>{t('customers.intro')}</p>
      </hgroup>
      <form role="search" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('customers.find')}
          <input
            type="search"
            value={text}
            autoFocus
            onChange={(event) => setParams(event.target.value ? { q: event.target.value } : {}, { replace: true })}
          />
        </label>
      </form>
      <Failure error={found.error} />
      {found.matches?.length === 0 && <p>{t('customers.noneFound')}</p>}
      {found.matches && found.matches.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('customers.name')}</th>
              <th scope="col">{t('customers.country')}</th>
              <th scope="col">{t('customers.vatId')}</th>
              <th scope="col">{t('customers.email')}</th>
              <th scope="col">{t('customers.currency')}</th>
            </tr>
          </thead>
          <tbody>
            {found.matches.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/customers/${c.id}`}>{c.name}</Link>
                </td>
                <td>{c.country}</td>
                <td>{c.vatId ?? '–'}</td>
                <td>{c.email}</td>
                <td>{c.currency}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
