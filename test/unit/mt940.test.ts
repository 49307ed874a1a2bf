import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isValidDutchPaymentReference, rfReference } from '../../domain/payment-reference.js';
import { StatementFormatError } from '../../formats/bank-statement.js';
import { parseMt940 } from '../../formats/mt940.js';

// Sample files written from the SWIFT MT940 field layout and the Dutch banks' published :86: conventions; the :86:
// fields are wrapped at 65 characters (the tag not counted) as the banks do, splitting words and subfield codes.
const sample = (name: string): string =>
  readFileSync(new URL(`../fixtures/bank-files/${name}`, import.meta.url), 'utf8');

function formatError(text: string): StatementFormatError {
  try {
    parseMt940(text);
  } catch (e) {
    if (e instanceof StatementFormatError) return e;
    throw e;
  }
  throw new Error('expected a StatementFormatError');
}

describe('parseMt940: a file of several statements (a multi-day export)', () => {
  const rabobank = sample('mt940-rabobank.sta');
  // Day two as the bank continues it: the next :20:/:28C:, opening with the first day's closing balance.
  const nextDay = rabobank
    .replace(':940:\r\n', '')
    .replace(':20:940S240131', ':20:940S240201')
    .replace(':28C:00031', ':28C:00032')
    .replace(':60F:C240130EUR000000012500,00', ':60F:C240131EUR000000013964,50')
    .replace(':62F:C240131EUR000000013964,50', ':62F:C240201EUR000000015429,00');

  it('reads every statement of the account, entries numbered through the file, ids joined', () => {
    const one = parseMt940(rabobank);
    const both = parseMt940(rabobank + nextDay);
    expect(both.statementId).toBe('940S240131/00031+940S240201/00032');
    expect(both.account).toEqual(one.account);
    expect(both.entries.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(both.entries.slice(3).map(({ index: _, ...e }) => e)).toEqual(one.entries.map(({ index: _, ...e }) => e));
  });

  it('splits at each :20: whether or not the bank ends a message with "-"', () => {
    const withEnds = parseMt940(`${rabobank.trimEnd()}\r\n-\r\n${nextDay}`);
    expect(withEnds.entries).toHaveLength(6);
  });

  it('names the entry by its place in the file when a later statement has a bad line', () => {
    const broken = nextDay.replace('2401310201D000000000045,50N093', '2401310201D000000000045.50N093');
    const e = formatError(rabobank + broken);
    expect([e.field, e.entryIndex]).toEqual([':61:', 4]);
    expect(e.message).toMatch(/^statement 2: entry 4/);
  });
});

describe('parseMt940: Rabobank (structured :86:, counterparty account in the :61: details, CRLF)', () => {
  const statement = parseMt940(sample('mt940-rabobank.sta'));

  it('reads the statement after the :940: header line', () => {
    expect(statement).toEqual({
      format: 'mt940',
      version: 'MT940',
      statementId: '940S240131/00031',
      account: { iban: 'NL44RABO0123456789', number: undefined, currency: 'EUR' },
      entries: expect.any(Array),
    });
    expect(statement.createdAt).toBeUndefined();
    expect(statement.entries).toHaveLength(3);
  });

  it('credit with an RF creditor reference in /REMI/STRD/ISO/, wrapped mid-code at 65 characters', () => {
    expect(statement.entries[0]).toEqual({
      index: 0,
      lineId: undefined,
      amount: 121000,
      currency: 'EUR',
      direction: 'credit',
      bookingDate: '2024-01-31',
      valueDate: '2024-01-31',
      reversal: false,
      kind: 'transfer',
      returnReason: undefined,
      counterparty: { name: 'Bakkerij de Vries B.V.', iban: 'NL91ABNA0417164300', bic: undefined },
      remittance: { structured: [rfReference('20240017')], unstructured: undefined },
      endToEndId: 'E2E-INV-2024-0017',
    });
  });

  it('debit booked the day after its value date, /REMI/USTD// text wrapped mid-value', () => {
    expect(statement.entries[1]).toEqual({
      index: 1,
      lineId: undefined,
      amount: 4550,
      currency: 'EUR',
      direction: 'debit',
      bookingDate: '2024-02-01',
      valueDate: '2024-01-31',
      reversal: false,
      kind: 'other',
      returnReason: undefined,
      counterparty: { name: 'Kantoorhandel Jansen en Zonen', iban: 'NL20INGB0001234567', bic: undefined },
      remittance: { structured: [], unstructured: 'Factuur 2024-0042 printerpapier en toner' },
      endToEndId: undefined,
    });
  });

  it('EREF NOTPROVIDED is no end-to-end id; the ultimate debtor (ULTD) is not the counterparty', () => {
    expect(statement.entries[2]).toEqual({
      index: 2,
      lineId: undefined,
      amount: 30000,
      currency: 'EUR',
      direction: 'credit',
      bookingDate: '2024-01-31',
      valueDate: '2024-01-31',
      reversal: false,
      kind: 'transfer',
      returnReason: undefined,
      counterparty: { name: 'Stichting Groen', iban: 'NL12TRIO0198765432', bic: undefined },
      remittance: { structured: [], unstructured: 'Gift' },
      endToEndId: undefined,
    });
  });
});

describe('parseMt940: ABN AMRO (header lines, IBAN+currency in :25:, :28:, /TRTP/…/IBAN/… :86:)', () => {
  const statement = parseMt940(sample('mt940-abnamro.sta'));

  it('reads the statement between the ABNANL2A/940 header and the closing "-"', () => {
    expect(statement).toEqual({
      format: 'mt940',
      version: 'MT940',
      statementId: 'ABN AMRO BANK NV/24021/1',
      account: { iban: 'NL91ABNA0417164300', number: undefined, currency: 'EUR' },
      entries: expect.any(Array),
    });
    expect(statement.entries).toHaveLength(2);
  });

  it('SEPA OVERBOEKING with IBAN, BIC, NAME, plain REMI text and EREF NOTPROVIDED', () => {
    expect(statement.entries[0]).toEqual({
      index: 0,
      lineId: undefined,
      amount: 125000,
      currency: 'EUR',
      direction: 'credit',
      bookingDate: '2024-02-02',
      valueDate: '2024-02-02',
      reversal: false,
      kind: 'transfer',
      returnReason: undefined,
      counterparty: { name: 'Hoveniersbedrijf Van Leeuwen', iban: 'NL46RABO0307654321', bic: 'RABONL2U' },
      remittance: { structured: [], unstructured: 'Factuur 2024-0031 tuinonderhoud januari' },
      endToEndId: undefined,
    });
  });

  it('SEPA INCASSO with a Dutch betalingskenmerk in /REMI/STRD/CUR/, wrapped inside NAME and the reference', () => {
    expect(statement.entries[1]).toEqual({
      index: 1,
      lineId: undefined,
      amount: 8470,
      currency: 'EUR',
      direction: 'debit',
      bookingDate: '2024-02-02',
      valueDate: '2024-02-02',
      reversal: false,
      // ABN AMRO's own type code N247 says nothing the parser knows: a debit of unknown kind.
      kind: 'other',
      returnReason: undefined,
      counterparty: { name: 'Energiebedrijf Zuid B.V.', iban: 'NL68ABNA0502938710', bic: 'ABNANL2A' },
      remittance: { structured: ['3000202400000017'], unstructured: undefined },
      endToEndId: 'INC-2024-02-0042',
    });
    expect(isValidDutchPaymentReference('3000202400000017')).toBe(true);
  });
});

describe('parseMt940: ING older format (unstructured :86:, account number, statement-level :86:)', () => {
  const statement = parseMt940(sample('mt940-ing-unstructured.sta'));

  it('reads an account number followed by its currency, after the 0000 01INGBNL2A… header', () => {
    expect(statement).toEqual({
      format: 'mt940',
      version: 'MT940',
      statementId: 'P140220000000001/00000',
      account: { iban: undefined, number: '0001234567', currency: 'EUR' },
      entries: expect.any(Array),
    });
    expect(statement.entries).toHaveLength(2);
  });

  it('puts an unstructured :86: whole into remittance.unstructured, short lines joined with a space', () => {
    expect(statement.entries).toEqual([
      {
        index: 0,
        lineId: undefined,
        amount: 2503,
        currency: 'EUR',
        direction: 'credit',
        bookingDate: '2024-03-01',
        valueDate: '2024-03-01',
        reversal: false,
        kind: 'transfer',
        returnReason: undefined,
        counterparty: { iban: undefined },
        remittance: {
          structured: [],
          unstructured: '0001234567 Bakkerij de Vries inzake Factuur 2024-0050 EJ004GREENP01032024T1137',
        },
        endToEndId: undefined,
      },
      {
        index: 1,
        lineId: undefined,
        amount: 303,
        currency: 'EUR',
        direction: 'debit',
        bookingDate: '2024-03-01',
        valueDate: '2024-03-01',
        reversal: false,
        kind: 'other',
        returnReason: undefined,
        counterparty: { iban: undefined },
        remittance: { structured: [], unstructured: 'GPSEOUL SPOEDBETALING MPBZS1016000047 GPSEOUL' },
        endToEndId: undefined,
      },
    ]);
  });
});

describe('parseMt940: SWIFT envelope, ING structured :86: (CNTP), New Year, return, fee, reversal', () => {
  const statement = parseMt940(sample('mt940-swift-envelope.sta'));
  const vanLeeuwen = { name: 'Van Leeuwen BV', iban: 'NL46RABO0307654321', bic: 'RABONL2U' };

  it('reads block 4 of {1:}{2:}{4: … -}{5:}', () => {
    expect(statement).toEqual({
      format: 'mt940',
      version: 'MT940',
      statementId: 'P240101000000001/00001/001',
      account: { iban: 'NL20INGB0001234567', number: undefined, currency: 'EUR' },
      entries: expect.any(Array),
    });
    expect(statement.entries).toHaveLength(5);
  });

  it('value date 231231 with entry date 0101 is booked on 2024-01-01', () => {
    expect(statement.entries[0]).toEqual({
      index: 0,
      lineId: '00000000001001',
      amount: 150000,
      currency: 'EUR',
      direction: 'credit',
      bookingDate: '2024-01-01',
      valueDate: '2023-12-31',
      reversal: false,
      kind: 'transfer',
      returnReason: undefined,
      counterparty: vanLeeuwen,
      remittance: { structured: ['3000202400000017'], unstructured: undefined },
      endToEndId: 'E2E-2023-12-0099',
    });
  });

  it('NDDT is a direct debit (our collection batch)', () => {
    expect(statement.entries[1]).toEqual({
      index: 1,
      lineId: '00000000001002',
      amount: 240000,
      currency: 'EUR',
      direction: 'credit',
      bookingDate: '2024-01-01',
      valueDate: '2023-12-31',
      reversal: false,
      kind: 'direct_debit',
      returnReason: undefined,
      counterparty: { name: undefined, iban: undefined, bic: undefined },
      remittance: { structured: [], unstructured: 'TOTAAL 12 POSTEN' },
      endToEndId: undefined,
    });
  });

  it('a returned direct debit: NRTI with /RTRN/MD06/', () => {
    expect(statement.entries[2]).toEqual({
      index: 2,
      lineId: '00000000001003',
      amount: 20000,
      currency: 'EUR',
      direction: 'debit',
      bookingDate: '2024-01-02',
      valueDate: '2024-01-02',
      reversal: false,
      kind: 'return',
      returnReason: 'MD06',
      counterparty: { name: 'J. Jansen', iban: 'NL71INGB0009876543', bic: 'INGBNL2A' },
      remittance: { structured: [], unstructured: 'Terugboeking incasso december' },
      endToEndId: 'SDD-2023-12-0007',
    });
  });

  it('NCHG is a fee', () => {
    expect(statement.entries[3]).toEqual({
      index: 3,
      lineId: '00000000001004',
      amount: 750,
      currency: 'EUR',
      direction: 'debit',
      bookingDate: '2024-01-02',
      valueDate: '2024-01-02',
      reversal: false,
      kind: 'fee',
      returnReason: undefined,
      counterparty: { name: undefined, iban: undefined, bic: undefined },
      remittance: { structured: [], unstructured: 'Kosten betalingsverkeer december 2023' },
      endToEndId: undefined,
    });
  });

  it('RC reverses a credit: money out, reversal', () => {
    expect(statement.entries[4]).toEqual({
      index: 4,
      lineId: '00000000001005',
      amount: 150000,
      currency: 'EUR',
      direction: 'debit',
      bookingDate: '2024-01-02',
      valueDate: '2024-01-02',
      reversal: true,
      kind: 'transfer',
      returnReason: undefined,
      counterparty: vanLeeuwen,
      remittance: { structured: [], unstructured: 'Storno: dubbel geboekt' },
      endToEndId: 'E2E-2023-12-0099',
    });
  });
});

describe('parseMt940: :61: variants', () => {
  const statement = (lines: string[], closing: string): string =>
    [':20:REF1', ':25:NL20INGB0001234567', ':28C:1', ':60M:C240102EUR100,00', ...lines, `:62M:${closing}`].join('\n');

  it('RD with a funds code, C with a funds code, an entry date in the previous year, an S-type', () => {
    const parsed = parseMt940(
      statement(
        [
          ':61:2401021231RDR12,5NTRFNONREF//B1',
          ':61:240102CR1,NDDTNONREF',
          ':61:240102D0,01S103MYREF//B3',
          ':86:plain text',
        ],
        'C240102EUR113,49',
      ),
    );
    expect(parsed.statementId).toBe('REF1/1');
    expect(
      parsed.entries.map(({ amount, direction, reversal, kind, bookingDate, valueDate, lineId }) => ({
        amount,
        direction,
        reversal,
        kind,
        bookingDate,
        valueDate,
        lineId,
      })),
    ).toEqual([
      {
        amount: 1250,
        direction: 'credit',
        reversal: true,
        kind: 'transfer',
        bookingDate: '2023-12-31',
        valueDate: '2024-01-02',
        lineId: 'B1',
      },
      {
        amount: 100,
        direction: 'credit',
        reversal: false,
        kind: 'direct_debit',
        bookingDate: '2024-01-02',
        valueDate: '2024-01-02',
        lineId: undefined,
      },
      {
        amount: 1,
        direction: 'debit',
        reversal: false,
        kind: 'other',
        bookingDate: '2024-01-02',
        valueDate: '2024-01-02',
        lineId: 'B3',
      },
    ]);
    expect(parsed.entries[2]?.remittance).toEqual({ structured: [], unstructured: 'plain text' });
  });
});

describe('parseMt940: broken files name the entry and the tag', () => {
  const envelope = sample('mt940-swift-envelope.sta');
  const returnLine = ':61:2401020102D200,00NRTIEREF//00000000001003';
  const withReturnLine = (line: string): string => envelope.replace(returnLine, line);

  it.each([
    ['unparseable :61:', ':61:2401020102X200,00NRTIEREF//00000000001003', /not a statement line/],
    ['value date not in the calendar', ':61:2402300102D200,00NRTIEREF//00000000001003', /value date "240230"/],
    ['entry date not in the calendar', ':61:2401021302D200,00NRTIEREF//00000000001003', /entry date "1302"/],
    ['more decimals than EUR has', ':61:2401020102D200,001NRTIEREF//00000000001003', /3 decimals but EUR has 2/],
    ['thousands separator', ':61:2401020102D2.000,00NRTIEREF//00000000001003', /not a statement line/],
    ['no reference for the account owner', ':61:2401020102D200,00NRTI//00000000001003', /references/],
  ])('%s', (_, line, message) => {
    const e = formatError(withReturnLine(line));
    expect(e.field).toBe(':61:');
    expect(e.entryIndex).toBe(2);
    expect(e.entryRef).toBe('00000000001003');
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/^entry 2 \(00000000001003\): :61: /);
  });

  it('an entry without a bank reference has no entryRef', () => {
    const e = formatError(envelope.replace(':61:2401020102D7,50NCHGNONREF//00000000001004', ':61:2401020102D7;50NCHG'));
    expect([e.field, e.entryIndex, e.entryRef]).toEqual([':61:', 3, undefined]);
  });

  it('a :61: before any opening balance has no currency', () => {
    const e = formatError(envelope.replace(':60F:C231229EUR10000,00\r\n', ''));
    expect([e.field, e.entryIndex, e.entryRef]).toEqual([':61:', 0, undefined]);
    expect(e.message).toMatch(/no opening balance/);
  });

  it.each([
    ['missing :20:', ':20:P240101000000001\r\n', ':20:'],
    ['missing :25:', ':25:NL20INGB0001234567EUR\r\n', ':25:'],
    ['truncated before :62F:', /:62F:[\s\S]*$/, ':62F:'],
  ])('%s', (_, cut, field) => {
    const e = formatError(envelope.replace(cut, ''));
    expect([e.field, e.entryIndex]).toEqual([field, undefined]);
  });

  it('missing :60F: in a statement without entries', () => {
    const e = formatError(':20:REF\n:25:NL20INGB0001234567\n:28C:1\n:62F:C240102EUR0,00\n');
    expect([e.field, e.entryIndex]).toEqual([':60F:', undefined]);
  });

  it('a closing balance the entries do not add up to', () => {
    const e = formatError(envelope.replace(':62F:C240102EUR12192,50', ':62F:C240102EUR12192,49'));
    expect(e.field).toBe(':62F:');
    expect(e.message).toMatch(/1219249 is not the opening balance 1000000 plus the entries \(1219250\)/);
  });

  it('a balance date not in the calendar', () => {
    expect(formatError(envelope.replace(':60F:C231229', ':60F:C231329')).field).toBe(':60F:');
  });

  it(':25: currency other than the balances', () => {
    expect(formatError(envelope.replace(':25:NL20INGB0001234567EUR', ':25:NL20INGB0001234567USD')).field).toBe(':25:');
  });

  it('a later statement of another account, naming the statement', () => {
    const other = envelope.replace(':25:NL20INGB0001234567EUR', ':25:NL91ABNA0417164300EUR');
    const e = formatError(envelope + other);
    expect(e.field).toBe(':25:');
    expect(e.message).toMatch(/statement 2 is of account NL91ABNA0417164300 EUR.*NL20INGB0001234567 EUR/);
  });

  it('a later statement that does not add up, naming the statement', () => {
    const e = formatError(envelope + envelope.replace(':62F:C240102EUR12192,50', ':62F:C240102EUR12192,49'));
    expect(e.field).toBe(':62F:');
    expect(e.message).toMatch(/^statement 2: :62F: closing balance 1219249/);
  });

  it('an unknown tag', () => {
    expect(formatError(envelope.replace(':28C:', ':99:')).field).toBe(':99:');
  });

  it('a continuation line on a one-line tag', () => {
    expect(formatError(envelope.replace(':28C:00001/001', ':28C:00001/001\r\nextra')).field).toBe(':28C:');
  });

  it('not MT940 at all', () => {
    expect(formatError('Datum;Bedrag\n20240101;1,00\n').field).toBe(':20:');
  });
});
