import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkVatCategory, EU_MEMBER_STATES, type VatCategory } from '../../domain/tax.js';
import {
  EXEMPT,
  PRODUCT_VAT_RATES,
  type ProductVatRate,
  SUPPLY_KINDS,
  type SupplyKind,
  vatCategoryFor,
  type VatSituation,
} from '../../domain/vat-determination.js';
import { vatRate } from '../../domain/vat-rates.js';

const DATE = '2026-11-02';
const at = (sellerCountry: string, buyerCountry: string, buyerVatId?: string, date = DATE): VatSituation => ({
  sellerCountry,
  buyerCountry,
  ...(buyerVatId !== undefined && { buyerVatId }),
  date,
});
const goods = (vatRate: ProductVatRate = 'standard'): { vatRate: ProductVatRate; supply: SupplyKind } => ({
  vatRate,
  supply: 'goods',
});
const services = (vatRate: ProductVatRate = 'standard'): { vatRate: ProductVatRate; supply: SupplyKind } => ({
  vatRate,
  supply: 'services',
});

// VAT ids of the fixtures in test/documents/fixtures.ts (check-digit valid).
const VAT_ID: Readonly<Record<string, string>> = {
  NL: 'NL987654321B01',
  BE: 'BE0123456749',
  DE: 'DE123456789',
  FR: 'FR40303265045',
  NO: 'NO923609016MVA',
};

describe('vatCategoryFor: domestic sales', () => {
  it.each<[string, ProductVatRate, VatCategory]>([
    ['NL', 'standard', { code: 'S', rateBp: 2100 }],
    ['NL', 'reduced', { code: 'S', rateBp: 900 }],
    ['NL', 'zero', { code: 'Z', rateBp: 0 }],
    ['BE', 'standard', { code: 'S', rateBp: 2100 }],
    ['BE', 'reduced', { code: 'S', rateBp: 600 }],
    ['BE', 'second-reduced', { code: 'S', rateBp: 1200 }],
    ['BE', 'zero', { code: 'Z', rateBp: 0 }],
    ['DE', 'standard', { code: 'S', rateBp: 1900 }],
    ['DE', 'reduced', { code: 'S', rateBp: 700 }],
    ['NO', 'standard', { code: 'S', rateBp: 2500 }],
    ['NO', 'reduced', { code: 'S', rateBp: 1500 }],
    ['NO', 'second-reduced', { code: 'S', rateBp: 1200 }],
    ['NO', 'zero', { code: 'Z', rateBp: 0 }],
  ])('%s %s -> %j', (country, rate, expected) => {
    for (const supply of SUPPLY_KINDS) {
      // A domestic sale is taxed the same to a business (with VAT id) and to a consumer.
      expect(vatCategoryFor(at(country, country), { vatRate: rate, supply })).toEqual(expected);
      expect(vatCategoryFor(at(country, country, VAT_ID[country]), { vatRate: rate, supply })).toEqual(expected);
    }
  });

  it('exempt products are E with a reason, domestic or not, and pass the EN 16931 category rules', () => {
    for (const [seller, buyer, vatId] of [
      ['NL', 'NL', undefined],
      ['NL', 'DE', VAT_ID.DE],
      ['BE', 'NL', undefined],
      ['NL', 'US', undefined],
      ['NO', 'NL', VAT_ID.NL],
      ['FR', 'FR', undefined], // no rates configured for FR, but an exemption needs none
    ] as const) {
      for (const supply of SUPPLY_KINDS) {
        const vat = vatCategoryFor(at(seller, buyer, vatId), { vatRate: 'exempt', supply });
        expect(vat).toBe(EXEMPT);
        expect(vat.code).toBe('E');
        expect(vat.rateBp).toBe(0);
        expect(vat.exemptionReason?.trim()).toBeTruthy();
        expect(() => checkVatCategory(vat, 'vat')).not.toThrow();
      }
    }
  });

  it('refuses a rate kind the country does not have (no guessed rate)', () => {
    expect(() => vatCategoryFor(at('NL', 'NL'), goods('second-reduced'))).toThrow(
      /no second-reduced VAT rate is configured for country "NL"/,
    );
    expect(() => vatCategoryFor(at('DE', 'DE'), goods('second-reduced'))).toThrow(
      /no second-reduced VAT rate is configured for country "DE"/,
    );
  });

  it('throws for a domestic sale in a country without configured rates', () => {
    expect(() => vatCategoryFor(at('FR', 'FR'), goods())).toThrow(
      /no standard VAT rate is configured for country "FR"/,
    );
    expect(() => vatCategoryFor(at('US', 'US'), services('reduced'))).toThrow(
      /no reduced VAT rate is configured for country "US"/,
    );
  });

  it('throws for a date before every configured period', () => {
    expect(() => vatCategoryFor(at('NL', 'NL', undefined, '2018-12-31'), goods('reduced'))).toThrow(
      /no reduced VAT rate for NL on 2018-12-31/,
    );
    expect(() => vatCategoryFor(at('NL', 'NL', undefined, '2026-02-30'), goods())).toThrow(/not a real calendar date/);
  });
});

