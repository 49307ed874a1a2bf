import { createContext, useContext } from 'react';

/** The person signed in, as the API names them in audit entries, and their role. */
export interface Person {
  name: string;
  role: 'integration' | 'finance' | 'collector' | 'credit_controller' | 'admin';
}

export const SessionContext = createContext<Person | undefined>(undefined);

export function usePerson(): Person {
  const person = useContext(SessionContext);
  if (!person) throw new Error('usePerson outside a session');
  return person;
}

/** Whether the person's role is among `roles` (an admin may do everything, as in the API). */
export const may = (person: Person, roles: readonly Person['role'][]) =>
  person.role === 'admin' || roles.includes(person.role);

/** The roles of the API's route groups (api/auth.ts), for what the console shows; finance alone: reports, cash. */
export const FINANCE_ROLES = ['finance'] as const;
export const CREDIT_ROLES = ['finance', 'credit_controller'] as const;
export const COLLECTION_ROLES = ['finance', 'collector'] as const;
/** Everyone who signs in to the console: customer pages are for all of them. */
export const CONSOLE_ROLES = ['finance', 'collector', 'credit_controller'] as const;
