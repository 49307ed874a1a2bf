import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseBankCsv } from '../../formats/bank-csv.js';
import { type BankStatement, StatementFormatError } from '../../formats/bank-statement.js';
import { parseMt940 } from '../../formats/mt940.js';
import { detectFormat, parseBankFile } from '../../formats/parse-bank-file.js';
import { ING_NL_CSV_PROFILE } from '../support/bank-files.js';

// CAMT parsing has its own tests; here only what parseBankFile hands it (the decoded XML) and what it checks after.
const camt = vi.hoisted(() => ({ parseCamt: vi.fn<(xml: string) => BankStatement>() }));
vi.mock('../../formats/camt.js', () => camt);

const sample = (name: string): Buffer => readFileSync(new URL(`../fixtures/bank-files/${name}`, import.meta.url));

function formatError(f: () => unknown): StatementFormatError {
  try {
    f();
  } catch (e) {
    if (e instanceof StatementFormatError) return e;
    throw e;
  }
  throw new Error('expected a StatementFormatError');
}

const camt053 = (encoding = 'UTF-8', name = 'Caf\u00e9 Noord'): string =>
  `<?xml version="1.0" encoding="${encoding}"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt><GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2024-01-31T18:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>STMT-1</Id><Acct><Id><IBAN>NL20INGB0001234567</IBAN></Id><Ccy>EUR</Ccy><Ownr><Nm>${name}</Nm></Ownr></Acct></Stmt>
  </BkToCstmrStmt>
</Document>
`;

const camt054Prefixed = `\uFEFF<?xml version="1.0"?>
<!-- exported 2024-01-31 -->
<ns2:Document xmlns:ns2="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><ns2:BkToCstmrDbtCdtNtfctn/></ns2:Document>
`;

describe('detectFormat', () => {
  it.each([
    ['mt940-rabobank.sta', 'mt940'],
    ['mt940-abnamro.sta', 'mt940'],
    ['mt940-ing-unstructured.sta', 'mt940'],
    ['mt940-swift-envelope.sta', 'mt940'],
    ['csv-rabobank.csv', 'csv'],
    ['csv-ing.csv', 'csv'],
  ])('%s is %s', (name, format) => {
    expect(detectFormat(sample(name))).toBe(format);
  });

  it('camt.053 by the root element namespace', () => {
    expect(detectFormat(Buffer.from(camt053()))).toBe('camt.053');
  });

  it('camt.054 with a BOM, a comment and a namespace prefix', () => {
    expect(detectFormat(Buffer.from(camt054Prefixed))).toBe('camt.054');
  });

  it('MT940 of a day without entries (no :61:)', () => {
    const text = ':20:REF\r\n:25:NL20INGB0001234567\r\n:28C:1\r\n:60F:C240102EUR0,00\r\n:62F:C240102EUR0,00\r\n';
    expect(detectFormat(Buffer.from(text))).toBe('mt940');
  });

  it('a CSV that mentions a tag is still CSV', () => {
    expect(detectFormat(Buffer.from('Datum;Omschrijving\n20240101;":20: in de tekst"\n'))).toBe('csv');
  });

  it('refuses XML of another message rather than read it as CSV', () => {
    const pain = '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>';
    const e = formatError(() => detectFormat(Buffer.from(pain)));
    expect(e.field).toBe('format');
    expect(e.message).toMatch(/pain\.001/);
    expect(formatError(() => detectFormat(Buffer.from('<html><body/></html>'))).field).toBe('format');
  });
});

describe('parseBankFile', () => {
  beforeEach(() => {
    camt.parseCamt.mockReset();
  });

  it('MT940 detected and parsed', () => {
    const content = sample('mt940-swift-envelope.sta');
    expect(parseBankFile(content, {})).toEqual(parseMt940(content.toString('utf8')));
  });

  it('MT940 that is not valid UTF-8 is read as windows-1252', () => {
    const text = [
      ':20:REF',
      ':25:NL20INGB0001234567EUR',
      ':28C:1',
      ':60F:C240102EUR0,00',
      ':61:240102C12,50NTRFNONREF',
      ':86:Caf\u00e9 Noord factuur 12 \u20ac12,50',
      ':62F:C240102EUR12,50',
    ].join('\r\n');
    const windows1252 = Buffer.from(text.replace('\u20ac', '\x80'), 'latin1');
    expect(parseBankFile(windows1252, {}).entries[0]?.remittance.unstructured).toBe('Café Noord factuur 12 €12,50');
    expect(parseBankFile(Buffer.from(text, 'utf8'), {}).entries[0]?.remittance.unstructured).toBe(
      'Café Noord factuur 12 €12,50',
    );
  });

  it('CSV with a profile', () => {
    const content = sample('csv-ing.csv');
    expect(parseBankFile(content, { profile: ING_NL_CSV_PROFILE })).toEqual(parseBankCsv(content, ING_NL_CSV_PROFILE));
  });

  it('CSV without a profile names the profile as missing', () => {
    const e = formatError(() => parseBankFile(sample('csv-ing.csv'), {}));
    expect([e.field, e.entryIndex]).toEqual(['profile', undefined]);
    expect(e.message).toMatch(/needs a named profile/);
  });

  it("the caller's format wins over detection", () => {
    const e = formatError(() => parseBankFile(sample('csv-ing.csv'), { format: 'mt940' }));
    expect(e.field).toBe(':20:');
  });

  describe('CAMT', () => {
    const statement = (format: 'camt.053' | 'camt.054'): BankStatement => ({
      format,
      version: `${format}.001.02`,
      statementId: 'STMT-1',
      account: { iban: 'NL20INGB0001234567', currency: 'EUR' },
      entries: [],
    });

    it('hands UTF-8 XML to parseCamt as text', () => {
      camt.parseCamt.mockReturnValue(statement('camt.053'));
      expect(parseBankFile(Buffer.from(camt053(), 'utf8'), {})).toEqual(statement('camt.053'));
      expect(camt.parseCamt).toHaveBeenCalledWith(camt053());
    });

    it.each(['ISO-8859-1', 'windows-1252'])('respects encoding="%s"', (encoding) => {
      camt.parseCamt.mockReturnValue(statement('camt.053'));
      const xml = camt053(encoding, 'Caf\u00e9 \u20ac');
      parseBankFile(Buffer.from(xml.replace('\u20ac', '\x80'), 'latin1'), {});
      expect(camt.parseCamt).toHaveBeenCalledWith(xml);
    });

    it('refuses XML that is not valid UTF-8 and declares no other encoding', () => {
      const e = formatError(() => parseBankFile(Buffer.from(camt053(), 'latin1'), {}));
      expect(e.field).toBe('encoding');
      expect(camt.parseCamt).not.toHaveBeenCalled();
    });

    it('refuses an encoding it does not read', () => {
      const e = formatError(() => parseBankFile(Buffer.from(camt053('UTF-16')), { format: 'camt.053' }));
      expect(e.field).toBe('encoding');
    });

    it('refuses a camt.053 where the caller said camt.054', () => {
      camt.parseCamt.mockReturnValue(statement('camt.053'));
      const e = formatError(() => parseBankFile(Buffer.from(camt053()), { format: 'camt.054' }));
      expect(e.field).toBe('format');
      expect(e.message).toMatch(/camt\.053, not the camt\.054/);
    });
  });
});
