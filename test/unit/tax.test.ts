import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyRate,
  checkVatCategory,
  divideRounded,
  exemptionOf,
  vatBreakdown,
  type VatCategory,
} from '../../domain/tax.js';
import { vatRate, vatRatePeriods, type VatRateKind } from '../../domain/vat-rates.js';

describe('divideRounded (EN 16931 half-up on the magnitude)', () => {
  it.each([
    [5, 10, 1],
    [4, 10, 0],
    [15, 10, 2],
    [-5, 10, -1],
    [-4, 10, 0],
    [-15, 10, -2],
    [0, 7, 0],
    [2_592_45, 100, 2_592],
  ])('%i / %i = %i', (n, d, expected) => {
    expect(divideRounded(n, d)).toBe(expected);
  });

  it('is within half a unit of the exact quotient and mirrors negatives', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), fc.integer({ min: 1, max: 1_000_000 }), (n, d) => {
        const q = divideRounded(n, d);
        expect(Math.abs(q * d - n) * 2).toBeLessThanOrEqual(d);
        expect(divideRounded(-n, d)).toBe(q === 0 ? 0 : -q);
        expect(Object.is(q, -0)).toBe(false);
      }),
    );
  });

  it('refuses non-integers and non-positive denominators', () => {
    expect(() => divideRounded(1.5, 10)).toThrow(/safe integer/);
    expect(() => divideRounded(1, 0)).toThrow(/positive/);
  });
});

describe('applyRate', () => {
  it('rounds VAT to the cent, halves up', () => {
    expect(applyRate(250, 2100)).toBe(53); // 52.5 -> 53
    expect(applyRate(-250, 2100)).toBe(-53);
    expect(applyRate(2250, 900)).toBe(203); // 202.5 -> 203
    expect(applyRate(6247, 2100)).toBe(1312); // 1311.87
    expect(applyRate(12_345, 550)).toBe(679); // 678.975 at 5.5 %
  });

  it('refuses products beyond the safe integer range instead of losing cents', () => {
    expect(() => applyRate(2 ** 50, 2100)).toThrow(/safe integer/);
  });
});

describe('VAT category rules', () => {
  const ok: VatCategory[] = [
    { code: 'S', rateBp: 2100 },
    { code: 'Z', rateBp: 0 },
    { code: 'E', rateBp: 0, exemptionReason: 'Exempt under Article 132(1)(g) of Directive 2006/112/EC' },
    { code: 'E', rateBp: 0, exemptionReasonCode: 'VATEX-EU-132-1G' },
    { code: 'AE', rateBp: 0 },
    { code: 'K', rateBp: 0 },
    { code: 'G', rateBp: 0 },
    { code: 'O', rateBp: 0 },
  ];
  it.each(ok)('accepts %j', (vat) => {
    expect(() => checkVatCategory(vat, 'vat')).not.toThrow();
  });

  it.each<[VatCategory, RegExp]>([
    [{ code: 'S', rateBp: 0 }, /BR-S-05/],
    [{ code: 'S', rateBp: 2100, exemptionReason: 'x' }, /BR-S-10/],
    [{ code: 'Z', rateBp: 900 }, /BR-Z-05/],
    [{ code: 'Z', rateBp: 0, exemptionReasonCode: 'VATEX-EU-O' }, /BR-Z-10/],
    [{ code: 'AE', rateBp: 2100 }, /BR-AE-05/],
    [{ code: 'K', rateBp: 2100 }, /BR-IC-05/],
    [{ code: 'G', rateBp: 900 }, /BR-G-05/],
    [{ code: 'O', rateBp: 600 }, /BR-O-05/],
    [{ code: 'E', rateBp: 0 }, /BR-E-10/],
    [{ code: 'E', rateBp: 0, exemptionReason: ' ' }, /must not be empty/],
    [{ code: 'K', rateBp: 0, exemptionReasonCode: 'VATEX-EU-AE' }, /belongs to category AE/],
    [{ code: 'E', rateBp: 0, exemptionReasonCode: 'Article 132' }, /not a VATEX code/],
    [{ code: 'S', rateBp: 10_001 }, /0\.\.10000/],
    [{ code: 'S', rateBp: 21.5 }, /integer/],
    [{ code: 'X' as VatCategory['code'], rateBp: 0 }, /not a VAT category code/],
  ])('refuses %j naming the rule', (vat, message) => {
    expect(() => checkVatCategory(vat, 'lines[0].vat')).toThrow(message);
  });

  it('states the standard exemption reason for AE, K, G and O, and keeps a given one', () => {
    expect(exemptionOf({ code: 'AE', rateBp: 0 })).toEqual({ code: 'VATEX-EU-AE', text: 'Reverse charge' });
    expect(exemptionOf({ code: 'K', rateBp: 0 })).toEqual({ code: 'VATEX-EU-IC', text: 'Intra-Community supply' });
    expect(exemptionOf({ code: 'G', rateBp: 0 })).toEqual({ code: 'VATEX-EU-G', text: 'Export outside the EU' });
    expect(exemptionOf({ code: 'O', rateBp: 0 })).toEqual({ code: 'VATEX-EU-O', text: 'Not subject to VAT' });
    expect(exemptionOf({ code: 'S', rateBp: 2100 })).toEqual({});
    expect(exemptionOf({ code: 'AE', rateBp: 0, exemptionReason: 'BTW verlegd' })).toEqual({
      code: undefined,
      text: 'BTW verlegd',
    });
  });
});

