import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rfReference } from '../../domain/payment-reference.js';
import { toMinorUnits } from '../../formats/amounts.js';
import { type CsvProfile, decodeBankText, parseBankCsv, validateCsvProfile } from '../../formats/bank-csv.js';
import { StatementFormatError } from '../../formats/bank-statement.js';
import { ING_NL_CSV_PROFILE } from '../support/bank-files.js';

const sample = (name: string): Buffer => readFileSync(new URL(`../fixtures/bank-files/${name}`, import.meta.url));

// Example profiles (not shipped: profiles are data, managed through the API).
// Rabobank's CSV export: ',' separated, every field quoted, decimal comma with a +/- sign, ISO dates, UTF-8 with BOM.
const rabobank: CsvProfile = {
  name: 'rabobank-nl',
  separator: ',',
  decimal: ',',
  dateFormat: 'YYYY-MM-DD',
  encoding: 'utf-8',
  headerRows: 1,
  columns: {
    bookingDate: 'Datum',
    valueDate: 'Rentedatum',
    amount: 'Bedrag',
    currency: 'Munt',
    counterpartyName: 'Naam tegenpartij',
    counterpartyIban: 'Tegenrekening IBAN/BBAN',
    remittance: 'Omschrijving-1',
    reference: 'Betalingskenmerk',
    lineId: 'Volgnr',
    accountIban: 'IBAN/BBAN',
  },
};

function formatError(content: Buffer, profile: CsvProfile): StatementFormatError {
  try {
    parseBankCsv(content, profile);
  } catch (e) {
    if (e instanceof StatementFormatError) return e;
    throw e;
  }
  throw new Error('expected a StatementFormatError');
}

const sha16 = (b: Buffer): string => createHash('sha256').update(b).digest('hex').slice(0, 16);

describe('toMinorUnits', () => {
  const DIGITS: Record<string, number> = { EUR: 2, NOK: 2, USD: 2, CZK: 2, JPY: 0, ISK: 0 };

  it('agrees with BigInt arithmetic for every safe amount, either separator, padded or trimmed', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    fc.assert(
      fc.property(
        fc.bigInt({ min: -max, max }),
        fc.constantFrom(...Object.keys(DIGITS)),
        fc.constantFrom('.' as const, ',' as const),
        fc.nat({ max: 3 }),
        fc.constantFrom('full', 'trimmed', 'bare'),
        fc.boolean(),
        (minor, currency, sep, leadingZeros, fractionForm, plus) => {
          const digits = DIGITS[currency] ?? 2;
          const scale = 10n ** BigInt(digits);
          const abs = minor < 0n ? -minor : minor;
          const whole = '0'.repeat(leadingZeros) + (abs / scale).toString();
          const fraction = digits === 0 ? '' : (abs % scale).toString().padStart(digits, '0');
          const shown = fractionForm === 'full' ? fraction : fraction.replace(/0+$/, '');
          const decimals = shown !== '' ? `${sep}${shown}` : fractionForm === 'bare' ? sep : '';
          const sign = minor < 0n ? '-' : plus ? '+' : '';
          expect(toMinorUnits(`${sign}${whole}${decimals}`, currency, sep)).toBe(Number(minor));
        },
      ),
    );
  });

  it('refuses amounts beyond Number.MAX_SAFE_INTEGER minor units', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    fc.assert(
      fc.property(fc.bigInt({ min: max + 1n, max: max * 1000n }), (minor) => {
        const text = `${minor / 100n}.${(minor % 100n).toString().padStart(2, '0')}`;
        expect(() => toMinorUnits(text, 'EUR', '.')).toThrow(RangeError);
      }),
    );
  });

  it('refuses more decimals than the currency has', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom('EUR', 'JPY'), fc.integer({ min: 1, max: 9 }), (n, currency, extra) => {
        const decimals = (DIGITS[currency] ?? 2) + 1;
        const text = `${n},${String(extra).padStart(decimals, '0')}`;
        expect(() => toMinorUnits(text, currency, ',')).toThrow(/decimals but/);
      }),
    );
  });

  it.each([
    ['1.234,56', ','],
    ['1,234.56', '.'],
    ['1 234,56', ','],
    ['12.50', ','],
    [',50', ','],
    ['', '.'],
    ['--1', '.'],
    ['1e3', '.'],
    [' 12.00', '.'],
  ] as const)('refuses %j with decimal separator %j', (text, sep) => {
    expect(() => toMinorUnits(text, 'EUR', sep)).toThrow(RangeError);
  });

  it('refuses an unlisted currency and never returns -0', () => {
    expect(() => toMinorUnits('1.00', 'XYZ', '.')).toThrow(/currency "XYZ"/);
    expect(Object.is(toMinorUnits('-0,00', 'EUR', ','), 0)).toBe(true);
    expect(toMinorUnits('100,', 'EUR', ',')).toBe(10000);
    expect(toMinorUnits('1500', 'JPY', '.')).toBe(1500);
  });
});

