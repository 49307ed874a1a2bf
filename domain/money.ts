import { type CurrencyCode, isSupportedCurrency, minorUnitDigits, SUPPORTED_CURRENCIES } from './currency.js';

/** An amount in integer minor units (cents, øre) of an ISO 4217 currency. Never a float. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** Throws unless `n` is a safe integer; `what` names the value in the message. */
export function assertSafeInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`${what} must be a safe integer (minor units, |n| <= ${Number.MAX_SAFE_INTEGER}), got ${n}`);
  }
}

// -0 is a safe integer but would leak into equality checks (Object.is) and formatting.
const normalize = (n: number): number => (n === 0 ? 0 : n);

function assertMoney(m: Money, what: string): asserts m is Money & { readonly currency: CurrencyCode } {
  assertSafeInteger(m.amount, `${what}.amount`);
  if (!isSupportedCurrency(m.currency)) {
    throw new RangeError(
      `${what}.currency "${m.currency}" is not a supported currency (${SUPPORTED_CURRENCIES.join(', ')})`,
    );
  }
}

export function money(amount: number, currency: string): Money {
  const m = { amount: normalize(amount), currency };
  assertMoney(m, 'money');
  return m;
}

export function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new Error(`currency mismatch: ${a.currency} and ${b.currency} cannot be combined without conversion`);
  }
}

function checked(amount: number, currency: string, op: string): Money {
  assertSafeInteger(amount, `result of ${op}`);
  return { amount: normalize(amount), currency };
}

export function addMoney(a: Money, b: Money): Money {
  assertMoney(a, 'a');
  assertMoney(b, 'b');
  assertSameCurrency(a, b);
  return checked(a.amount + b.amount, a.currency, 'addMoney');
}

export function subtractMoney(a: Money, b: Money): Money {
  assertMoney(a, 'a');
  assertMoney(b, 'b');
  assertSameCurrency(a, b);
  return checked(a.amount - b.amount, a.currency, 'subtractMoney');
}

export function multiplyMoney(m: Money, quantity: number): Money {
  assertMoney(m, 'm');
  // Only integer factors keep the result in whole minor units; rates/percentages need a rounding rule.
  assertSafeInteger(quantity, 'quantity');
  return checked(m.amount * quantity, m.currency, 'multiplyMoney');
}

/** Sums items that must all be in `currency`; the empty sum is zero in that currency. */
export function sumMoney(items: readonly Money[], currency: string): Money {
  return items.reduce((acc, item) => addMoney(acc, item), money(0, currency));
}

/** Sums items of any currencies, one total per currency (a statement's charges, a customer's unapplied cash). */
export function totalsByCurrency(items: readonly Money[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const item of items)
    totals[item.currency] = addMoney(money(totals[item.currency] ?? 0, item.currency), item).amount;
  return totals;
}

export function isZero(m: Money): boolean {
  return m.amount === 0;
}

interface Separators {
  readonly group: string;
  readonly decimal: string;
}

// Fixed table instead of Intl: Intl output depends on the ICU data of the running Node build, and letters
// rendered in a workflow must be byte-identical on replay. Looked up by full tag, then language subtag.
// Space-grouping locales use a no-break space so an amount never wraps across lines in a letter.
const NBSP = '\u00A0';
const SEPARATORS: Readonly<Record<string, Separators>> = {
  en: { group: ',', decimal: '.' },
  nl: { group: '.', decimal: ',' },
  de: { group: '.', decimal: ',' },
  'de-ch': { group: '\u2019', decimal: '.' },
  da: { group: '.', decimal: ',' },
  fr: { group: NBSP, decimal: ',' },
  nb: { group: NBSP, decimal: ',' },
  nn: { group: NBSP, decimal: ',' },
  no: { group: NBSP, decimal: ',' },
  sv: { group: NBSP, decimal: ',' },
  pl: { group: NBSP, decimal: ',' },
};
const DEFAULT_SEPARATORS: Separators = { group: ',', decimal: '.' };

function separatorsFor(locale: string): Separators {
  const tag = locale.toLowerCase().replace(/_/g, '-');
  return SEPARATORS[tag] ?? SEPARATORS[tag.split('-')[0] ?? ''] ?? DEFAULT_SEPARATORS;
}

/**
 * Formats for letters and statements: ISO code first, then the amount, e.g. "EUR 1,234.56" (en) or
 * "EUR 1.234,56" (nl/de). Unknown locales fall back to English separators rather than failing a letter.
 * Pure string arithmetic on the integer, so no float rounding can creep in.
 */
export function formatMoney(m: Money, locale = 'en'): string {
  assertMoney(m, 'm');
  const digits = minorUnitDigits(m.currency);
  const sep = separatorsFor(locale);
  const abs = String(Math.abs(m.amount)).padStart(digits + 1, '0');
  const major = abs.slice(0, abs.length - digits).replace(/\B(?=(\d{3})+$)/g, sep.group);
  const minor = abs.slice(abs.length - digits);
  const sign = m.amount < 0 ? '-' : '';
  return `${m.currency} ${sign}${major}${digits > 0 ? sep.decimal + minor : ''}`;
}
