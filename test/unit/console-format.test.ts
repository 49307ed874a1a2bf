import { describe, expect, it } from 'vitest';
import en from '../../console/app/locales/en.json' with { type: 'json' };
import nl from '../../console/app/locales/nl.json' with { type: 'json' };
import { amountForInput, formatMoney, parseAmount } from '../../console/app/format.js';

describe('console amounts', () => {
  it('formats minor units exactly, in the locale, with the currency of the amount', () => {
    expect(formatMoney(123_456, 'EUR', 'en-GB')).toBe('€1,234.56');
    expect(formatMoney(123_456, 'EUR', 'nl-NL')).toBe('€\u00a01.234,56');
    expect(formatMoney(-5, 'EUR', 'en-GB')).toBe('-€0.05');
    // Beyond a double's exact cents: formatted from the decimal string, not from amount / 100.
    expect(formatMoney(9_007_199_254_740_991, 'NOK', 'en-GB')).toBe('NOK\u00a090,071,992,547,409.91');
  });

  it('reads what a person types into minor units, and refuses what is not an amount', () => {
    expect(parseAmount('1234.56', 'EUR')).toBe(123_456);
    expect(parseAmount('1.234,56', 'EUR')).toBe(123_456);
    expect(parseAmount('1,234.56', 'EUR')).toBe(123_456);
    expect(parseAmount('1 234,5', 'EUR')).toBe(123_450);
    expect(parseAmount('12', 'EUR')).toBe(1_200);
    expect(parseAmount('0,05', 'EUR')).toBe(5);
    for (const bad of ['', 'abc', '1,2,3', '12.345,678', '1.234.56', '1,234,56', '1234.567', '-5', '1e3']) {
      expect(parseAmount(bad, 'EUR'), bad).toBeUndefined();
    }
  });

  it('puts an amount in an input as the locale writes it, ungrouped, and reads it back unchanged', () => {
    expect(amountForInput(123_456, 'EUR', 'nl-NL')).toBe('1234,56');
    expect(amountForInput(123_456, 'EUR', 'en-GB')).toBe('1234.56');
    expect(amountForInput(5, 'EUR', 'en-GB')).toBe('0.05');
    for (const [minor, currency, locale] of [
      [123_456, 'EUR', 'nl-NL'],
      [100_000, 'NOK', 'nb-NO'],
      [7, 'EUR', 'de-DE'],
      [1_234_000, 'EUR', 'en-GB'],
    ] as const)
      expect(parseAmount(amountForInput(minor, currency, locale), currency)).toBe(minor);
  });
});

describe('console catalogues', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
    );

  it('has every English string in Dutch too, and none Dutch only', () => {
    expect(keys(nl).sort()).toEqual(keys(en).sort());
  });
});
