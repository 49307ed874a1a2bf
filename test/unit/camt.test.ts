import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invoicePaymentReference, isValidKid, isValidRfReference, kidMod10 } from '../../domain/payment-reference.js';
import { StatementFormatError } from '../../formats/bank-statement.js';
import { parseCamt } from '../../formats/camt.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/bank-files/${name}`, import.meta.url), 'utf8');

const ING = fixture('camt053-v02-ing-nl.xml');
const DNB = fixture('camt053-v08-dnb-no.xml');
const NORDEA = fixture('camt054-v08-nordea-no.xml');

/** `xml` with the one occurrence of `from` replaced; fails loudly when the fixture no longer has it exactly once. */
function edit(xml: string, from: string, to: string): string {
  const parts = xml.split(from);
  if (parts.length !== 2) throw new Error(`expected exactly one "${from}" in the fixture, found ${parts.length - 1}`);
  return parts.join(to);
}

function refusal(xml: string): StatementFormatError {
  try {
    parseCamt(xml);
  } catch (e) {
    if (e instanceof StatementFormatError) return e;
    throw e;
  }
  throw new Error('the file was accepted');
}

// The fee entry of the ING fixture (index 3): a debit without transaction details, handy to vary one field.
const FEE_AMOUNT = '<Amt Ccy="EUR">12.50</Amt>';
const FEE_CODE =
  '<Cd>ACMT</Cd>\n            <Fmly>\n              <Cd>MDOP</Cd>\n              <SubFmlyCd>CHRG</SubFmlyCd>';
const FEE_DIRECTION = `${FEE_AMOUNT}\n        <CdtDbtInd>DBIT</CdtDbtInd>`;
const FEE = { entryIndex: 3, entryRef: '20260302-000104' };

