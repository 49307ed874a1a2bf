import { describe, expect, it } from 'vitest';
import { isSupportedCurrency, minorUnitDigits, SUPPORTED_CURRENCIES } from '../../domain/currency.js';

describe('currency', () => {
  it('accepts exactly the supported ISO 4217 codes', () => {
    for (const c of SUPPORTED_CURRENCIES) expect(isSupportedCurrency(c)).toBe(true);
    for (const c of ['eur', 'JPY', 'EURO', '', 'XXX']) expect(isSupportedCurrency(c)).toBe(false);
  });

  it('uses two minor-unit digits for every supported currency', () => {
    for (const c of SUPPORTED_CURRENCIES) expect(minorUnitDigits(c)).toBe(2);
  });
});