describe('vatCategoryFor: dated rates (the tax point decides)', () => {
  it.each<[string, ProductVatRate, string, number]>([
    ['DE', 'standard', '2020-06-30', 1900],
    ['DE', 'standard', '2020-07-01', 1600],
    ['DE', 'standard', '2020-08-01', 1600],
    ['DE', 'standard', '2020-12-31', 1600],
    ['DE', 'standard', '2021-01-01', 1900],
    ['DE', 'reduced', '2020-08-01', 500],
    ['DE', 'reduced', '2021-01-01', 700],
    ['NL', 'reduced', '2019-01-01', 900],
    ['NO', 'second-reduced', '2021-09-30', 600],
    ['NO', 'second-reduced', '2021-10-01', 1200],
  ])('%s %s on %s is S %i bp', (country, rate, date, rateBp) => {
    expect(vatCategoryFor(at(country, country, undefined, date), goods(rate))).toEqual({ code: 'S', rateBp });
  });

  it('a consumer sale within the EU takes the seller rate of that date', () => {
    expect(vatCategoryFor(at('DE', 'NL', undefined, '2020-08-01'), goods())).toEqual({ code: 'S', rateBp: 1600 });
    expect(vatCategoryFor(at('DE', 'NL', undefined, '2021-01-01'), goods())).toEqual({ code: 'S', rateBp: 1900 });
  });

  it('zero-rated categories do not depend on the date', () => {
    expect(vatCategoryFor(at('DE', 'FR', VAT_ID.FR, '2020-08-01'), goods())).toEqual({ code: 'K', rateBp: 0 });
    expect(vatCategoryFor(at('NL', 'US', undefined, '2000-01-01'), goods())).toEqual({ code: 'G', rateBp: 0 });
  });
});

describe('vatCategoryFor: within the EU, across a border', () => {
  it.each([
    ['NL', 'DE'],
    ['NL', 'BE'],
    ['BE', 'NL'],
    ['DE', 'FR'],
    ['FR', 'NL'], // seller without configured rates: K and AE need none
  ])('%s -> %s with a buyer VAT id: goods K, services AE, whatever the product rate', (seller, buyer) => {
    for (const rate of ['standard', 'reduced', 'zero'] as const) {
      expect(vatCategoryFor(at(seller, buyer, VAT_ID[buyer]), goods(rate))).toEqual({ code: 'K', rateBp: 0 });
      expect(vatCategoryFor(at(seller, buyer, VAT_ID[buyer]), services(rate))).toEqual({ code: 'AE', rateBp: 0 });
    }
  });

  it('without a buyer VAT id (a consumer) the seller domestic rate applies', () => {
    expect(vatCategoryFor(at('NL', 'DE'), goods())).toEqual({ code: 'S', rateBp: 2100 });
    expect(vatCategoryFor(at('NL', 'DE'), services('reduced'))).toEqual({ code: 'S', rateBp: 900 });
    expect(vatCategoryFor(at('BE', 'NL'), goods('second-reduced'))).toEqual({ code: 'S', rateBp: 1200 });
    expect(vatCategoryFor(at('DE', 'BE'), services())).toEqual({ code: 'S', rateBp: 1900 });
    expect(vatCategoryFor(at('NL', 'BE'), goods('zero'))).toEqual({ code: 'Z', rateBp: 0 });
    expect(vatCategoryFor({ ...at('NL', 'DE'), buyerVatId: '' }, goods())).toEqual({ code: 'S', rateBp: 2100 });
  });

  it('a consumer sale from an EU seller without configured rates throws rather than guessing', () => {
    expect(() => vatCategoryFor(at('FR', 'NL'), goods())).toThrow(
      /no standard VAT rate is configured for country "FR"/,
    );
  });
});