describe('camt.053.001.02 of a Dutch bank (ING/Rabobank layout)', () => {
  const statement = parseCamt(ING);

  it('reads the statement header', () => {
    expect(statement).toMatchObject({
      format: 'camt.053',
      version: 'camt.053.001.02',
      statementId: 'NL20INGB0001234567-2026-03-02',
      account: { iban: 'NL20INGB0001234567', currency: 'EUR' },
      createdAt: '2026-03-03T05:12:44',
    });
    expect(statement.account).toEqual({ iban: 'NL20INGB0001234567', currency: 'EUR' });
  });

  it('reads every entry, the batch booking as one entry per transaction, in file order', () => {
    expect(statement.entries).toEqual([
      {
        index: 0,
        lineId: '20260302-000101',
        amount: 121000,
        currency: 'EUR',
        direction: 'credit',
        status: 'BOOK',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-02',
        reversal: false,
        kind: 'transfer',
        returnReason: undefined,
        // "&amp;" in the file: the XML's own escapes are decoded even with entity processing off.
        counterparty: { name: 'Bakkerij de Vries & Zn B.V.', iban: 'NL44RABO0123456789', bic: 'RABONL2U' },
        remittance: { structured: ['RF81120260000124'], unstructured: undefined },
        endToEndId: 'NL1-INV-2026-000124',
      },
      {
        index: 1,
        lineId: '20260302-000102',
        amount: 49995,
        currency: 'EUR',
        direction: 'credit',
        status: 'BOOK',
        bookingDate: '2026-03-02', // date part of BookgDt/DtTm
        valueDate: '2026-03-02', // no ValDt: the booking date
        reversal: false,
        kind: 'transfer',
        returnReason: undefined,
        counterparty: { name: 'J. Jansen', iban: 'NL75ABNA0555555555', bic: 'ABNANL2A' },
        remittance: { structured: [], unstructured: 'Betaling factuur NL1-INV-2026-000123 klantnummer 4711' },
        endToEndId: undefined, // NOTPROVIDED
      },
      {
        index: 2,
        lineId: '20260302-000103',
        amount: 25000,
        currency: 'EUR',
        direction: 'debit',
        status: 'BOOK',
        bookingDate: '2026-03-02',
        valueDate: '2026-02-27',
        reversal: false,
        kind: 'return',
        returnReason: 'MD06',
        // The creditor of this debit is our own account (the original collection's): the debtor is the counterparty.
        counterparty: { name: 'Fietsenmaker Bos', iban: 'NL18TRIO0391234567', bic: 'TRIONL2U' },
        remittance: { structured: [], unstructured: 'Incasso factuur NL1-INV-2026-000098' },
        endToEndId: 'NL1-INV-2026-000098',
      },
      {
        index: 3,
        lineId: '20260302-000104',
        amount: 1250,
        currency: 'EUR',
        direction: 'debit',
        status: 'BOOK',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-01',
        reversal: false,
        kind: 'fee',
        returnReason: undefined,
        counterparty: { name: undefined, iban: undefined, bic: undefined },
        remittance: { structured: [], unstructured: undefined },
        endToEndId: undefined,
      },
      {
        index: 4,
        lineId: '20260302-000105-0001', // the transaction's own AcctSvcrRef
        amount: 10000,
        currency: 'EUR',
        direction: 'credit',
        status: 'BOOK',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-02',
        reversal: false,
        kind: 'direct_debit',
        returnReason: undefined,
        counterparty: { name: 'Kaasboerderij Hoeve Zonneveld', iban: 'NL39RABO0300065264', bic: 'RABONL2U' },
        remittance: { structured: [], unstructured: 'Factuur NL1-INV-2026-000110' },
        endToEndId: 'NL1-INV-2026-000110',
      },
      {
        index: 5,
        lineId: '20260302-000105#2', // none of its own: the entry's, numbered from 1 within the batch
        amount: 25050,
        currency: 'EUR',
        direction: 'credit',
        status: 'BOOK',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-02',
        reversal: false,
        kind: 'direct_debit',
        returnReason: undefined,
        counterparty: { name: 'Van Dijk Installatietechniek', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' },
        remittance: { structured: ['RF79 1202 6000 0012 40'], unstructured: undefined }, // print form, as written
        endToEndId: 'NL1-INV-2026-000111',
      },
      {
        index: 6,
        lineId: '20260302-000105#3',
        amount: 7525,
        currency: 'EUR',
        direction: 'credit',
        status: 'BOOK',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-02',
        reversal: false,
        kind: 'direct_debit',
        returnReason: undefined,
        counterparty: { name: 'Stichting De Groene Hoek', iban: 'NL09KNAB0255555555', bic: 'KNABNL2H' },
        remittance: { structured: [], unstructured: 'Contributie maart 2026' },
        endToEndId: 'NL1-INV-2026-000112',
      },
    ]);
  });

  it('carries valid RF creditor references, the ones our invoices print', () => {
    const [first, , , , , batchPart] = statement.entries;
    expect(first?.remittance.structured).toEqual([
      invoicePaymentReference('rf', { entityNo: 1, year: 2026, sequence: 124 }),
    ]);
    expect(isValidRfReference(first?.remittance.structured[0] ?? '')).toBe(true);
    expect(isValidRfReference(batchPart?.remittance.structured[0] ?? '')).toBe(true);
  });
});

describe('camt.053.001.08 of a Norwegian bank (DNB/Nordea layout)', () => {
  const statement = parseCamt(DNB);

  it('reads the statement header', () => {
    expect(statement).toMatchObject({
      format: 'camt.053',
      version: 'camt.053.001.08',
      statementId: 'DNB-86011117947-20260302',
      createdAt: '2026-03-03T04:30:00+01:00',
    });
    expect(statement.account).toEqual({ iban: 'NO9386011117947', currency: 'NOK' });
  });

  it('reads the .08 party shape (Dbtr/Pty/Nm, BICFI), a reversal and a proprietary-only code', () => {
    expect(statement.entries).toEqual([
      {
        index: 0,
        lineId: 'DNB2026030200017', // the entry's AcctSvcrRef wins over the transaction's
        amount: 1250000,
        currency: 'NOK',
        direction: 'credit',
        status: 'BOOK',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-02',
        reversal: false,
        kind: 'transfer',
        returnReason: undefined,
        counterparty: { name: 'Fjordkraft Møbler AS', iban: 'NO5712030012346', bic: 'SPRONO22' },
        remittance: { structured: ['2202600000459'], unstructured: undefined },
        endToEndId: 'FJM-20260302-7781',
      },
      {
        index: 1,
        lineId: 'DNB2026030200018',
        amount: 34900,
        currency: 'NOK',
        direction: 'credit',
        status: 'BOOK',
        bookingDate: '2026-03-02',
        valueDate: '2026-02-28',
        reversal: true,
        kind: 'card',
        returnReason: undefined,
        counterparty: { name: undefined, iban: undefined, bic: undefined },
        remittance: { structured: [], unstructured: undefined },
        endToEndId: undefined,
      },
      {
        index: 2,
        lineId: 'DNB2026030200019',
        amount: 4800000,
        currency: 'NOK',
        direction: 'debit',
        status: 'BOOK',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-02',
        reversal: false,
        kind: 'other',
        returnReason: undefined,
        counterparty: { name: 'Skatteetaten', iban: 'NO6315030212344', bic: 'DNBANOKK' },
        remittance: { structured: [], unstructured: 'Forskuddsskatt 1. termin 2026' },
        endToEndId: undefined,
      },
    ]);
  });

  it('carries a valid MOD10 KID, the one our invoices print', () => {
    const kid = statement.entries[0]?.remittance.structured[0] ?? '';
    expect(kid).toBe(kidMod10('220260000045'));
    expect(kid).toBe(invoicePaymentReference('kid', { entityNo: 2, year: 2026, sequence: 45 }));
    expect(isValidKid(kid, 'MOD10')).toBe(true);
  });
});

describe('camt.054.001.08 credit notification (Nordea layout)', () => {
  const notification = parseCamt(NORDEA);

  it('joins the ids of several notifications; a BBAN account; the currency from the first entry', () => {
    expect(notification).toMatchObject({
      format: 'camt.054',
      version: 'camt.054.001.08',
      statementId: 'NDEA054-20260302-01+NDEA054-20260302-02',
      createdAt: '2026-03-02T14:05:00+01:00',
    });
    expect(notification.account).toEqual({ number: '60010054322', currency: 'NOK' });
  });

  it('numbers the entries across notifications', () => {
    expect(notification.entries).toEqual([
      {
        index: 0,
        lineId: 'NDEA26030212345678',
        amount: 375000,
        currency: 'NOK',
        direction: 'credit',
        status: 'BOOK',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-02',
        reversal: false,
        kind: 'transfer',
        returnReason: undefined,
        // The payer's account is a BBAN (DbtrAcct/Id/Othr/Id): the model has no place for it.
        counterparty: { name: 'Hansen Bygg AS', iban: undefined, bic: 'DNBANOKK' },
        remittance: { structured: ['2202600000467'], unstructured: undefined },
        endToEndId: 'HB-2026-0302-01',
      },
      {
        index: 1,
        lineId: 'NDEA26030212345679-01', // no entry AcctSvcrRef: the transaction's
        amount: 99000,
        currency: 'NOK',
        direction: 'credit',
        status: 'BOOK',
        bookingDate: '2026-03-02',
        valueDate: '2026-03-03',
        reversal: false,
        kind: 'transfer',
        returnReason: undefined,
        counterparty: { name: 'Svensk Kontorsmaterial AB', iban: 'SE4550000000058398257466', bic: 'ESSESESS' },
        remittance: { structured: [], unstructured: 'Invoice NO2-INV-2026-000051' },
        endToEndId: 'SVK-88213',
      },
    ]);
    expect(isValidKid(notification.entries[0]?.remittance.structured[0] ?? '', 'MOD10')).toBe(true);
  });
});

describe('broken and hostile files', () => {
  it('refuses a non-numeric amount, naming the entry, its reference and the field', () => {
    const error = refusal(fixture('broken/camt053-amount-not-numeric.xml'));
    expect(error).toMatchObject({ field: 'Amt', entryIndex: 1, entryRef: 'RABO-2026-0302-0002' });
    expect(error.message).toContain('1.250,00');
  });

  it('refuses 3 decimals in EUR', () => {
    const error = refusal(fixture('broken/camt053-amount-3-decimals.xml'));
    expect(error).toMatchObject({ field: 'Amt', entryIndex: 1, entryRef: 'RABO-2026-0302-0002' });
    expect(error.message).toContain('99.995');
  });

  it('refuses an entry without BookgDt', () => {
    const error = refusal(fixture('broken/camt053-missing-bookgdt.xml'));
    expect(error).toMatchObject({ field: 'BookgDt', entryIndex: 1, entryRef: 'RABO-2026-0302-0002' });
    expect(error.message).toMatch(/entry 1 .*RABO-2026-0302-0002.*BookgDt/);
  });

  it('refuses malformed (truncated) XML', () => {
    const error = refusal(fixture('broken/malformed.xml'));
    expect(error).toMatchObject({ field: 'Document', entryIndex: undefined });
    expect(error.message).toContain('malformed XML');
  });

  it.each(['broken/billion-laughs.xml', 'broken/xxe.xml'])('refuses a DTD before parsing: %s', (name) => {
    const error = refusal(fixture(name));
    expect(error).toMatchObject({ field: 'Document', entryIndex: undefined });
    expect(error.message).toContain('DOCTYPE');
  });

  it('refuses a DOCTYPE in any letter case and a lone ENTITY declaration', () => {
    expect(refusal(`<!doctype Document>${ING.slice(ING.indexOf('<Document'))}`).field).toBe('Document');
    expect(refusal(edit(ING, '<BkToCstmrStmt>', '<!ENTITY x "y"><BkToCstmrStmt>')).field).toBe('Document');
  });

  it('refuses a pain.001 and other documents that are not camt.053/054 of a supported version', () => {
    expect(refusal(fixture('broken/pain001.xml')).message).toContain('pain.001.001.03');
    const namespace = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08';
    for (const other of ['camt.052.001.08', 'camt.053.001.01', 'camt.053.001.11', 'camt.053.001.8']) {
      const error = refusal(edit(DNB, namespace, `urn:iso:std:iso:20022:tech:xsd:${other}`));
      expect(error.field).toBe('Document');
    }
    expect(refusal(DNB.replace(/xmlns="[^"]*"/, '')).field).toBe('Document');
    expect(refusal('not xml at all').field).toBe('Document');
    expect(refusal('').field).toBe('Document');
  });

  it('refuses a namespace that does not match the message inside', () => {
    const error = refusal(edit(NORDEA, 'xsd:camt.054.001.08', 'xsd:camt.053.001.08'));
    expect(error).toMatchObject({ field: 'Document' });
    expect(error.message).toContain('BkToCstmrStmt');
  });
});

describe('entry status (Sts)', () => {
  const first = (xml: string) => parseCamt(xml).entries[0]!;
  // The ING fixture's first entry, written .02 style (a bare code); the DNB fixture's, .08 style (Sts/Cd).
  const ingFirst = (status: string) =>
    `1210.00</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>${status}</Sts>`;
  const ING_FIRST = ingFirst('BOOK');

  it('reads a pending or information-only entry in either shape, so it is never applied as money received', () => {
    expect(first(edit(ING, ING_FIRST, ingFirst('PDNG'))).status).toBe('PDNG');
    const dnb = DNB.replace('<Cd>BOOK</Cd>', '<Cd>INFO</Cd>');
    expect(first(dnb).status).toBe('INFO');
    expect(first(DNB).status).toBe('BOOK');
  });

  it('takes the value date of a pending entry the bank has not given a booking date yet', () => {
    const xml = edit(
      ING,
      `${ING_FIRST}\n        <BookgDt>\n          <Dt>2026-03-02</Dt>\n        </BookgDt>`,
      ingFirst('PDNG'),
    );
    expect(first(xml)).toMatchObject({ status: 'PDNG', bookingDate: first(ING).valueDate });
  });

  it('refuses a code that is no entry status, naming the entry and the field', () => {
    const error = refusal(edit(ING, ING_FIRST, ingFirst('BOOKED')));
    expect(error).toMatchObject({ field: 'Sts', entryIndex: 0 });
    expect(error.message).toContain('BOOKED');
  });
});

describe('validation of the whole file', () => {
  it.each([
    ['a negative amount', '<Amt Ccy="EUR">-12.50</Amt>', 'Amt', 'negative'],
    ['an amount without currency', '<Amt>12.50</Amt>', 'Amt', 'no currency'],
    ['a currency without known minor units', '<Amt Ccy="XAU">12.50</Amt>', 'Amt', 'XAU'],
    ['a decimal in JPY', '<Amt Ccy="JPY">12.5</Amt>', 'Amt', 'JPY has 0'],
    ['an amount beyond exact integers', '<Amt Ccy="EUR">90071992547409.92</Amt>', 'Amt', 'too large'],
    ['an exponent', '<Amt Ccy="EUR">1.25E1</Amt>', 'Amt', 'not a decimal'],
    ['an empty amount', '<Amt Ccy="EUR"></Amt>', 'Amt', 'missing Amt'],
    ['a missing amount', '', 'Amt', 'missing Amt'],
  ])('refuses %s', (_what, amount, field, message) => {
    const error = refusal(edit(ING, FEE_AMOUNT, amount));
    expect(error).toMatchObject({ field, ...FEE });
    expect(error.message).toContain(message);
  });

  it('converts the largest exact amount and amounts in a currency without decimals', () => {
    const fee = (amount: string) => parseCamt(edit(ING, FEE_AMOUNT, amount)).entries[3];
    expect(fee('<Amt Ccy="EUR">90071992547409.91</Amt>')?.amount).toBe(Number.MAX_SAFE_INTEGER);
    expect(fee('<Amt Ccy="JPY">1250</Amt>')).toMatchObject({ amount: 1250, currency: 'JPY' });
    expect(fee('<Amt Ccy="EUR">0012.5</Amt>')?.amount).toBe(1250);
  });

  it.each([
    ['an unknown CdtDbtInd', FEE_DIRECTION, `${FEE_AMOUNT}<CdtDbtInd>DEBIT</CdtDbtInd>`, 'CdtDbtInd'],
    ['a missing CdtDbtInd', FEE_DIRECTION, FEE_AMOUNT, 'CdtDbtInd'],
    ['a RvslInd that is not a boolean', FEE_DIRECTION, `${FEE_DIRECTION}<RvslInd>yes</RvslInd>`, 'RvslInd'],
    ['an impossible value date', '<Dt>2026-03-01</Dt>', '<Dt>2026-02-30</Dt>', 'ValDt'],
  ])('refuses %s', (_what, from, to, field) => {
    expect(refusal(edit(ING, from, to))).toMatchObject({ field, ...FEE });
  });

  it('refuses booking dates that are not dates or date-times', () => {
    const dateTime = '<DtTm>2026-03-02T09:41:17.000+01:00</DtTm>';
    const at = { field: 'BookgDt', entryIndex: 1, entryRef: '20260302-000102' };
    for (const bad of ['2026-03-02 09:41:17', '2026-03-02T24:00:00', '2026-13-02T09:41:17', '2026-03-02']) {
      expect(refusal(edit(ING, dateTime, `<DtTm>${bad}</DtTm>`))).toMatchObject(at);
    }
    expect(refusal(edit(ING, dateTime, '<Dt>2026-03-02T09:41:17</Dt>'))).toMatchObject(at);
    expect(refusal(edit(ING, dateTime, '<Dt>2025-02-29</Dt>'))).toMatchObject(at);
    expect(parseCamt(edit(ING, dateTime, '<Dt>2024-02-29</Dt>')).entries[1]?.bookingDate).toBe('2024-02-29');
  });

  it('refuses a batch whose transactions do not add up to the entry, or lack an amount', () => {
    const sum = refusal(edit(ING, '<Amt Ccy="EUR">75.25</Amt>', '<Amt Ccy="EUR">75.26</Amt>'));
    expect(sum).toMatchObject({ field: 'TxDtls/Amt', entryIndex: 4, entryRef: '20260302-000105' });
    const missing = refusal(edit(ING, '<Amt Ccy="EUR">250.50</Amt>', ''));
    expect(missing).toMatchObject({ field: 'TxDtls/Amt', entryIndex: 5, entryRef: '20260302-000105#2' });
    const currency = refusal(edit(ING, '<Amt Ccy="EUR">250.50</Amt>', '<Amt Ccy="USD">250.50</Amt>'));
    expect(currency).toMatchObject({ field: 'TxDtls/Amt', entryIndex: 5 });
  });

  it('refuses a file about two accounts, and a statement without Id or account', () => {
    const second = NORDEA.lastIndexOf('60010054322');
    const twoAccounts = `${NORDEA.slice(0, second)}60010099990${NORDEA.slice(second + '60010054322'.length)}`;
    expect(refusal(twoAccounts).field).toBe('Acct');
    expect(refusal(edit(DNB, '<Id>DNB-86011117947-20260302</Id>', '')).field).toBe('Stmt/Id');
    expect(refusal(DNB.replace('<IBAN>NO9386011117947</IBAN>', '')).field).toBe('Acct/Id');
    expect(refusal(DNB.replace(/<Stmt>[\s\S]*<\/Stmt>/, '')).field).toBe('Stmt');
  });

  it('takes the account currency from a balance when the statement has no entries and no Acct/Ccy', () => {
    const empty = edit(DNB.replace(/<Ntry>[\s\S]*<\/Ntry>/, ''), '<Ccy>NOK</Ccy>', '');
    expect(parseCamt(empty)).toMatchObject({ account: { iban: 'NO9386011117947', currency: 'NOK' }, entries: [] });
    expect(refusal(empty.replace(/<Bal>[\s\S]*<\/Bal>/, '')).field).toBe('Acct/Ccy');
  });
});

describe('kind from the bank transaction code', () => {
  const fee = (xml: string) => parseCamt(xml).entries[3];
  const code = (domain: string, family: string, subFamily: string) =>
    `<Cd>${domain}</Cd><Fmly><Cd>${family}</Cd><SubFmlyCd>${subFamily}</SubFmlyCd>`;

  it.each([
    ['PMNT', 'ICDT', 'ESCT', 'transfer'],
    ['PMNT', 'ICDT', 'RRTN', 'return'],
    ['PMNT', 'RDDT', 'ESDD', 'direct_debit'],
    ['PMNT', 'RDDT', 'UPDD', 'return'],
    ['PMNT', 'CCRD', 'POSD', 'card'],
    ['PMNT', 'MCRD', 'POSP', 'card'],
    ['PMNT', 'CCRD', 'CHRG', 'fee'],
    ['PMNT', 'CHRG', 'OTHR', 'fee'],
    ['ACMT', 'MDOP', 'FEES', 'fee'],
    ['PMNT', 'CNTR', 'CDPT', 'other'],
  ])('%s/%s/%s is %s', (domain, family, subFamily, kind) => {
    expect(fee(edit(ING, FEE_CODE, code(domain, family, subFamily)))?.kind).toBe(kind);
  });

  it('without a code: transfer for a credit, other for a debit', () => {
    const withoutCode = (xml: string, entryRef: string) =>
      xml.replace(new RegExp(`(<AcctSvcrRef>${entryRef}</AcctSvcrRef>\\s*)<BkTxCd>[\\s\\S]*?</BkTxCd>`), '$1');
    expect(parseCamt(withoutCode(ING, '20260302-000102')).entries[1]?.kind).toBe('transfer');
    expect(fee(withoutCode(ING, '20260302-000104'))?.kind).toBe('other');
  });
});

describe('XML variants banks send', () => {
  it('reads prefixed namespaces, a byte order mark and numeric character references', () => {
    const prefixed = DNB.replace(/<(\/?)(?=[A-Za-z])/g, '<$1ns2:').replace('xmlns=', 'xmlns:ns2=');
    expect(prefixed).toContain('<ns2:Document xmlns:ns2=');
    expect(parseCamt(prefixed)).toEqual(parseCamt(DNB));
    expect(parseCamt(`\uFEFF${DNB}`)).toEqual(parseCamt(DNB));
    const escaped = edit(DNB, 'Fjordkraft Møbler AS', 'Fjordkraft M&#248;bler &#x26;amp; S&lt;nn&gt;');
    expect(parseCamt(escaped).entries[0]?.counterparty.name).toBe('Fjordkraft Møbler &amp; S<nn>');
  });

  it.each(['04', '06', '10'])('accepts camt.053.001.%s with the same structure', (version) => {
    const xml = edit(DNB, 'xsd:camt.053.001.08', `xsd:camt.053.001.${version}`);
    expect(parseCamt(xml)).toEqual({ ...parseCamt(DNB), version: `camt.053.001.${version}` });
  });
});

describe('amounts to minor units', () => {
  it('is exact for any decimal with 0 to 2 decimals (checked with BigInt)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,13}(\.\d{1,2})?$/), (amount) => {
        const [whole = '', fraction = ''] = amount.split('.');
        const expected = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
        const entry = parseCamt(edit(ING, FEE_AMOUNT, `<Amt Ccy="EUR">${amount}</Amt>`)).entries[3];
        expect(BigInt(entry?.amount ?? -1)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any third decimal in EUR, even a zero', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,10}\.\d{3,5}$/), (amount) => {
        expect(refusal(edit(ING, FEE_AMOUNT, `<Amt Ccy="EUR">${amount}</Amt>`))).toMatchObject({
          field: 'Amt',
          ...FEE,
        });
      }),
      { numRuns: 100 },
    );
  });
});
