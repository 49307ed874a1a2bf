import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderStatementPdf, type StatementPdfInput } from '../../documents/statement-pdf.js';
import { named, pdftotextTool } from '../support/host-tools.js';

// The statement read back with pdftotext -layout, which keeps each table row on one line: what the customer
// reconciles against its own ledger must be there line by line, per currency.
const textOf = (pdf: Buffer): string =>
  execFileSync(pdftotextTool.require(), ['-layout', '-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
const flat = (text: string): string => text.replace(/\s+/g, ' ');

const seller = {
  name: 'O2C Nederland B.V.',
  street: 'Herengracht 1',
  postalCode: '1015 BA',
  city: 'Amsterdam',
  vatId: 'NL123456789B01',
  iban: 'NL91ABNA0417164300',
  bic: 'ABNANL2A',
};
const customer = { name: 'Bakkerij de Vries B.V.', street: 'Dorpsstraat 5', postalCode: '3512 AB', city: 'Utrecht' };

// As of 2026-12-03: 000001 is 63 days past due (61-90), 000007 not yet due (current, half paid), the NOK
// invoice 19 days past due (1-30).
const dutch: StatementPdfInput = {
  seller,
  customer,
  asOf: '2026-12-03',
  language: 'nl',
  lines: [
    {
      invoiceNumber: 'NL1-INV-2026-000001',
      issueDate: '2026-09-01',
      dueDate: '2026-10-01',
      daysOverdue: 63,
      total: 12_100,
      balance: 12_100,
      currency: 'EUR',
      paymentReference: 'RF18539007547034',
    },
    {
      invoiceNumber: 'NL1-INV-2026-000009',
      issueDate: '2026-10-15',
      dueDate: '2026-11-14',
      daysOverdue: 19,
      total: 250_000,
      balance: 250_000,
      currency: 'NOK',
      paymentReference: null,
    },
    {
      invoiceNumber: 'NL1-INV-2026-000007',
      issueDate: '2026-11-20',
      dueDate: '2026-12-20',
      daysOverdue: 0,
      total: 24_200,
      balance: 10_000,
      currency: 'EUR',
      paymentReference: 'RF71539007547035',
    },
  ],
  totals: {
    EUR: { current: 10_000, d1_30: 0, d31_60: 0, d61_90: 12_100, d90_plus: 0, total: 22_100 },
    NOK: { current: 0, d1_30: 250_000, d31_60: 0, d61_90: 0, d90_plus: 0, total: 250_000 },
  },
  charges: [{ invoiceNumber: 'NL1-INV-2026-000001', kind: 'compensation', owed: 4_000, currency: 'EUR' }],
  chargeTotals: { EUR: 4_000 },
};

describe.skipIf(!!pdftotextTool.skipReason)(named('statement of account PDF', pdftotextTool), () => {
  it('lists the open items, the aging per currency and the charges, in Dutch', async () => {
    const pdf = await renderStatementPdf(dutch);
    const text = textOf(pdf);
    const rows = text.split('\n').map((line) => flat(line).trim());
    for (const expected of [
      'O2C Nederland B.V. Herengracht 1 1015 BA Amsterdam Btw-nummer NL123456789B01',
      'Bakkerij de Vries B.V. Dorpsstraat 5 3512 AB Utrecht',
      'Rekeningoverzicht per 03-12-2026',
      'IBAN NL91 ABNA 0417 1643 00 (BIC ABNANL2A) ten name van O2C Nederland B.V.',
      'Wijkt dit overzicht af van uw administratie',
    ]) {
      expect(flat(text)).toContain(expected);
    }
    for (const row of [
      'NL1-INV-2026-000001 RF18539007547034 01-09-2026 01-10-2026 63 EUR 121,00 EUR 121,00',
      'NL1-INV-2026-000009 15-10-2026 14-11-2026 19 NOK 2.500,00 NOK 2.500,00',
      'NL1-INV-2026-000007 RF71539007547035 20-11-2026 20-12-2026 EUR 242,00 EUR 100,00',
      // current, 1-30, 31-60, 61-90, over 90, total
      'EUR 100,00 0,00 0,00 121,00 0,00 221,00',
      'NOK 0,00 2.500,00 0,00 0,00 0,00 2.500,00',
      'NL1-INV-2026-000001 Vergoeding incassokosten EUR 40,00',
      'Totaal kosten en rente EUR 40,00',
    ]) {
      expect(rows).toContain(row);
    }
    // The same input gives the same bytes: a statement sent twice is the same file.
    const again = await renderStatementPdf(dutch);
    expect(again.equals(pdf)).toBe(true);
  });

  it('says that nothing is open when there are no items and no charges, in English', async () => {
    const pdf = await renderStatementPdf({
      ...dutch,
      language: 'en',
      lines: [],
      totals: {},
      charges: [],
      chargeTotals: {},
    });
    const text = flat(textOf(pdf));
    expect(text).toContain('Statement of account as of 2026-12-03');
    expect(text).toContain('There are no open items on your account.');
    expect(text).not.toContain('Open balance');
    expect(text).not.toContain('IBAN');
  });

  it('repeats the table header on every page a long statement runs onto', async () => {
    const lines = Array.from({ length: 80 }, (_, i) => ({
      invoiceNumber: `NL1-INV-2026-${String(i + 1).padStart(6, '0')}`,
      issueDate: '2026-09-01',
      dueDate: '2026-10-01',
      daysOverdue: 63,
      total: 12_100,
      balance: 12_100,
      currency: 'EUR',
      paymentReference: 'RF18539007547034',
    }));
    const pdf = await renderStatementPdf({
      ...dutch,
      lines,
      totals: { EUR: { current: 0, d1_30: 0, d31_60: 0, d61_90: 968_000, d90_plus: 0, total: 968_000 } },
      charges: [],
      chargeTotals: {},
    });
    // pdftotext ends every page with a form feed.
    const pages = textOf(pdf).split('\f').slice(0, -1).map(flat);
    expect(pages).toHaveLength(2);
    // The header's first line ("Dagen te laat" wraps under it).
    const header = 'Factuur Betalingskenmerk Factuurdatum Vervaldatum Dagen te Bedrag Openstaand';
    expect(pages.map((page) => page.split(header).length - 1)).toEqual([1, 1]);
    expect(pages[1]).toContain('Rekeningoverzicht Bakkerij de Vries B.V., per 03-12-2026 (vervolg)');
    expect(pages[1]).toContain('NL1-INV-2026-000080');
    expect(pages[1]).toContain('EUR 0,00 0,00 0,00 9.680,00 0,00 9.680,00');
    expect(pages[1]).toContain('Pagina 2 van 2');
  });
});