describe('vatBreakdown', () => {
  it('rounds VAT once per category and rate, not per line', () => {
    // 31 lines of 0.07 at 9 %: per line 0.0063 would round to 0.01 each (0.31 in all); per category 2.17 x 9 % = 0.1953 -> 0.20.
    const items = Array.from({ length: 31 }, () => ({ vat: { code: 'S' as const, rateBp: 900 }, amount: 7 }));
    expect(vatBreakdown(items)).toEqual([{ code: 'S', rateBp: 900, taxableAmount: 217, taxAmount: 20 }]);
  });

  it('groups by category and rate in order of first appearance, allowances reducing the base', () => {
    const s21 = { code: 'S' as const, rateBp: 2100 };
    const s9 = { code: 'S' as const, rateBp: 900 };
    expect(
      vatBreakdown([
        { vat: s21, amount: 10_000 },
        { vat: s9, amount: 5_000 },
        { vat: { code: 'AE', rateBp: 0 }, amount: 700 },
        { vat: s21, amount: -1_000 },
      ]),
    ).toEqual([
      { code: 'S', rateBp: 2100, taxableAmount: 9_000, taxAmount: 1_890 },
      { code: 'S', rateBp: 900, taxableAmount: 5_000, taxAmount: 450 },
      {
        code: 'AE',
        rateBp: 0,
        taxableAmount: 700,
        taxAmount: 0,
        exemptionReasonCode: 'VATEX-EU-AE',
        exemptionReason: 'Reverse charge',
      },
    ]);
  });

  it('refuses one category with two exemption reasons, since a breakdown states one', () => {
    expect(() =>
      vatBreakdown([
        { vat: { code: 'E', rateBp: 0, exemptionReasonCode: 'VATEX-EU-132-1G' }, amount: 100 },
        { vat: { code: 'E', rateBp: 0, exemptionReasonCode: 'VATEX-EU-132-1I' }, amount: 100 },
      ]),
    ).toThrow(/two different exemption reasons/);
  });
});

describe('dated VAT rates', () => {
  it.each<[string, VatRateKind, string, number]>([
    ['NL', 'standard', '2026-11-22', 2100],
    ['NL', 'reduced', '2019-01-01', 900],
    ['NL', 'zero', '2026-01-01', 0],
    ['BE', 'standard', '2026-11-22', 2100],
    ['BE', 'second-reduced', '2026-11-22', 1200],
    ['BE', 'reduced', '2026-11-22', 600],
    ['BE', 'zero', '2026-11-22', 0],
    ['DE', 'standard', '2020-06-30', 1900],
    ['DE', 'standard', '2020-07-01', 1600],
    ['DE', 'reduced', '2020-12-31', 500],
    ['DE', 'reduced', '2021-01-01', 700],
    ['NO', 'standard', '2026-11-22', 2500],
    ['NO', 'reduced', '2026-11-22', 1500],
    ['NO', 'second-reduced', '2021-09-30', 600],
    ['NO', 'second-reduced', '2021-10-01', 1200],
    ['NO', 'zero', '2026-11-22', 0],
  ])('%s %s on %s is %i bp', (country, kind, date, rate) => {
    expect(vatRate(country, kind, date)).toBe(rate);
  });

  it('refuses dates no period covers, unknown countries and kinds, and bad dates', () => {
    expect(() => vatRate('NL', 'reduced', '2018-12-31')).toThrow(
      /no reduced VAT rate for NL on 2018-12-31: configured periods are 2019-01-01\.\./,
    );
    expect(() => vatRate('NO', 'second-reduced', '2020-03-31')).toThrow(/no second-reduced VAT rate for NO/);
    expect(() => vatRate('FR', 'standard', '2026-01-01')).toThrow(
      /no standard VAT rate is configured for country "FR"/,
    );
    expect(() => vatRate('DE', 'zero', '2026-01-01')).toThrow(/no zero VAT rate is configured/);
    expect(() => vatRate('NL', 'standard', '2026-02-30')).toThrow(/not a real calendar date/);
  });

  it('has sourced, well-formed, non-overlapping periods for every country and kind', () => {
    const kinds: VatRateKind[] = ['standard', 'reduced', 'second-reduced', 'zero'];
    for (const country of ['NL', 'BE', 'DE', 'NO']) {
      for (const kind of kinds) {
        const periods = vatRatePeriods(country, kind);
        periods.forEach((p, i) => {
          expect(p.source.length).toBeGreaterThan(10);
          expect(Number.isSafeInteger(p.rateBp)).toBe(true);
          expect(kind === 'zero' ? p.rateBp === 0 : p.rateBp > 0).toBe(true);
          if (p.validTo !== undefined) expect(p.validTo >= p.validFrom).toBe(true);
          const next = periods[i + 1];
          if (next !== undefined) {
            // Only the last period may be open-ended, and periods follow each other without overlap.
            expect(p.validTo).toBeDefined();
            expect(next.validFrom > (p.validTo ?? '')).toBe(true);
          }
        });
      }
    }
  });
});
