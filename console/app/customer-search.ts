import { query, type ApiFailure } from './api';
import { usePolled } from './hooks';

export interface CustomerMatch {
  id: string;
  name: string;
  country: string;
  currency: string;
  email: string;
  vatId: string | null;
}

/** Customers found by what a person typed (GET /v1/customers?q=); nothing asked below two characters. */
export function useCustomerSearch(text: string, limit: number): { matches?: CustomerMatch[]; error?: ApiFailure } {
  const q = text.trim();
  const found = usePolled<{ customers: CustomerMatch[] }>(
    q.length >= 2 ? `/v1/customers${query({ q, limit })}` : undefined,
    60_000,
  );
  return q.length >= 2 ? { matches: found.data?.customers, error: found.error } : { matches: undefined };
}
