/**
 * The invoice PDF: every fixture document rendered in the languages its customer could speak, its text read
 * back with pdftotext (Debian package poppler-utils; these tests fail and say so when it is missing) and checked
 * for the content VAT Directive art. 226 and the Norwegian bokføringsforskriften § 5-1-1 require.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  buildInvoiceDocument,
  type InvoiceDocument,
  type InvoiceDocumentInput,
} from '../../domain/invoice-document.js';
import { formatMoney } from '../../domain/money.js';
import { EU_MEMBER_STATES, type VatBreakdownEntry } from '../../domain/tax.js';
import {
  fillTemplate,
  formatAccount,
  formatDate,
  formatPercent,
  formatQuantity,
  renderInvoicePdf,
  toWinAnsi,
} from '../../documents/pdf.js';
import { PDF_LABELS, PDF_LANGUAGES, type PdfLanguage } from '../../documents/pdf-labels.js';
import { named, pdftotextTool } from '../support/host-tools.js';
import * as fixtures from './fixtures.js';

/** A Norwegian credit note for part of the domestic NO invoice (two lines returned). */
const creditNoteNo: InvoiceDocumentInput = {
  ...fixtures.domesticNo,
  type: 'credit-note',
  number: 'KN-2026-0012',
  issueDate: '2026-11-20',
  precedingInvoice: { number: fixtures.domesticNo.number, issueDate: fixtures.domesticNo.issueDate },
  note: 'Retur av ødelagte varer, jf. reklamasjon 2026-118',
  lines: [
    {
      ...fixtures.domesticNo.lines[0]!,
      description: 'Kaffebønner 1 kg (knust emballasje)',
      quantityThousandths: 6_000,
    },
    { ...fixtures.domesticNo.lines[2]!, quantityThousandths: 1_000 },
  ],
};

/** Each document with the languages its customer could read it in. */
const matrix: readonly { name: string; input: InvoiceDocumentInput; languages: readonly PdfLanguage[] }[] = [
  { name: 'domestic NL, 21/9/0 %, discounts and a charge', input: fixtures.domesticNl, languages: ['nl', 'en'] },
  { name: 'domestic NO in NOK', input: fixtures.domesticNo, languages: ['nb', 'en'] },
  { name: 'reverse charge BE -> NL (AE)', input: fixtures.reverseChargeBeNl, languages: ['nl', 'en', 'de', 'nb'] },
  { name: 'intra-community supply DE -> NL (K)', input: fixtures.intraCommunityDeNl, languages: ['de', 'nl', 'en'] },
  { name: 'export NL -> US (G) in USD', input: fixtures.exportNlUs, languages: ['en'] },
  { name: 'credit note NL', input: fixtures.creditNoteNl, languages: ['nl', 'en', 'de'] },
  { name: 'credit note NO', input: creditNoteNo, languages: ['nb', 'en'] },
  { name: 'awkward rounding over several pages', input: fixtures.awkwardRounding, languages: ['nl'] },
  { name: 'outside the scope of VAT (O)', input: fixtures.outsideScopeNl, languages: ['nl', 'en'] },
];

