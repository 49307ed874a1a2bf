import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_CURRENCIES } from '../../domain/currency.js';
import {
  addMoney,
  assertSameCurrency,
  formatMoney,
  isZero,
  money,
  multiplyMoney,
  subtractMoney,
  sumMoney,
} from '../../domain/money.js';

const MAX = Number.MAX_SAFE_INTEGER;
const currency = fc.constantFrom(...SUPPORTED_CURRENCIES);
// Amounts small enough that sums of a few never overflow, so properties test arithmetic, not limits.
const amount = fc.integer({ min: -(2 ** 50), max: 2 ** 50 });

describe('money', () => {
  it('accepts safe integers in supported currencies only', () => {
    expect(money(123, 'EUR')).toEqual({ amount: 123, currency: 'EUR' });
    expect(() => money(1.5, 'EUR')).toThrow(RangeError);
    expect(() => money(NaN, 'EUR')).toThrow(/safe integer/);
    expect(() => money(MAX + 1, 'EUR')).toThrow(RangeError);
    expect(() => money(1, 'JPY')).toThrow(/not a supported currency/);
  });

  it('normalizes -0 to 0', () => {
    expect(Object.is(money(-0, 'EUR').amount, 0)).toBe(true);
    expect(Object.is(multiplyMoney(money(-5, 'EUR'), 0).amount, 0)).toBe(true);
  });

  it('refuses to combine currencies and names both', () => {
    expect(() => assertSameCurrency(money(1, 'EUR'), money(1, 'NOK'))).toThrow(/EUR and NOK/);
    expect(() => addMoney(money(1, 'EUR'), money(1, 'NOK'))).toThrow(/EUR and NOK/);
    expect(() => sumMoney([money(1, 'EUR')], 'SEK')).toThrow(/SEK and EUR/);
  });

  it('throws on overflow beyond the safe integer range', () => {
    expect(() => addMoney(money(MAX, 'EUR'), money(1, 'EUR'))).toThrow(/addMoney/);
    expect(() => subtractMoney(money(-MAX, 'EUR'), money(1, 'EUR'))).toThrow(/subtractMoney/);
    expect(() => multiplyMoney(money(2 ** 27, 'EUR'), 2 ** 27)).toThrow(/multiplyMoney/);
    expect(() => multiplyMoney(money(1, 'EUR'), 1.5)).toThrow(/quantity/);
    expect(() => sumMoney([money(MAX, 'EUR'), money(1, 'EUR')], 'EUR')).toThrow(RangeError);
    expect(addMoney(money(MAX - 1, 'EUR'), money(1, 'EUR')).amount).toBe(MAX);
  });

  it('sums the empty list to zero', () => {
    expect(isZero(sumMoney([], 'DKK'))).toBe(true);
    expect(isZero(money(1, 'DKK'))).toBe(false);
  });

  it('addition is commutative and associative, subtraction inverts it', () => {
    fc.assert(
      fc.property(currency, amount, amount, amount, (c, x, y, z) => {
        const [a, b, d] = [money(x, c), money(y, c), money(z, c)];
        expect(addMoney(a, b)).toEqual(addMoney(b, a));
        expect(addMoney(addMoney(a, b), d)).toEqual(addMoney(a, addMoney(b, d)));
        expect(subtractMoney(addMoney(a, b), b)).toEqual(a);
      }),
    );
  });

  it('multiplying by n equals adding n times, and sumMoney equals repeated addMoney', () => {
    fc.assert(
      fc.property(
        currency,
        fc.integer({ min: -(2 ** 45), max: 2 ** 45 }),
        fc.integer({ min: 0, max: 20 }),
        (c, x, n) => {
          const m = money(x, c);
          const items = Array.from({ length: n }, () => m);
          expect(multiplyMoney(m, n)).toEqual(sumMoney(items, c));
        },
      ),
    );
  });

  it('any result outside the safe range throws instead of silently rounding', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.maxSafeInteger(), (x, y) => {
        const exact = BigInt(x) + BigInt(y);
        const safe = exact <= BigInt(MAX) && exact >= BigInt(-MAX);
        if (safe) expect(BigInt(addMoney(money(x, 'EUR'), money(y, 'EUR')).amount)).toBe(exact);
        else expect(() => addMoney(money(x, 'EUR'), money(y, 'EUR'))).toThrow(RangeError);
      }),
    );
  });

  describe('formatMoney', () => {
    it('formats with the ISO code first and locale separators', () => {
      expect(formatMoney(money(123456, 'EUR'))).toBe('EUR 1,234.56');
      expect(formatMoney(money(123456, 'EUR'), 'nl-NL')).toBe('EUR 1.234,56');
      expect(formatMoney(money(123456789, 'NOK'), 'nb')).toBe('NOK 1\u00A0234\u00A0567,89');
      expect(formatMoney(money(123456, 'CHF'), 'de-CH')).toBe('CHF 1\u2019234.56');
      expect(formatMoney(money(123456, 'EUR'), 'de_AT')).toBe('EUR 1.234,56');
      expect(formatMoney(money(5, 'GBP'), 'en-GB')).toBe('GBP 0.05');
      expect(formatMoney(money(-100000, 'SEK'))).toBe('SEK -1,000.00');
      expect(formatMoney(money(0, 'USD'))).toBe('USD 0.00');
      expect(formatMoney(money(MAX, 'EUR'))).toBe('EUR 90,071,992,547,409.91');
      expect(formatMoney(money(100, 'CHF'), 'xx')).toBe('CHF 1.00');
    });

    it('round-trips: the digits shown are exactly the amount in minor units', () => {
      fc.assert(
        fc.property(
          currency,
          fc.integer({ min: -MAX, max: MAX }),
          fc.constantFrom('en', 'de', 'nb', 'de-CH'),
          (c, x, locale) => {
            const shown = formatMoney(money(x, c), locale);
            expect(shown.startsWith(`${c} `)).toBe(true);
            expect(Number(shown.slice(4).replace(/[^\d-]/g, ''))).toBe(x);
            expect(shown).toMatch(/[.,]\d{2}$/);
          },
        ),
      );
    });
  });
});
