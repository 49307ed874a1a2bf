import { isSupportedCurrency, minorUnitDigits } from '../../domain/currency.js';

/** Digits of a currency's minor unit (the engine's table; 2 for one it does not know). */
const digitsOf = (currency: string) => (isSupportedCurrency(currency) ? minorUnitDigits(currency) : 2);

/** Integer minor units as the exact decimal string Intl formats without passing through a float. */
function decimalString(minor: number, digits: number): string {
  const abs = Math.abs(minor)
    .toString()
    .padStart(digits + 1, '0');
  const decimal = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return minor < 0 ? `-${decimal}` : decimal;
}

export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = digitsOf(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(decimalString(minor, digits) as Intl.StringNumericLiteral);
}

/** An amount to put in an input for a person to edit: no grouping, the locale's decimal mark; parseAmount reads it back. */
export function amountForInput(minor: number, currency: string, locale: string): string {
  const mark = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  return decimalString(minor, digitsOf(currency)).replace('.', mark);
}

/** Major units for a chart's axis: plotted, never added up or stored. */
export const chartAmount = (minor: number, currency: string) => minor / 10 ** digitsOf(currency);

export function formatNumber(value: number | null, locale: string, fractionDigits = 1): string {
  if (value === null) return '–';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits }).format(value);
}

/** A calendar day (YYYY-MM-DD) as the day it names, wherever the browser is. */
export function formatDay(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

export function formatTime(instant: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(instant));
}

/**
 * What a person typed as an amount ("1234.56", "1.234,56", "1 234,5") in integer minor units; undefined when it
 * is not one. Groups of three after a separator are thousands; a last separator before at most the currency's
 * digits is the decimal one.
 */
export function parseAmount(text: string, currency: string): number | undefined {
  const digits = digitsOf(currency);
  const match = /^(\d{1,3}(?:([.,])\d{3}(?:\2\d{3})*)?|\d+)(?:([.,])(\d+))?$/.exec(
    text.replace(/[\s\u00a0\u202f']/g, ''),
  );
  if (!match) return undefined;
  const [, whole, grouping, decimalMark, fraction = ''] = match;
  if (fraction.length > digits || (grouping !== undefined && decimalMark === grouping)) return undefined;
  const minor = Number(whole!.replace(/[.,]/g, '')) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : undefined;
}
