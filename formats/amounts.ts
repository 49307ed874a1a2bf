/**
 * Decimal amounts as bank files write them ("1234,56", "-12.5", "100,") turned into integer minor units by string
 * arithmetic only: a float never holds a bank amount.
 */

// ISO 4217 minor-unit digits of the currencies bank files may carry. Explicit so an unlisted currency is refused
// rather than silently read with 2 decimals.
const MINOR_UNIT_DIGITS: Readonly<Record<string, number>> = {
  EUR: 2,
  NOK: 2,
  SEK: 2,
  DKK: 2,
  GBP: 2,
  CHF: 2,
  USD: 2,
  PLN: 2,
  CZK: 2,
  JPY: 0,
  ISK: 0,
};

/** Minor-unit digits of `currency` (2 for EUR: 1 EUR = 100 cents); RangeError for a currency not in the table. */
export function currencyMinorUnitDigits(currency: string): number {
  const digits = Object.hasOwn(MINOR_UNIT_DIGITS, currency) ? MINOR_UNIT_DIGITS[currency] : undefined;
  if (digits === undefined) {
    throw new RangeError(`currency "${currency}" is not one of ${Object.keys(MINOR_UNIT_DIGITS).join(', ')}`);
  }
  return digits;
}

/**
 * "1234,56" EUR → 123456. An optional leading sign is kept (CSV exports sign their amounts); at least one integer
 * digit is required and the decimal part may be empty ("100," is valid MT940). Thousands separators and more
 * decimals than the currency has are refused: either would mean guessing what the bank meant.
 */
export function toMinorUnits(decimal: string, currency: string, decimalSeparator: '.' | ','): number {
  const digits = currencyMinorUnitDigits(currency);
  const sep = decimalSeparator === '.' ? '\\.' : ',';
  const m = new RegExp(`^([+-]?)(\\d+)(?:${sep}(\\d*))?$`).exec(decimal);
  if (m === null) {
    throw new RangeError(
      `amount "${decimal}" is not a decimal number with "${decimalSeparator}" as decimal separator (no thousands separators)`,
    );
  }
  const [, sign = '', whole = '', fraction = ''] = m;
  if (fraction.length > digits) {
    throw new RangeError(`amount "${decimal}" has ${fraction.length} decimals but ${currency} has ${digits}`);
  }
  const minor = Number(whole + fraction.padEnd(digits, '0'));
  // A digit string above 2^53 - 1 rounds to 2^53 or more, so this also rejects every amount Number cannot hold.
  if (!Number.isSafeInteger(minor)) {
    throw new RangeError(`amount "${decimal}" is too large to hold exactly in minor units`);
  }
  return sign === '-' && minor !== 0 ? -minor : minor;
}
