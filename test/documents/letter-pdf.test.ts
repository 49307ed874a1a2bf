import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderLetterPdf } from '../../documents/letter-pdf.js';
import { dunningLetter } from '../../domain/letters.js';
import { named, pdftotextTool } from '../support/host-tools.js';

// The `letter` channel's PDF, read back with pdftotext: what the customer files or forwards must say all the
// mail says, with both addresses.
const letter = dunningLetter({
  language: 'nl',
  levelName: 'final_notice',
  nextLevelName: 'collection_agency',
  customerName: 'Bakkerij de Vries B.V.',
  letterDate: '2026-12-03',
  payBy: '2026-12-17',
  seller: { name: 'O2C Nederland B.V.', iban: 'NL91ABNA0417164300', bic: 'ABNANL2A' },
  items: [
    {
      invoiceNumber: 'NL1-INV-2026-000001',
      dueDate: '2026-10-01',
      amountOutstanding: 12_100,
      currency: 'EUR',
      paymentReference: 'RF18539007547034',
    },
    {
      invoiceNumber: 'NL1-INV-2026-000007',
      dueDate: '2026-10-20',
      amountOutstanding: 1_000,
      disputedAmount: 2_100,
      currency: 'EUR',
      paymentReference: 'RF71539007547035',
    },
  ],
});

const input = {
  seller: { name: 'O2C Nederland B.V.', street: 'Herengracht 1', postalCode: '1015 BA', city: 'Amsterdam' },
  recipient: { name: 'Bakkerij de Vries B.V.', street: 'Dorpsstraat 5', postalCode: '3512 AB', city: 'Utrecht' },
  date: '2026-12-03',
  subject: letter.subject,
  text: letter.text,
  language: 'nl',
};

describe.skipIf(!!pdftotextTool.skipReason)(named('dunning letter PDF', pdftotextTool), () => {
  it('carries the letter with the seller and the recipient addressed, dated as the letter', async () => {
    const pdf = await renderLetterPdf(input);
    const text = execFileSync(pdftotextTool.require(), ['-enc', 'UTF-8', '-', '-'], { input: pdf })
      .toString('utf8')
      .replace(/\s+/g, ' ');
    for (const expected of [
      'O2C Nederland B.V. Herengracht 1 1015 BA Amsterdam',
      'Bakkerij de Vries B.V. Dorpsstraat 5 3512 AB Utrecht',
      '2026-12-03',
      'Laatste aanmaning: 2 openstaande facturen',
      'NL1-INV-2026-000001, vervallen op 2026-10-01 (63 dagen te laat): EUR 121,00',
      '(EUR 21,00 in geschil wordt niet gevorderd)',
      'Totaal openstaand: EUR 131,00',
      'IBAN NL91ABNA0417164300',
      'incassobureau',
    ]) {
      expect(text).toContain(expected);
    }
    // The same input gives the same bytes: a retried run attaches the same file.
    const again = await renderLetterPdf(input);
    expect(again.equals(pdf)).toBe(true);
  });
});
