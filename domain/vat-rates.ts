/**
 * VAT rates per country as dated configuration. A rate is in basis points (2100 = 21 %), so every rate used
 * here is an exact integer and VAT stays integer arithmetic.
 *
 * Each period names its source. `verified` marks a rate that was checked against the official page cited; the
 * others cite the statute that sets the rate, not re-read for this table. A period starts at the earliest date
 * we can vouch for, not necessarily at the rate's historic introduction: earlier dates are refused, not guessed.
 */
import { parseIsoDate } from './payment-terms.js';

/**
 * Which of a country's rates: `reduced` is the one for foodstuffs (the widest-used reduced rate),
 * `second-reduced` the country's other reduced rate, `zero` a rate of 0 % that still counts as taxed
 * (EN 16931 category Z), unlike an exemption.
 */
export type VatRateKind = 'standard' | 'reduced' | 'second-reduced' | 'zero';

export interface VatRatePeriod {
  readonly rateBp: number;
  /** First day the rate applies (YYYY-MM-DD, inclusive). */
  readonly validFrom: string;
  /** Last day the rate applies (inclusive); open-ended when absent. */
  readonly validTo?: string;
  readonly source: string;
  readonly verified: boolean;
}

type CountryRates = Readonly<Partial<Record<VatRateKind, readonly VatRatePeriod[]>>>;

const NL_WET_OB = 'Wet op de omzetbelasting 1968, art. 9 and tabel I/II, https://wetten.overheid.nl/BWBR0002629';
const BE_RATES =
  'FPS Finance, "VAT rates", https://finance.belgium.be/en/enterprises/vat/vat-obligation/rates-and-calculation/vat-rates';
const DE_USTG = 'Umsatzsteuergesetz § 12 (Steuersätze), https://www.gesetze-im-internet.de/ustg_1980/__12.html';
const DE_CORONA =
  'Zweites Corona-Steuerhilfegesetz (BGBl. I 2020 S. 1512), art. 3: temporary rates in § 28 UStG for 2020-07-01..2020-12-31';
const NO_SATSER = 'Skatteetaten, "Merverdiavgift" (satser), https://www.skatteetaten.no/satser/merverdiavgift';
const NO_LAV_SATS =
  'Finansdepartementet, "Forlenger midlertidig reduksjon i lav merverdiavgiftssats" (2021), https://www.regjeringen.no/no/dokumentarkiv/regjeringen-solberg/aktuelt-regjeringen-solberg/fin/pressemeldinger/2021/forlenger-midlertidig-reduksjon-i-lav-merverdiavgiftssats/id2848502/';

const RATES: Readonly<Record<string, CountryRates>> = {
  NL: {
    standard: [
      { rateBp: 2100, validFrom: '2012-10-01', source: `${NL_WET_OB} (19 % -> 21 % from 2012-10-01)`, verified: false },
    ],
    reduced: [
      {
        rateBp: 900,
        validFrom: '2019-01-01',
        source:
          'Rijksoverheid, "Lage btw-tarief van 6% naar 9%", https://www.rijksoverheid.nl/onderwerpen/belastingen-voor-ondernemers/verhoging-lage-btw-tarief',
        verified: true,
      },
    ],
    zero: [
      {
        rateBp: 0,
        validFrom: '2012-10-01',
        source: `${NL_WET_OB} (art. 9 lid 2 onderdeel b, tabel II)`,
        verified: false,
      },
    ],
  },
  BE: {
    standard: [
      { rateBp: 2100, validFrom: '2000-01-01', source: `${BE_RATES} (standard rate, grid R03)`, verified: true },
    ],
    reduced: [{ rateBp: 600, validFrom: '2000-01-01', source: `${BE_RATES} (reduced rate, grid R01)`, verified: true }],
    'second-reduced': [
      { rateBp: 1200, validFrom: '2000-01-01', source: `${BE_RATES} (intermediate rate, grid R02)`, verified: true },
    ],
    zero: [{ rateBp: 0, validFrom: '2000-01-01', source: `${BE_RATES} (zero rate, grid R00)`, verified: true }],
  },
  DE: {
    standard: [
      { rateBp: 1900, validFrom: '2007-01-01', validTo: '2020-06-30', source: `${DE_USTG} Abs. 1`, verified: false },
      { rateBp: 1600, validFrom: '2020-07-01', validTo: '2020-12-31', source: DE_CORONA, verified: false },
      { rateBp: 1900, validFrom: '2021-01-01', source: `${DE_USTG} Abs. 1`, verified: false },
    ],
    reduced: [
      { rateBp: 700, validFrom: '2007-01-01', validTo: '2020-06-30', source: `${DE_USTG} Abs. 2`, verified: false },
      { rateBp: 500, validFrom: '2020-07-01', validTo: '2020-12-31', source: DE_CORONA, verified: false },
      { rateBp: 700, validFrom: '2021-01-01', source: `${DE_USTG} Abs. 2`, verified: false },
    ],
  },
  NO: {
    standard: [
      {
        rateBp: 2500,
        validFrom: '2005-01-01',
        source: `${NO_SATSER} (alminnelig sats); from 2005-01-01 per https://www.statsbudsjettet.no/Statsbudsjett-2005/Statsbudsjettet-fra-A-til-A/Merverdiavgift/`,
        verified: true,
      },
    ],
    reduced: [
      {
        rateBp: 1500,
        validFrom: '2012-01-01',
        source: `${NO_SATSER} (næringsmidler); since 2012-01-01 per Merverdiavgiftshåndboken 5-2.2, https://www.skatteetaten.no/en/rettskilder/type/handboker/merverdiavgiftshandboken/gjeldende/M-5/M-5-2/M-5-2.2/`,
        verified: true,
      },
    ],
    'second-reduced': [
      { rateBp: 600, validFrom: '2020-04-01', validTo: '2021-09-30', source: NO_LAV_SATS, verified: true },
      {
        rateBp: 1200,
        validFrom: '2021-10-01',
        source: `${NO_SATSER} (persontransport, overnatting mv.); ${NO_LAV_SATS}`,
        verified: true,
      },
    ],
    zero: [
      {
        rateBp: 0,
        validFrom: '2010-01-01',
        source:
          'Merverdiavgiftsloven (2009) kapittel 6, fritak, https://www.skatteetaten.no/en/rettskilder/type/handboker/merverdiavgiftshandboken/gjeldende/M-6/',
        verified: false,
      },
    ],
  },
};

export function vatRatePeriods(country: string, kind: VatRateKind): readonly VatRatePeriod[] {
  return RATES[country]?.[kind] ?? [];
}

/**
 * The rate in basis points of `kind` in `country` on `date` (YYYY-MM-DD: the tax point, usually the supply or
 * invoice date). Throws for a country or kind we hold no rates for and for dates outside every known period,
 * so a missing or stale table fails loudly instead of taxing at a guessed rate.
 */
export function vatRate(country: string, kind: VatRateKind, date: string): number {
  const day = parseIsoDate(date);
  const periods = vatRatePeriods(country, kind);
  if (periods.length === 0) throw new RangeError(`no ${kind} VAT rate is configured for country "${country}"`);
  const match = periods.find(
    (p) => parseIsoDate(p.validFrom) <= day && (p.validTo === undefined || day <= parseIsoDate(p.validTo)),
  );
  if (match === undefined) {
    const covered = periods.map((p) => `${p.validFrom}..${p.validTo ?? ''}`).join(', ');
    throw new RangeError(`no ${kind} VAT rate for ${country} on ${date}: configured periods are ${covered}`);
  }
  return match.rateBp;
}