describe('vatCategoryFor: across the EU border', () => {
  it.each([
    ['NL', 'US', undefined],
    ['NL', 'NO', VAT_ID.NO],
    ['NL', 'NO', undefined],
    ['BE', 'US', undefined],
    ['DE', 'NO', VAT_ID.NO],
    ['NO', 'NL', VAT_ID.NL],
    ['NO', 'DE', undefined],
    ['NO', 'US', undefined],
  ])('%s -> %s (VAT id %s): goods are exported (G), services outside the scope (O)', (seller, buyer, vatId) => {
    for (const rate of ['standard', 'reduced', 'zero'] as const) {
      expect(vatCategoryFor(at(seller, buyer, vatId), goods(rate))).toEqual({ code: 'G', rateBp: 0 });
      expect(vatCategoryFor(at(seller, buyer, vatId), services(rate))).toEqual({ code: 'O', rateBp: 0 });
    }
  });
});

describe('vatCategoryFor: properties', () => {
  const CONFIGURED = ['NL', 'BE', 'DE', 'NO'];
  const OTHER_EU = ['FR', 'AT', 'PL', 'GR'];
  const NON_EU = ['US', 'CH', 'GB'];
  const country = fc.constantFrom(...CONFIGURED, ...OTHER_EU, ...NON_EU);
  // From the first day every configured rate kind of NL/BE/DE/NO has a period.
  const date = fc
    .integer({ min: Date.UTC(2021, 9, 1), max: Date.UTC(2035, 11, 31) })
    .map((ms) => new Date(ms).toISOString().slice(0, 10));

  it('always gives a valid EN 16931 category, S only for a domestic or B2C intra-EU sale', () => {
    fc.assert(
      fc.property(
        country,
        country,
        fc.boolean(),
        date,
        fc.constantFrom(...PRODUCT_VAT_RATES),
        fc.constantFrom(...SUPPLY_KINDS),
        (seller, buyer, withVatId, day, rate, supply) => {
          const situation = at(seller, buyer, withVatId ? `${buyer}123456789` : undefined, day);
          const domestic = seller === buyer;
          const b2cIntraEu = !domestic && !withVatId && EU_MEMBER_STATES.has(seller) && EU_MEMBER_STATES.has(buyer);
          const needsSellerRate =
            (domestic || b2cIntraEu) && (rate === 'standard' || rate === 'reduced' || rate === 'second-reduced');
          let expectedRate: number | undefined;
          if ((domestic || b2cIntraEu) && rate !== 'exempt') {
            try {
              expectedRate = vatRate(seller, rate, day);
            } catch {
              // Not configured (a country without a zero rate too): the determination must refuse, not guess.
              expect(() => vatCategoryFor(situation, { vatRate: rate, supply })).toThrow(RangeError);
              return;
            }
          }
          const vat = vatCategoryFor(situation, { vatRate: rate, supply });
          expect(() => checkVatCategory(vat, 'vat')).not.toThrow();
          expect(vat.code === 'S').toBe(needsSellerRate);
          if (vat.code === 'S') expect(vat.rateBp).toBe(expectedRate);
          if (rate === 'exempt') expect(vat.code).toBe('E');
          if (vat.code === 'Z') expect((domestic || b2cIntraEu) && rate === 'zero').toBe(true);
          if (vat.code === 'K' || vat.code === 'AE') {
            expect(EU_MEMBER_STATES.has(seller) && EU_MEMBER_STATES.has(buyer) && !domestic && withVatId).toBe(true);
            expect(vat.code).toBe(supply === 'goods' ? 'K' : 'AE');
          }
          if (vat.code === 'G' || vat.code === 'O') {
            expect(domestic || (EU_MEMBER_STATES.has(seller) && EU_MEMBER_STATES.has(buyer))).toBe(false);
            expect(vat.code).toBe(supply === 'goods' ? 'G' : 'O');
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('vatCategoryFor: a rate the country does not have', () => {
  it('refuses a zero-rated sale in a country without a zero rate instead of guessing Z', () => {
    expect(() =>
      vatCategoryFor(
        { sellerCountry: 'DE', buyerCountry: 'DE', buyerVatId: 'DE123456789', date: '2026-11-02' },
        { vatRate: 'zero', supply: 'goods' },
      ),
    ).toThrow(/no zero VAT rate is configured for country "DE"/);
  });
});
