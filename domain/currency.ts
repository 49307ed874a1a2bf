/** Currencies the engine accepts on orders and invoices (ISO 4217 alphabetic codes). */
export const SUPPORTED_CURRENCIES = ['EUR', 'NOK', 'SEK', 'DKK', 'GBP', 'USD', 'CHF', 'PLN'] as const;
export type CurrencyCode = (typeof SUPPORTED_CURRENCIES)[number];

// Explicit per-currency table (ISO 4217 "minor unit" column) so that adding e.g. JPY (0) or KWD (3)
// forces a deliberate choice instead of silently inheriting 2.
const MINOR_UNIT_DIGITS: Readonly<Record<CurrencyCode, number>> = {
  EUR: 2,
  NOK: 2,
  SEK: 2,
  DKK: 2,
  GBP: 2,
  USD: 2,
  CHF: 2,
  PLN: 2,
};

export function isSupportedCurrency(c: string): c is CurrencyCode {
  return (SUPPORTED_CURRENCIES as readonly string[]).includes(c);
}

/** Number of decimal places the minor unit represents (2 for EUR: 1 EUR = 100 cents). */
export function minorUnitDigits(c: CurrencyCode): number {
  return MINOR_UNIT_DIGITS[c];
}
