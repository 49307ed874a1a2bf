import { useEffect, useState } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { api, setCsrfToken, whenSignedOut } from './api';
import { Layout } from './Layout';
import { CashApplication } from './pages/CashApplication';
import { CreditHolds } from './pages/CreditHolds';
import { CustomerPage } from './pages/Customer';
import { Customers } from './pages/Customers';
import { Dashboard } from './pages/Dashboard';
import { Disputes } from './pages/Disputes';
import { InvoicePage, OrderPage } from './pages/Order';
import { SignIn } from './pages/SignIn';
import { Worklist } from './pages/Worklist';
import { COLLECTION_ROLES, CREDIT_ROLES, may, FINANCE_ROLES, SessionContext, type Person } from './session';

/** The page a person lands on: the first their role may see. */
function home(person: Person): string {
  if (may(person, FINANCE_ROLES)) return '/dashboard';
  if (may(person, CREDIT_ROLES)) return '/credit-holds';
  return '/worklist';
}

export function App() {
  // undefined while asking the API whether a session exists; null when none does.
  const [person, setPerson] = useState<Person | null | undefined>(undefined);
  useEffect(() => {
    whenSignedOut(() => setPerson(null));
    api<{ principal: Person; csrfToken?: string }>('GET', '/v1/session').then(
      ({ principal, csrfToken }) => {
        setCsrfToken(csrfToken);
        setPerson({ name: principal.name, role: principal.role });
      },
      () => setPerson(null),
    );
  }, []);

  if (person === undefined) return <main className="container" aria-busy="true" />;
  if (person === null) {
    return (
      <SignIn
        onSignedIn={(signedIn, csrfToken) => {
          setCsrfToken(csrfToken);
          setPerson(signedIn);
        }}
      />
    );
  }
  const signOut = () => {
    void api('DELETE', '/v1/session').finally(() => {
      setCsrfToken(undefined);
      setPerson(null);
    });
  };
  return (
    <SessionContext.Provider value={person}>
      <Layout onSignOut={signOut}>
        <Routes>
          {may(person, FINANCE_ROLES) && <Route path="/dashboard" element={<Dashboard />} />}
          {may(person, CREDIT_ROLES) && <Route path="/credit-holds" element={<CreditHolds />} />}
          {may(person, FINANCE_ROLES) && <Route path="/cash-application" element={<CashApplication />} />}
          {may(person, COLLECTION_ROLES) && <Route path="/worklist" element={<Worklist />} />}
          {may(person, COLLECTION_ROLES) && <Route path="/disputes" element={<Disputes />} />}
          <Route path="/customers" element={<Customers />} />
          <Route path="/customers/:id" element={<CustomerPage />} />
          <Route path="/orders/:id" element={<OrderPage />} />
          <Route path="/invoices/:id" element={<InvoicePage />} />
          <Route path="*" element={<Navigate to={home(person)} replace />} />
        </Routes>
      </Layout>
    </SessionContext.Provider>
  );
}