/** The PDF's text laid out as on the page (pdftotext -layout), pages separated by form feeds. */
function pdfText(pdf: Buffer): string {
  return execFileSync(pdftotextTool.require(), ['-layout', '-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
}

/** No-break spaces (nb amounts, "21 %") read as spaces; runs of white space as one. */
// pdftotext drops the no-break space of "19 %" (de, nb), so rates compare without it.
const flat = (s: string): string =>
  s
    .replace(/\u00A0/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ %/g, '%')
    .trim();
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * For text that may wrap in a narrow column: its words in order, allowing what pdftotext -layout puts between
 * them when a neighbouring column shares the line.
 */
function expectWrapped(text: string, phrase: string): void {
  const words = flat(phrase).split(' ').map(escape);
  expect(text, `"${phrase}" (possibly wrapped)`).toMatch(new RegExp(words.join('\\s(?:.{0,160}?\\s)?')));
}

function expectContains(text: string, phrase: string): void {
  expect(text, `"${phrase}"`).toContain(flat(phrase));
}

function categoryName(b: VatBreakdownEntry, language: PdfLanguage): string {
  const l = PDF_LABELS[language];
  if (b.code === 'S') return formatPercent(b.rateBp, language);
  if (b.code === 'Z') return `${formatPercent(0, language)} ${l.vatCategory.Z}`;
  return l.vatCategory[b.code];
}

/** Everything art. 226 / bokføringsforskriften § 5-1-1 asks for, in the language's words. */
function expectLegalContent(doc: InvoiceDocument, language: PdfLanguage, raw: string): void {
  const l = PDF_LABELS[language];
  const text = flat(raw);
  const isInvoice = doc.type === 'invoice';
  const money = (minor: number): string => formatMoney({ amount: minor, currency: doc.currency }, l.locale);
  const number = (minor: number): string => money(minor).slice(doc.currency.length + 1);
  const date = (iso: string): string => formatDate(iso, language);

  // Title, number and dates.
  expectContains(text, (isInvoice ? l.title.invoice : l.title.creditNote).toUpperCase());
  expectContains(text, `${isInvoice ? l.number.invoice : l.number.creditNote} ${doc.number}`);
  expectContains(text, `${isInvoice ? l.issueDate.invoice : l.issueDate.creditNote} ${date(doc.issueDate)}`);
  if (isInvoice) expectContains(text, `${l.dueDate} ${date(doc.dueDate)}`);
  else expect(text).not.toContain(l.dueDate);
  if (doc.delivery?.date !== undefined) expectContains(text, `${l.deliveryDate} ${date(doc.delivery.date)}`);
  if (doc.precedingInvoice !== undefined) {
    expectWrapped(
      text,
      `${l.correctsInvoice} ${fillTemplate(l.precedingInvoice, { number: doc.precedingInvoice.number, date: date(doc.precedingInvoice.issueDate) })}`,
    );
  }

  // Both parties: name, address, identifiers.
  for (const party of [doc.seller, doc.buyer]) {
    expectContains(text, party.name);
    expectContains(text, party.address.street);
    expectContains(text, `${party.address.postalCode} ${party.address.city}`);
    expectContains(text, (l.countries as Record<string, string>)[party.address.country] ?? party.address.country);
    if (party.vatId !== undefined) expectContains(text, `${l.vatId} ${party.vatId}`);
    if (party.legalId !== undefined) {
      const names = l.registration as Record<string, string>;
      expectContains(text, `${names[party.legalId.scheme] ?? l.registration.other} ${party.legalId.id}`);
    }
  }
  if (doc.seller.taxRegistration !== undefined) expectContains(text, doc.seller.taxRegistration);

  // Lines: one table row each with quantity, unit, unit price, discount (when any line has one), VAT rate, net.
  const hasDiscount = doc.lines.some((line) => line.allowanceAmount !== 0);
  for (const line of doc.lines) {
    const unit = (l.units as Record<string, string>)[line.unitCode ?? 'C62'] ?? line.unitCode;
    const cells = [
      line.id,
      line.description,
      formatQuantity(line.quantityThousandths, language),
      unit,
      number(line.unitPrice),
      ...(hasDiscount && line.allowanceAmount !== 0 ? [`-${number(line.allowanceAmount)}`] : []),
      line.vat.code === 'O' ? '–' : formatPercent(line.vat.rateBp, language),
      number(line.netAmount),
    ];
    expectContains(text, cells.join(' '));
  }
  for (const ac of doc.allowancesCharges) {
    expectContains(text, ac.reason);
    expectContains(text, `${ac.kind === 'allowance' ? '-' : ''}${number(ac.resolvedAmount)}`);
  }

  // VAT breakdown per category and rate, with the reason for the categories that need one.
  for (const b of doc.vatBreakdown) {
    expectWrapped(text, categoryName(b, language));
    expectContains(text, `${number(b.taxableAmount)} ${number(b.taxAmount)}`);
    if (b.code === 'AE' || b.code === 'K' || b.code === 'G' || b.code === 'E' || b.code === 'O') {
      expectWrapped(text, l.exemption[b.code]);
      if ((b.code === 'K' || b.code === 'G') && EU_MEMBER_STATES.has(doc.seller.address.country)) {
        expectWrapped(text, fillTemplate(l.directiveArticle, { article: b.code === 'K' ? '138' : '146' }));
      }
    }
  }

  // Totals.
  const t = doc.totals;
  expectContains(text, `${l.totals.totalWithoutVat} ${money(t.totalWithoutVat)}`);
  expectContains(text, `${l.totals.vat} ${money(t.vatTotal)}`);
  expectContains(text, `${l.totals.totalWithVat} ${money(t.totalWithVat)}`);
  if (t.allowanceTotal !== 0) expectContains(text, `${l.totals.allowances} ${money(-t.allowanceTotal)}`);
  if (t.chargeTotal !== 0) expectContains(text, `${l.totals.charges} ${money(t.chargeTotal)}`);
  expectContains(
    text,
    `${isInvoice ? l.totals.amountDue.invoice : l.totals.amountDue.creditNote} ${money(t.amountDue)}`,
  );

  // Payment: terms, account, structured reference.
  const account = doc.payment.account;
  const accountLabel = /^[A-Z]{2}\d{2}/.test(account.id) ? l.payment.iban : l.payment.account;
  expectContains(text, `${accountLabel} ${formatAccount(account.id)}`);
  if (account.bic !== undefined) expectContains(text, `${l.payment.bic} ${account.bic}`);
  expectContains(text, doc.payment.reference);
  if (isInvoice) {
    const terms = doc.paymentTermsText ?? fillTemplate(l.payment.termsDays, { days: String(doc.paymentTermsDays) });
    expectWrapped(text, `${l.payment.terms} ${terms}`);
  }
}

describe('PDF labels', () => {
  const shape = (value: unknown, path = ''): string[] =>
    typeof value === 'object' && value !== null
      ? Object.entries(value).flatMap(([k, v]) => shape(v, path === '' ? k : `${path}.${k}`))
      : [`${path}:${typeof value}`];

  it.each(PDF_LANGUAGES)('%s has every key of every other language, none empty', (language) => {
    const keys = shape(PDF_LABELS[language]).sort();
    for (const other of PDF_LANGUAGES) expect(keys, `${language} vs ${other}`).toEqual(shape(PDF_LABELS[other]).sort());
    const strings = (value: unknown): string[] =>
      typeof value === 'string'
        ? [value]
        : typeof value === 'object' && value !== null
          ? Object.values(value).flatMap(strings)
          : [];
    for (const s of strings(PDF_LABELS[language])) expect(s.trim()).not.toBe('');
  });

  it('uses the same {placeholders} in every language', () => {
    const placeholders = (language: PdfLanguage): Record<string, string[]> => {
      const out: Record<string, string[]> = {};
      const walk = (value: unknown, path: string): void => {
        if (typeof value === 'string') out[path] = [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
        else if (typeof value === 'object' && value !== null)
          for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
      };
      walk(PDF_LABELS[language], '');
      return out;
    };
    for (const language of PDF_LANGUAGES) expect(placeholders(language), language).toEqual(placeholders('en'));
  });

  it('prints only characters Helvetica (WinAnsi) has', () => {
    const strings = (value: unknown): string[] =>
      typeof value === 'string'
        ? [value]
        : typeof value === 'object' && value !== null
          ? Object.values(value).flatMap(strings)
          : [];
    for (const language of PDF_LANGUAGES) {
      for (const s of strings(PDF_LABELS[language])) expect(toWinAnsi(s), `${language}: ${s}`).toBe(s);
    }
  });
});

describe('formatting', () => {
  it('formats dates per language', () => {
    expect(formatDate('2026-11-22', 'nl')).toBe('22-11-2026');
    expect(formatDate('2026-11-22', 'de')).toBe('22.11.2026');
    expect(formatDate('2026-11-22', 'nb')).toBe('22.11.2026');
    expect(formatDate('2026-11-22', 'en')).toBe('2026-11-22');
  });

  it('formats quantities with up to three decimals and rates with the locale separator', () => {
    expect(formatQuantity(12_000, 'nl')).toBe('12');
    expect(formatQuantity(37_500, 'nl')).toBe('37,5');
    expect(formatQuantity(4_250, 'en')).toBe('4.25');
    expect(formatQuantity(1_333, 'de')).toBe('1,333');
    expect(formatQuantity(1_234_567, 'de')).toBe('1.234,567');
    expect(formatQuantity(333, 'en')).toBe('0.333');
    expect(formatPercent(2100, 'nl')).toBe('21%');
    expect(formatPercent(1250, 'nb')).toBe('12,5\u00A0%');
    expect(formatPercent(1900, 'de')).toBe('19\u00A0%');
    expect(formatPercent(550, 'en')).toBe('5.5%');
  });

  it('prints an IBAN in groups of four and a Norwegian account as 4.2.5', () => {
    expect(formatAccount('NL91ABNA0417164300')).toBe('NL91 ABNA 0417 1643 00');
    expect(formatAccount('86011117947')).toBe('8601.11.17947');
    expect(formatAccount('12-34-56 7890')).toBe('12-34-56 7890');
  });

  it('keeps WinAnsi text and degrades the rest to base letters or "?"', () => {
    expect(toWinAnsi('Kaffebønner æøå ÆØÅ Rheinuferstraße Düsseldorf € – „“')).toBe(
      'Kaffebønner æøå ÆØÅ Rheinuferstraße Düsseldorf € – „“',
    );
    expect(toWinAnsi('Łódź Dvořák ő ﬁ')).toBe('Lódz Dvorák o fi');
    expect(toWinAnsi('Ωμέγα Привет')).toBe('????? ??????');
    expect(toWinAnsi('a\tb\r\nc')).toBe('a b \nc');
  });
});

describe.skipIf(!!pdftotextTool.skipReason)(named('invoice PDF', pdftotextTool), () => {
  const cases = matrix.flatMap(({ name, input, languages }) =>
    languages.map((language) => ({ name, input, language })),
  );

  it.each(cases)('$name ($language): a PDF with every legally required field', async ({ input, language }) => {
    const doc = buildInvoiceDocument(input);
    const pdf = await renderInvoicePdf(doc, { language });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
    expectLegalContent(doc, language, pdfText(pdf));
  });

  it.each(PDF_LANGUAGES)('renders every fixture in %s', async (language) => {
    for (const { input } of matrix) {
      const doc = buildInvoiceDocument(input);
      const text = flat(pdfText(await renderInvoicePdf(doc, { language })));
      expect(text).toContain(doc.number);
      expect(text).toContain(
        flat(formatMoney({ amount: doc.totals.amountDue, currency: doc.currency }, PDF_LABELS[language].locale)),
      );
    }
  });

  it('states the reverse charge in the words each language uses', async () => {
    const doc = buildInvoiceDocument(fixtures.reverseChargeBeNl);
    const expected: Record<PdfLanguage, string> = {
      nl: 'Btw verlegd',
      en: 'Reverse charge',
      de: 'Steuerschuldnerschaft des Leistungsempfängers',
      nb: 'Omvendt avgiftsplikt',
    };
    for (const language of PDF_LANGUAGES) {
      expect(flat(pdfText(await renderInvoicePdf(doc, { language })))).toContain(expected[language]);
    }
  });

  it('titles a German credit note "Rechnungskorrektur", never "Gutschrift" (reserved for self-billing)', async () => {
    const text = flat(pdfText(await renderInvoicePdf(buildInvoiceDocument(fixtures.creditNoteNl), { language: 'de' })));
    expect(text).toContain('RECHNUNGSKORREKTUR');
    expect(text).toContain('Korrektur zu Rechnung INV-2026-000101 vom 02.11.2026');
    expect(text).not.toMatch(/gutschrift/i);
  });

  it('titles credit notes in Dutch and Norwegian and refers to the corrected invoice', async () => {
    const nl = flat(pdfText(await renderInvoicePdf(buildInvoiceDocument(fixtures.creditNoteNl), { language: 'nl' })));
    expect(nl).toContain('CREDITNOTA');
    expect(nl).toContain('Correctie op factuur INV-2026-000101 van 02-11-2026');
    const nb = flat(pdfText(await renderInvoicePdf(buildInvoiceDocument(creditNoteNo), { language: 'nb' })));
    expect(nb).toContain('KREDITNOTA');
    expect(nb).toContain('Krediterer faktura F-2026-7788 datert 02.11.2026');
  });

  it('shows the Norwegian seller as org.nr., MVA and Foretaksregisteret, amounts with space grouping and the KID', async () => {
    const doc = buildInvoiceDocument(fixtures.domesticNo);
    const text = flat(pdfText(await renderInvoicePdf(doc, { language: 'nb' })));
    expect(text).toContain('MVA-nr. NO974760673MVA');
    expect(text).toContain('Org.nr. 974760673');
    expect(text).toContain('Foretaksregisteret');
    expect(text).toContain(`KID ${doc.payment.reference}`);
    expect(text).toContain('Kontonummer 8601.11.17947');
    expect(text).toContain('Kaffebønner 1 kg');
    expect(text).toMatch(/Å betale NOK \d{1,3}( \d{3})*,\d{2}/);
  });

  it('prints fractional quantities with their decimals', async () => {
    const rc = buildInvoiceDocument(fixtures.reverseChargeBeNl);
    expect(flat(pdfText(await renderInvoicePdf(rc, { language: 'en' })))).toMatch(
      /Engineering hours 37\.5 h .* Travel time 4\.25 h/,
    );
    expect(flat(pdfText(await renderInvoicePdf(rc, { language: 'nl' })))).toMatch(
      /Engineering hours 37,5 uur .* Travel time 4,25 uur/,
    );
    const awkward = flat(
      pdfText(await renderInvoicePdf(buildInvoiceDocument(fixtures.awkwardRounding), { language: 'nl' })),
    );
    expect(awkward).toContain('Advies 1,333 uur 95,55 21% 127,37');
    expect(awkward).toContain('Tape 0,333 st. 10,01 -0,42 21% 2,91');
  });

  it('continues a long document on further pages with the table header repeated and pages numbered', async () => {
    const pages = pdfText(await renderInvoicePdf(buildInvoiceDocument(fixtures.awkwardRounding), { language: 'nl' }))
      .split('\f')
      .filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      expect(flat(page)).toContain(`Pagina ${i + 1} van ${pages.length}`);
      expect(flat(page)).toContain('Noordzee Groothandel B.V.'); // the footer
    });
    expect(flat(pages[1]!)).toContain('Factuur INV-2026-000103 (vervolg)');
    expect(flat(pages[1]!)).toMatch(/# Omschrijving Aantal Eenheid Prijs Korting Btw Bedrag/);
  });

  it('is deterministic: the same document gives the same bytes, dated by its issue date', async () => {
    const doc = buildInvoiceDocument(fixtures.domesticNl);
    const a = await renderInvoicePdf(doc, { language: 'nl' });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a clock read anywhere would now differ
    const b = await renderInvoicePdf(doc, { language: 'nl' });
    expect(a.equals(b)).toBe(true);
    const raw = a.toString('latin1');
    expect(raw).toContain('(D:20261102000000Z)');
    expect(raw).toContain('/Lang (nl)');
  });

  it('rejects a language it has no labels for', async () => {
    const doc = buildInvoiceDocument(fixtures.domesticNl);
    await expect(renderInvoicePdf(doc, { language: 'fr' as PdfLanguage })).rejects.toThrow(/language "fr"/);
  });

  it('prints an exemption reason the caller gave, with the article its VATEX code names', async () => {
    const doc = buildInvoiceDocument({
      ...fixtures.domesticNl,
      allowancesCharges: [],
      lines: [
        {
          sku: 'COURSE',
          description: 'Cursus broodbakken',
          quantityThousandths: 1_000,
          unitPrice: 50_000,
          vat: {
            code: 'E',
            rateBp: 0,
            exemptionReasonCode: 'VATEX-EU-132-1I',
            exemptionReason: 'Onderwijs (art. 11 lid 1 letter o Wet OB)',
          },
        },
      ],
    });
    const text = flat(pdfText(await renderInvoicePdf(doc, { language: 'nl' })));
    expectWrapped(
      text,
      'Vrijgesteld van btw (artikel 132(1)(i) Btw-richtlijn 2006/112/EG). Onderwijs (art. 11 lid 1 letter o Wet OB)',
    );
  });
});