describe('decodeBankText', () => {
  // WHATWG Encoding index-windows-1252, pointers 0..31 (bytes 0x80..0x9F).
  const WHATWG_80_9F = [
    0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
    0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e,
    0x178,
  ];
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

  it.each(['windows-1252', 'iso-8859-1'] as const)('decodes %s as the WHATWG windows-1252 index: 0x80 is €', (enc) => {
    const text = decodeBankText(all, enc);
    expect([...text].map((c) => c.codePointAt(0))).toEqual([
      ...Array.from({ length: 0x80 }, (_, i) => i),
      ...WHATWG_80_9F,
      ...Array.from({ length: 0x60 }, (_, i) => 0xa0 + i),
    ]);
    expect(decodeBankText(Buffer.from([0x80, 0xe9]), enc)).toBe('€é');
  });

  it('decodes UTF-8 strictly, without its BOM', () => {
    expect(decodeBankText(Buffer.from('\uFEFFcafé €', 'utf8'), 'utf-8')).toBe('café €');
    expect(() => decodeBankText(Buffer.from([0x63, 0xe9, 0x20]), 'utf-8')).toThrow(TypeError);
  });
});

describe('parseBankCsv: Rabobank profile (quoted fields, sign-based direction, UTF-8 BOM)', () => {
  const content = sample('csv-rabobank.csv');
  const statement = parseBankCsv(content, rabobank);

  it('reads the statement: id from the content hash, account from the IBAN/BBAN column', () => {
    expect(content.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(statement).toEqual({
      format: 'csv',
      version: 'rabobank-nl',
      statementId: `csv:${sha16(content)}`,
      account: { iban: 'NL44RABO0123456789', currency: 'EUR' },
      entries: expect.any(Array),
    });
    expect(statement.statementId).toMatch(/^csv:[0-9a-f]{16}$/);
  });

  it('reads every row; separators, doubled quotes and a line break inside quoted fields; trailing empty lines skipped', () => {
    expect(statement.entries).toEqual([
      {
        index: 0,
        lineId: '000000000000007001',
        amount: 121000,
        currency: 'EUR',
        direction: 'credit',
        bookingDate: '2024-01-31',
        valueDate: '2024-01-31',
        reversal: false,
        kind: 'transfer',
        counterparty: { name: 'Bakkerij de Vries B.V.', iban: 'NL91ABNA0417164300' },
        remittance: { structured: [rfReference('20240017')], unstructured: 'Factuur 2024-0017, januari' },
      },
      {
        index: 1,
        lineId: '000000000000007002',
        amount: 4550,
        currency: 'EUR',
        direction: 'debit',
        bookingDate: '2024-01-31',
        valueDate: '2024-02-01',
        reversal: false,
        kind: 'other',
        counterparty: { name: 'Kantoorhandel "De Pen"', iban: 'NL20INGB0001234567' },
        remittance: { structured: [], unstructured: 'Printerpapier en toner' },
      },
      {
        index: 2,
        lineId: '000000000000007003',
        amount: 30000,
        currency: 'EUR',
        direction: 'credit',
        bookingDate: '2024-02-01',
        valueDate: '2024-02-01',
        reversal: false,
        kind: 'transfer',
        counterparty: { name: 'Stichting Groen', iban: undefined },
        remittance: { structured: [], unstructured: undefined },
      },
    ]);
  });
});

describe('parseBankCsv: ING NL profile (windows-1252, Af Bij direction column, YYYYMMDD)', () => {
  const content = sample('csv-ing.csv');
  const statement = parseBankCsv(content, ING_NL_CSV_PROFILE);

  it('decodes é and € from windows-1252 bytes', () => {
    expect(content.includes(0x80)).toBe(true);
    expect(content.includes(0xe9)).toBe(true);
    expect(statement.entries[0]?.remittance.unstructured).toContain('Café De Zwaan');
    expect(statement.entries[0]?.remittance.unstructured).toContain('€ 125,00');
  });

  it('reads the statement and every row', () => {
    expect(statement).toEqual({
      format: 'csv',
      version: 'ing-nl',
      statementId: `csv:${sha16(content)}`,
      account: { iban: 'NL20INGB0001234567', currency: 'EUR' },
      entries: [
        {
          index: 0,
          lineId: undefined,
          amount: 12500,
          currency: 'EUR',
          direction: 'credit',
          bookingDate: '2024-03-05',
          valueDate: '2024-03-05',
          reversal: false,
          kind: 'transfer',
          counterparty: { name: 'Café De Zwaan', iban: 'NL46RABO0307654321' },
          remittance: {
            structured: [],
            unstructured: 'Naam: Café De Zwaan Omschrijving: Factuur 2024-0061 € 125,00 IBAN: NL46RABO0307654321',
          },
        },
        {
          index: 1,
          lineId: undefined,
          amount: 295,
          currency: 'EUR',
          direction: 'debit',
          bookingDate: '2024-03-05',
          valueDate: '2024-03-05',
          reversal: false,
          kind: 'other',
          counterparty: { name: 'Kosten OranjePakket', iban: undefined },
          remittance: { structured: [], unstructured: 'Kosten OranjePakket periode 01-02-2024 t/m 29-02-2024' },
        },
        {
          index: 2,
          lineId: undefined,
          amount: 8470,
          currency: 'EUR',
          direction: 'debit',
          bookingDate: '2024-03-06',
          valueDate: '2024-03-06',
          reversal: false,
          kind: 'other',
          counterparty: { name: 'Energiebedrijf Zuid', iban: 'NL68ABNA0502938710' },
          remittance: {
            structured: [],
            unstructured: 'Naam: Energiebedrijf Zuid Omschrijving: Termijn maart Machtiging ID: MANDAAT-00042',
          },
        },
      ],
    });
  });
});

describe('parseBankCsv: columns by index, no header, tab separated, account from the profile', () => {
  const profile: CsvProfile = {
    name: 'generic-us',
    separator: '\t',
    decimal: '.',
    dateFormat: 'MM/DD/YYYY',
    encoding: 'utf-8',
    headerRows: 0,
    account: { iban: 'DE89370400440532013000', currency: 'USD' },
    columns: { bookingDate: 0, amount: 1, counterpartyName: 2, remittance: 3 },
  };

  it('reads sign-based amounts in the account currency; an unquoted field may hold a quote', () => {
    const content = Buffer.from('01/15/2024\t-1234.56\tACME Corp\tInvoice 778\n02/29/2024\t99.9\t5" Tools\t\n');
    expect(parseBankCsv(content, profile)).toEqual({
      format: 'csv',
      version: 'generic-us',
      statementId: `csv:${sha16(content)}`,
      account: { iban: 'DE89370400440532013000', currency: 'USD' },
      entries: [
        {
          index: 0,
          lineId: undefined,
          amount: 123456,
          currency: 'USD',
          direction: 'debit',
          bookingDate: '2024-01-15',
          valueDate: '2024-01-15',
          reversal: false,
          kind: 'other',
          counterparty: { name: 'ACME Corp', iban: undefined },
          remittance: { structured: [], unstructured: 'Invoice 778' },
        },
        {
          index: 1,
          lineId: undefined,
          amount: 9990,
          currency: 'USD',
          direction: 'credit',
          bookingDate: '2024-02-29',
          valueDate: '2024-02-29',
          reversal: false,
          kind: 'transfer',
          counterparty: { name: '5" Tools', iban: undefined },
          remittance: { structured: [], unstructured: undefined },
        },
      ],
    });
  });

  it('an empty file is a statement without entries', () => {
    expect(parseBankCsv(Buffer.from('\n\n'), profile).entries).toEqual([]);
  });
});

describe('parseBankCsv: broken files name the row and the column', () => {
  const rabo = sample('csv-rabobank.csv').toString('utf8');
  const ing = sample('csv-ing.csv');
  const raboWith = (from: string, to: string): Buffer => {
    if (!rabo.includes(from)) throw new Error(`fixture lacks ${from}`);
    return Buffer.from(rabo.replace(from, to));
  };
  const row1 = '"000000000000007002","2024-01-31","2024-02-01","-45,50"';

  it.each([
    ['bookingDate', '"000000000000007002","2024-02-30","2024-02-01","-45,50"', /bookingDate "2024-02-30"/],
    ['bookingDate', '"000000000000007002","31-01-2024","2024-02-01","-45,50"', /not a YYYY-MM-DD date/],
    ['valueDate', '"000000000000007002","2024-01-31","2024-13-01","-45,50"', /valueDate "2024-13-01"/],
    ['amount', '"000000000000007002","2024-01-31","2024-02-01","-45.50"', /"-45.50"/],
    ['amount', '"000000000000007002","2024-01-31","2024-02-01","-1.045,50"', /thousands/],
    ['amount', '"000000000000007002","2024-01-31","2024-02-01","-45,505"', /3 decimals/],
  ])('%s: %s', (field, replacement, message) => {
    const e = formatError(raboWith(row1, replacement), rabobank);
    expect([e.field, e.entryIndex, e.entryRef]).toEqual([field, 1, '000000000000007002']);
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/^line 3: /);
  });

  it('an unknown currency', () => {
    const e = formatError(
      raboWith(
        '"NL44RABO0123456789","EUR","RABONL2U","000000000000007003"',
        '"NL44RABO0123456789","XYZ","RABONL2U","000000000000007003"',
      ),
      rabobank,
    );
    expect([e.field, e.entryIndex, e.entryRef]).toEqual(['currency', 2, '000000000000007003']);
  });

  it('a row with a column too few (the line break inside quotes does not count)', () => {
    const e = formatError(
      raboWith('"Stichting Groen","Crème Brûlée B.V.","",""', '"Stichting Groen","Crème Brûlée B.V.",""'),
      rabobank,
    );
    expect([e.field, e.entryIndex, e.entryRef]).toEqual(['columns', 2, '000000000000007003']);
    expect(e.message).toMatch(/^line 5: 12 columns where the file has 13/);
  });

  it('a header the profile names is missing', () => {
    const e = formatError(Buffer.from(rabo), { ...rabobank, columns: { ...rabobank.columns, amount: 'Bedrag (EUR)' } });
    expect([e.field, e.entryIndex]).toEqual(['amount', undefined]);
    expect(e.message).toMatch(/header "Bedrag \(EUR\)"/);
  });

  it('a column index beyond the file', () => {
    const e = formatError(Buffer.from(rabo), { ...rabobank, columns: { ...rabobank.columns, lineId: 13 } });
    expect([e.field, e.entryIndex]).toEqual(['lineId', undefined]);
  });

  it('an unknown direction value', () => {
    const content = Buffer.from(ing.toString('latin1').replace('"Af";"84,70"', '"Debet";"84,70"'), 'latin1');
    const e = formatError(content, ING_NL_CSV_PROFILE);
    expect([e.field, e.entryIndex, e.entryRef]).toEqual(['direction', 2, undefined]);
    expect(e.message).toMatch(/"Debet" is neither a credit \(Bij\) nor a debit \(Af\)/);
  });

  it('a signed amount where a direction column says which way', () => {
    const content = Buffer.from(ing.toString('latin1').replace('"Af";"2,95"', '"Af";"-2,95"'), 'latin1');
    const e = formatError(content, ING_NL_CSV_PROFILE);
    expect([e.field, e.entryIndex]).toEqual(['amount', 1]);
  });

  it('bytes that are not valid in the profile encoding (a windows-1252 file read as UTF-8)', () => {
    const e = formatError(ing, { ...ING_NL_CSV_PROFILE, encoding: 'utf-8' });
    expect([e.field, e.entryIndex, e.entryRef]).toEqual(['encoding', 0, undefined]);
    expect(e.message).toMatch(/^line 2: bytes that are not valid utf-8/);
  });

  it('a quoted field left open', () => {
    const e = formatError(raboWith('"Printerpapier\r\nen toner"', '"Printerpapier\r\nen toner'), rabobank);
    expect([e.field, e.entryIndex]).toEqual(['quoting', 1]);
  });

  it('text after a closing quote', () => {
    const e = formatError(raboWith('"Factuur 2024-0017, januari"', '"Factuur 2024-0017" januari'), rabobank);
    expect([e.field, e.entryIndex]).toEqual(['quoting', 0]);
    expect(e.message).toMatch(/^line 2: text after the closing quote of field 12/);
  });

  it('a row of another account', () => {
    const e = formatError(
      raboWith(
        '"NL44RABO0123456789","EUR","RABONL2U","000000000000007003"',
        '"NL46RABO0307654321","EUR","RABONL2U","000000000000007003"',
      ),
      rabobank,
    );
    expect([e.field, e.entryIndex, e.entryRef]).toEqual(['accountIban', 2, '000000000000007003']);
  });

  it('the profile account differs from the file', () => {
    const e = formatError(Buffer.from(rabo), { ...rabobank, account: { iban: 'NL91ABNA0417164300', currency: 'EUR' } });
    expect([e.field, e.entryIndex]).toEqual(['accountIban', 0]);
  });

  it('a file without rows when only a column gives the currency', () => {
    const header = rabo.split('\r\n')[0] ?? '';
    expect(formatError(Buffer.from(`${header}\r\n`), rabobank).field).toBe('currency');
  });
});

describe('validateCsvProfile', () => {
  it('accepts the example profiles and returns a copy', () => {
    for (const p of [rabobank, ING_NL_CSV_PROFILE]) {
      const checked = validateCsvProfile(JSON.parse(JSON.stringify(p)));
      expect(checked).toEqual(p);
      expect(checked).not.toBe(p);
    }
  });

  it('compacts the account IBAN', () => {
    const p = validateCsvProfile({
      ...ING_NL_CSV_PROFILE,
      account: { iban: 'nl20 ingb 0001 2345 67', currency: 'EUR' },
    });
    expect(p.account).toEqual({ iban: 'NL20INGB0001234567', currency: 'EUR' });
  });

  const { amount: _amount, ...withoutAmount } = rabobank.columns;
  const { currency: _currency, ...withoutCurrency } = rabobank.columns;
  it.each([
    ['not an object', 'rabobank', /^profile must be an object/],
    ['unknown key', { ...rabobank, colums: {} }, /^colums is not one of/],
    ['no name', { ...rabobank, name: ' ' }, /^name /],
    ['separator', { ...rabobank, separator: '|' }, /^separator must be one of/],
    ['decimal', { ...rabobank, decimal: "'" }, /^decimal /],
    ['dateFormat', { ...rabobank, dateFormat: 'D/M/YY' }, /^dateFormat /],
    ['encoding', { ...rabobank, encoding: 'utf-16' }, /^encoding /],
    ['headerRows', { ...rabobank, headerRows: -1 }, /^headerRows /],
    ['headerRows fraction', { ...rabobank, headerRows: 1.5 }, /^headerRows /],
    ['no columns', { ...rabobank, columns: undefined }, /^columns must be an object/],
    ['no amount column', { ...rabobank, columns: withoutAmount }, /^columns.amount /],
    ['negative index', { ...rabobank, columns: { ...rabobank.columns, lineId: -1 } }, /^columns.lineId /],
    ['unknown column', { ...rabobank, columns: { ...rabobank.columns, saldo: 'Saldo' } }, /^columns.saldo is not/],
    ['names without a header row', { ...rabobank, headerRows: 0 }, /^columns.bookingDate names a header column/],
    ['unknown currency', { ...ING_NL_CSV_PROFILE, currency: 'EURO' }, /^currency /],
    ['no currency source', { ...rabobank, columns: withoutCurrency }, /^currency is needed/],
    ['account without currency', { ...rabobank, account: { iban: 'NL44RABO0123456789' } }, /^account.currency /],
    [
      'direction value both ways',
      {
        ...ING_NL_CSV_PROFILE,
        columns: { ...ING_NL_CSV_PROFILE.columns, direction: { column: 'Af Bij', credit: ['Bij'], debit: ['Bij'] } },
      },
      /^columns.direction has "Bij" as both/,
    ],
    [
      'direction without values',
      {
        ...ING_NL_CSV_PROFILE,
        columns: { ...ING_NL_CSV_PROFILE.columns, direction: { column: 'Af Bij', credit: [], debit: ['Af'] } },
      },
      /^columns.direction.credit /,
    ],
  ])('refuses %s', (_, profile, message) => {
    expect(() => validateCsvProfile(profile)).toThrow(RangeError);
    expect(() => validateCsvProfile(profile)).toThrow(message);
  });

  it('is applied by parseBankCsv too', () => {
    expect(() => parseBankCsv(Buffer.from(''), { ...rabobank, headerRows: -1 })).toThrow(RangeError);
  });
});
