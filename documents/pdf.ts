/**
 * Renders an InvoiceDocument (invoice or credit note) as an A4 PDF in the customer's language, with pdfkit and its
 * built-in Helvetica. The PDF carries what VAT Directive 2006/112/EC art. 226 (and art. 219 for a corrective
 * document) and the Norwegian bokføringsforskriften § 5-1-1 ask of an invoice: number, dates, both parties with
 * their identifiers, each line's quantity, unit price, discount and net amount, the VAT breakdown per category
 * and rate with the reason for every non-standard category, the totals, the corrected invoice of a credit note,
 * and the payment terms, account and structured payment reference. All words come from ./pdf-labels.ts.
 *
 * Amounts are formatted from integer minor units by formatMoney (never floats). The output is deterministic:
 * the PDF's creation and modification dates are the issue date (00:00 UTC), and nothing reads the clock, so the
 * same document and language always give the same bytes.
 *
 * Helvetica is one of the PDF standard fonts: nothing is embedded, and it covers the Windows-1252 (WinAnsi)
 * character set, which includes every letter of Dutch, German, Norwegian and English (æ ø å ü ß é …) and €.
 * Characters outside it (Polish ł, Czech ř, Greek, Cyrillic, …) are printed as their unaccented base letter
 * where Unicode gives one, else as "?", instead of the garbage pdfkit would emit; see toWinAnsi.
 */
import PDFDocument from 'pdfkit';
import { isSupportedCurrency } from '../domain/currency.js';
import {
  type InvoiceDocument,
  type InvoiceLine,
  type Party,
  type PostalAddress,
  QUANTITY_SCALE,
} from '../domain/invoice-document.js';
import { formatMoney } from '../domain/money.js';
import {
  BASIS_POINTS,
  EU_MEMBER_STATES,
  exemptionOf,
  type VatBreakdownEntry,
  type VatCategoryCode,
} from '../domain/tax.js';
import { isPdfLanguage, type NotedVatCategory, PDF_LABELS, type PdfLabels, type PdfLanguage } from './pdf-labels.js';

export interface InvoicePdfOptions {
  readonly language: PdfLanguage;
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting (pure; exported for tests and for other renderers that want the same strings)

/** Fills "{name}" placeholders; a placeholder without a value is a bug in the labels, so it throws. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new RangeError(`no value for {${name}} in "${template}"`);
    return value;
  });
}

/** YYYY-MM-DD in the language's order: 22-11-2026 (nl), 22.11.2026 (de, nb), 2026-11-22 (en). */
export function formatDate(isoDate: string, language: PdfLanguage): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (m === null) throw new RangeError(`date "${isoDate}" must have the form YYYY-MM-DD`);
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  switch (PDF_LABELS[language].dateOrder) {
    case 'dd-mm-yyyy':
      return `${d}-${mo}-${y}`;
    case 'dd.mm.yyyy':
      return `${d}.${mo}.${y}`;
    case 'yyyy-mm-dd':
      return `${y}-${mo}-${d}`;
  }
}

/** The group and decimal separators formatMoney uses for a locale, read off a formatted sample. */
function separators(locale: string): { group: string; decimal: string } {
  const sample = formatMoney({ amount: 123_456_789, currency: 'EUR' }, locale); // "EUR 1.234.567,89"
  return { decimal: sample.charAt(sample.length - 3), group: sample.charAt(sample.length - 7) };
}

/** value / scale as a decimal without trailing zeros, in the locale's separators: 37500/1000 -> "37,5" (nl). */
function formatScaled(value: number, scale: number, locale: string): string {
  const digits = String(scale).length - 1;
  const { group, decimal } = separators(locale);
  const abs = String(Math.abs(value)).padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits).replace(/\B(?=(\d{3})+$)/g, group);
  const fraction = abs.slice(abs.length - digits).replace(/0+$/, '');
  return `${value < 0 ? '-' : ''}${whole}${fraction === '' ? '' : decimal + fraction}`;
}

/** Quantity in thousandths, up to three decimals: 12000 -> "12", 1333 -> "1,333" (nl), 4250 -> "4.25" (en). */
export function formatQuantity(thousandths: number, language: PdfLanguage): string {
  return formatScaled(thousandths, QUANTITY_SCALE, PDF_LABELS[language].locale);
}

/** A rate in basis points: 2100 -> "21%" (nl, en), "21 %" (de, nb, with a no-break space); 1250 -> "12,5%". */
export function formatPercent(rateBp: number, language: PdfLanguage): string {
  const labels = PDF_LABELS[language];
  return `${formatScaled(rateBp, BASIS_POINTS / 100, labels.locale)}${labels.percentSpace ? '\u00A0' : ''}%`;
}

/** An IBAN in the groups of four it is printed in (ISO 13616); other account numbers as given. */
export function formatAccount(id: string): string {
  const compact = id.replace(/\s+/g, '');
  if (/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(compact)) return compact.replace(/(.{4})(?=.)/g, '$1 ');
  // Norwegian domestic account numbers read 4.2.5: 8601.11.17947.
  if (/^\d{11}$/.test(compact)) return `${compact.slice(0, 4)}.${compact.slice(4, 6)}.${compact.slice(6)}`;
  return id;
}

const isIban = (id: string): boolean => /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(id.replace(/\s+/g, ''));

// Windows-1252 code points above 0x7F that are not Latin-1 (pdfkit's WinAnsi table).
const WIN_ANSI_EXTRA = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
]);
// Letters Unicode does not decompose into a base letter plus accent, and common typographic look-alikes.
const FALLBACK: Readonly<Record<string, string>> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŧ: 'T',
  ŧ: 't',
  Ŋ: 'N',
  ŋ: 'n',
  ĸ: 'k',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2212': '-',
  '\u2015': '\u2014',
  '\u2032': "'",
  '\u2033': '"',
  '\u202F': '\u00A0',
  '\u2007': '\u00A0',
  '\u200B': '',
  '\uFEFF': '',
};

function isWinAnsi(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(c);
}

/**
 * Text the standard fonts can show: WinAnsi characters pass, line feeds stay, other control characters become
 * spaces, and anything else becomes its compatibility decomposition without accents (ő -> o, ř -> r, ﬁ -> fi)
 * or "?" when there is none (Greek, Cyrillic, CJK).
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (isWinAnsi(c) || c === 0x0a) {
      out += ch;
      continue;
    }
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
      out += ' ';
      continue;
    }
    const mapped = FALLBACK[ch] ?? ch.normalize('NFKD').replace(/\p{M}/gu, '');
    const ok = [...mapped].every((m) => isWinAnsi(m.codePointAt(0) ?? 0));
    out += ok && (mapped !== '' || ch in FALLBACK) ? mapped : '?';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Layout

const A4 = { width: 595.28, height: 841.89 };
const LEFT = 50;
const RIGHT = A4.width - 50;
const WIDTH = RIGHT - LEFT;
const TOP = 45;
/** Content stops here; below are the page number and the footer. */
const CONTENT_BOTTOM = 752;
const PAGE_NUMBER_Y = 758;
const FOOTER_RULE_Y = 772;

const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' } as const;
const COLOR = {
  text: '#1d2329',
  muted: '#5f6b76',
  accent: '#1f3a5f',
  rule: '#c9d1d9',
  headerFill: '#edf1f5',
  dueFill: '#1f3a5f',
  boxFill: '#f6f8fa',
} as const;

interface TextStyle {
  readonly font?: keyof typeof FONT;
  readonly size?: number;
  readonly color?: string;
  readonly align?: 'left' | 'right' | 'center';
}

type Column = {
  readonly key: 'id' | 'description' | 'quantity' | 'unit' | 'unitPrice' | 'discount' | 'vat' | 'net';
  readonly header: string;
  readonly width: number;
  readonly align: 'left' | 'right';
};

interface Cell {
  readonly text: string;
  readonly sub?: string;
  readonly bold?: boolean;
}

const NOTED: ReadonlySet<VatCategoryCode> = new Set<VatCategoryCode>(['AE', 'K', 'G', 'E', 'O']);
const isNoted = (code: VatCategoryCode): code is NotedVatCategory => NOTED.has(code);

/** Renders the document; resolves with the complete PDF file. */
export function renderInvoicePdf(doc: InvoiceDocument, options: InvoicePdfOptions): Promise<Buffer> {
  if (!isPdfLanguage(options.language)) {
    return Promise.reject(new RangeError(`language "${String(options.language)}" is not one of nl, en, nb, de`));
  }
  if (!isSupportedCurrency(doc.currency)) {
    return Promise.reject(new RangeError(`currency "${doc.currency}" is not supported`));
  }
  const issued = new Date(`${doc.issueDate}T00:00:00Z`);
  if (Number.isNaN(issued.getTime()))
    return Promise.reject(new RangeError(`issueDate "${doc.issueDate}" is not a date`));

  const labels = PDF_LABELS[options.language];
  const isInvoice = doc.type === 'invoice';
  const title = isInvoice ? labels.title.invoice : labels.title.creditNote;
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: TOP, bottom: 10, left: LEFT, right: A4.width - RIGHT },
    bufferPages: true,
    lang: options.language,
    displayTitle: true,
    info: {
      Title: toWinAnsi(`${title} ${doc.number}`),
      Author: toWinAnsi(doc.seller.name),
      Subject: toWinAnsi(`${title} ${doc.number} – ${doc.buyer.name}`),
      Creator: 'o2c-engine',
      Producer: 'PDFKit',
      CreationDate: issued,
      ModDate: issued,
    },
  });

  return drawn(pdf, () => new Layout(pdf, doc, options.language, labels).render());
}

/** Draws the document and resolves with the complete file; a drawing error rejects. */
export function drawn(pdf: PDFKit.PDFDocument, draw: () => void): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    try {
      draw();
      pdf.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

class Layout {
  private y = TOP;
  private readonly isInvoice: boolean;
  private readonly title: string;

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly doc: InvoiceDocument,
    private readonly language: PdfLanguage,
    private readonly l: PdfLabels,
  ) {
    this.isInvoice = doc.type === 'invoice';
    this.title = this.isInvoice ? l.title.invoice : l.title.creditNote;
  }

  render(): void {
    this.header();
    this.note();
    this.linesTable();
    this.allowancesChargesTable();
    this.totalsAndVat();
    this.payment();
    this.footers();
  }

  // -- primitives ------------------------------------------------------------------------------------------------

  private style(s: TextStyle): void {
    this.pdf
      .font(FONT[s.font ?? 'regular'])
      .fontSize(s.size ?? 9)
      .fillColor(s.color ?? COLOR.text);
  }

  /** Height `text` takes in `width` with style `s`. */
  private measure(text: string, width: number, s: TextStyle = {}): number {
    this.style(s);
    return this.pdf.heightOfString(toWinAnsi(text), { width });
  }

  /** Draws text at (x, y) wrapped to width; returns its height. */
  private text(text: string, x: number, y: number, width: number, s: TextStyle = {}): number {
    const safe = toWinAnsi(text);
    this.style(s);
    const height = this.pdf.heightOfString(safe, { width });
    this.pdf.text(safe, x, y, { width, align: s.align ?? 'left', lineGap: 0 });
    return height;
  }

  /** One line of text that must not wrap (amounts): shrinks the font until it fits the width. */
  private fitted(text: string, x: number, y: number, width: number, s: TextStyle = {}): void {
    const safe = toWinAnsi(text);
    let size = s.size ?? 9;
    this.style({ ...s, size });
    while (size > 5 && this.pdf.widthOfString(safe) > width) {
      size -= 0.5;
      this.style({ ...s, size });
    }
    this.pdf.text(safe, x, y, { width, align: s.align ?? 'left', lineBreak: false });
  }

  private rule(y: number, x1 = LEFT, x2 = RIGHT, color: string = COLOR.rule, width = 0.5): void {
    this.pdf.save().moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  private fillRect(x: number, y: number, w: number, h: number, color: string): void {
    this.pdf.save().rect(x, y, w, h).fillColor(color).fill().restore();
  }

  /** Starts a new page when `height` does not fit; returns whether it did. */
  private ensure(height: number): boolean {
    if (this.y + height <= CONTENT_BOTTOM) return false;
    this.pdf.addPage();
    this.y = TOP;
    this.text(`${this.title} ${this.doc.number} (${this.l.continued})`, LEFT, this.y, WIDTH, {
      size: 8,
      color: COLOR.muted,
    });
    this.y += 22;
    return true;
  }

  private money(minor: number): string {
    return formatMoney({ amount: minor, currency: this.doc.currency }, this.l.locale);
  }

  /** An amount without its currency code, for table cells under an "Amounts in EUR" heading. */
  private number(minor: number): string {
    return this.money(minor).slice(this.doc.currency.length + 1);
  }

  private date(iso: string): string {
    return formatDate(iso, this.language);
  }

  private percent(rateBp: number): string {
    return formatPercent(rateBp, this.language);
  }

  private addressLines(a: PostalAddress): string[] {
    const country = (this.l.countries as Readonly<Record<string, string>>)[a.country] ?? a.country;
    return [
      a.street,
      ...(a.additionalStreet === undefined ? [] : [a.additionalStreet]),
      `${a.postalCode} ${a.city}`,
      country,
    ];
  }

  private identifiers(p: Party, withTaxRegistration: boolean): string[] {
    const out: string[] = [];
    if (p.vatId !== undefined) out.push(`${this.l.vatId} ${p.vatId}`);
    if (p.legalId !== undefined) {
      const names = this.l.registration as Readonly<Record<string, string>>;
      out.push(`${names[p.legalId.scheme] ?? this.l.registration.other} ${p.legalId.id}`);
    }
    if (withTaxRegistration && p.taxRegistration !== undefined) {
      // "Foretaksregisteret" is a statement, not a number: print it as it is.
      out.push(/\d/.test(p.taxRegistration) ? `${this.l.taxRegistration} ${p.taxRegistration}` : p.taxRegistration);
    }
    return out;
  }

  /** Label/value rows, labels in `labelWidth` and values after them; returns the height used. */
  private keyValues(
    rows: readonly [string, string][],
    x: number,
    y: number,
    labelWidth: number,
    valueWidth: number,
    { size = 9, align = 'right' }: { size?: number; align?: 'left' | 'right' } = {},
  ): number {
    let h = 0;
    for (const [label, value] of rows) {
      const valueHeight = this.measure(value, valueWidth, { size, font: 'bold' });
      this.text(label, x, y + h, labelWidth, { size, color: COLOR.muted });
      this.text(value, x + labelWidth, y + h, valueWidth, { size, font: 'bold', align });
      h += Math.max(valueHeight, this.measure(label, labelWidth, { size })) + 3.5;
    }
    return h;
  }

  // -- sections --------------------------------------------------------------------------------------------------

  private header(): void {
    const { doc, l } = this;
    const leftWidth = 270;

    // Seller, top left.
    let left = TOP;
    // The seller's name stops short of the title on the right.
    left += this.text(doc.seller.name, LEFT, left, 240, { font: 'bold', size: 15, color: COLOR.accent }) + 4;
    const sellerLines = [...this.addressLines(doc.seller.address), ...this.identifiers(doc.seller, true)];
    const contact = doc.seller.contact;
    if (contact?.phone !== undefined) sellerLines.push(`${l.phone} ${contact.phone}`);
    if (contact?.email !== undefined) sellerLines.push(`${l.email} ${contact.email}`);
    for (const line of sellerLines) left += this.text(line, LEFT, left, leftWidth, { size: 8.5, color: COLOR.muted });

    // Title and document data, top right.
    const rightX = 300;
    const rightWidth = RIGHT - rightX;
    let right = TOP - 3;
    this.fitted(this.title.toUpperCase(), rightX, right, rightWidth, {
      font: 'bold',
      size: 22,
      color: COLOR.accent,
      align: 'right',
    });
    right += 34;
    const meta: [string, string][] = [
      [this.isInvoice ? l.number.invoice : l.number.creditNote, doc.number],
      [this.isInvoice ? l.issueDate.invoice : l.issueDate.creditNote, this.date(doc.issueDate)],
    ];
    if (doc.delivery?.date !== undefined) meta.push([l.deliveryDate, this.date(doc.delivery.date)]);
    // A credit note asks nobody to pay: its BT-9 stays in the UBL, not on the page.
    if (this.isInvoice) meta.push([l.dueDate, this.date(doc.dueDate)]);
    if (doc.precedingInvoice !== undefined) {
      meta.push([
        l.correctsInvoice,
        fillTemplate(l.precedingInvoice, {
          number: doc.precedingInvoice.number,
          date: this.date(doc.precedingInvoice.issueDate),
        }),
      ]);
    }
    if (doc.buyerReference !== undefined) meta.push([l.buyerReference, doc.buyerReference]);
    if (doc.orderReference !== undefined) meta.push([l.orderReference, doc.orderReference]);
    if (doc.delivery?.country !== undefined && doc.delivery.country !== doc.buyer.address.country) {
      const countries = l.countries as Readonly<Record<string, string>>;
      meta.push([l.deliveryCountry, countries[doc.delivery.country] ?? doc.delivery.country]);
    }
    meta.push([l.currency, doc.currency]);
    right += this.keyValues(meta, rightX, right, 105, rightWidth - 105);

    // Buyer, below the seller.
    let buyer = Math.max(left + 22, TOP + 120);
    buyer +=
      this.text(l.customer.toUpperCase(), LEFT, buyer, leftWidth, { font: 'bold', size: 7.5, color: COLOR.muted }) + 3;
    buyer += this.text(doc.buyer.name, LEFT, buyer, leftWidth, { font: 'bold', size: 10.5 }) + 2;
    for (const line of [...this.addressLines(doc.buyer.address), ...this.identifiers(doc.buyer, false)]) {
      buyer += this.text(line, LEFT, buyer, leftWidth, { size: 9 }) + 0.5;
    }

    this.y = Math.max(buyer, right) + 22;
  }

  private note(): void {
    if (this.doc.note === undefined) return;
    const text = `${this.l.note}: ${this.doc.note}`;
    const h = this.measure(text, WIDTH, { font: 'italic', size: 8.5 });
    this.ensure(h + 10);
    this.text(text, LEFT, this.y, WIDTH, { font: 'italic', size: 8.5, color: COLOR.muted });
    this.y += h + 12;
  }

  private columns(): Column[] {
    const t = this.l.table;
    const hasDiscount = this.doc.lines.some((line) => line.allowanceAmount !== 0);
    const fixed: Column[] = [
      { key: 'id', header: '#', width: 18, align: 'left' },
      { key: 'description', header: t.description, width: 0, align: 'left' },
      { key: 'quantity', header: t.quantity, width: 44, align: 'right' },
      { key: 'unit', header: t.unit, width: 40, align: 'left' },
      { key: 'unitPrice', header: t.unitPrice, width: 64, align: 'right' },
      ...(hasDiscount ? [{ key: 'discount', header: t.discount, width: 56, align: 'right' } as const] : []),
      { key: 'vat', header: t.vat, width: 40, align: 'right' },
      { key: 'net', header: t.net, width: 74, align: 'right' },
    ];
    const used = fixed.reduce((sum, c) => sum + c.width, 0);
    return fixed.map((c) => (c.key === 'description' ? { ...c, width: WIDTH - used } : c));
  }

  private static readonly PAD_X = 4;
  private static readonly PAD_Y = 4.5;

  private tableHeader(columns: readonly Column[]): void {
    const h = 18;
    this.fillRect(LEFT, this.y, WIDTH, h, COLOR.headerFill);
    let x = LEFT;
    for (const c of columns) {
      this.fitted(c.header, x + Layout.PAD_X, this.y + 5.5, c.width - 2 * Layout.PAD_X, {
        font: 'bold',
        size: 8,
        align: c.align,
        color: COLOR.accent,
      });
      x += c.width;
    }
    this.y += h;
  }

  private row(
    columns: readonly Column[],
    cells: Readonly<Partial<Record<Column['key'], Cell>>>,
    onBreak: () => void,
  ): void {
    const pad = Layout.PAD_X;
    const heightOf = (c: Column): number => {
      const cell = cells[c.key];
      if (cell === undefined) return 0;
      if (c.key !== 'description') return 9.5;
      const main = this.measure(cell.text, c.width - 2 * pad, {
        size: 8.5,
        font: cell.bold === true ? 'bold' : 'regular',
      });
      return cell.sub === undefined ? main : main + 1.5 + this.measure(cell.sub, c.width - 2 * pad, { size: 7 });
    };
    const height = Math.max(...columns.map(heightOf)) + 2 * Layout.PAD_Y;
    if (this.ensure(height)) onBreak();
    let x = LEFT;
    for (const c of columns) {
      const cell = cells[c.key];
      if (cell !== undefined) {
        const y = this.y + Layout.PAD_Y;
        const w = c.width - 2 * pad;
        if (c.key === 'description') {
          const main = this.text(cell.text, x + pad, y, w, {
            size: 8.5,
            font: cell.bold === true ? 'bold' : 'regular',
          });
          if (cell.sub !== undefined) this.text(cell.sub, x + pad, y + main + 1.5, w, { size: 7, color: COLOR.muted });
        } else {
          this.fitted(cell.text, x + pad, y, w, {
            size: 8.5,
            align: c.align,
            font: cell.bold === true ? 'bold' : 'regular',
          });
        }
      }
      x += c.width;
    }
    this.y += height;
    this.rule(this.y);
  }

  private linesTable(): void {
    const columns = this.columns();
    this.ensure(18 + 14 + 30);
    this.text(fillTemplate(this.l.amountsIn, { currency: this.doc.currency }), LEFT, this.y, WIDTH, {
      size: 7.5,
      color: COLOR.muted,
      align: 'right',
    });
    this.y += 11;
    this.tableHeader(columns);
    for (const line of this.doc.lines) {
      this.row(columns, this.lineCells(line), () => this.tableHeader(columns));
    }
    this.y += 6;
  }

  private lineCells(line: InvoiceLine): Partial<Record<Column['key'], Cell>> {
    const l = this.l;
    const sub = [`${l.table.sku} ${line.sku}`];
    if (line.allowance !== undefined) {
      sub.push(
        line.allowance.percentBp !== undefined
          ? `${line.allowance.reason} ${this.percent(line.allowance.percentBp)}`
          : line.allowance.reason,
      );
    }
    const unitCode = line.unitCode ?? 'C62';
    return {
      id: { text: line.id },
      description: { text: line.description, sub: sub.join('  ·  ') },
      quantity: { text: formatQuantity(line.quantityThousandths, this.language) },
      unit: { text: (l.units as Readonly<Record<string, string>>)[unitCode] ?? unitCode },
      unitPrice: { text: this.number(line.unitPrice) },
      discount: { text: line.allowanceAmount === 0 ? '' : `-${this.number(line.allowanceAmount)}` },
      vat: { text: line.vat.code === 'O' ? '–' : this.percent(line.vat.rateBp) },
      net: { text: this.number(line.netAmount) },
    };
  }

  private allowancesChargesTable(): void {
    const items = this.doc.allowancesCharges;
    if (items.length === 0) return;
    const all = this.columns();
    const net = all[all.length - 1]!;
    const vat = all[all.length - 2]!;
    const description: Column = { key: 'description', header: '', width: WIDTH - net.width - vat.width, align: 'left' };
    const columns = [description, vat, net];
    this.ensure(14 + 20 * Math.min(items.length, 3));
    this.text(this.l.allowancesCharges, LEFT + Layout.PAD_X, this.y, WIDTH, {
      font: 'bold',
      size: 8,
      color: COLOR.accent,
    });
    this.y += 12;
    this.rule(this.y);
    for (const ac of items) {
      const text =
        ac.percentBp !== undefined && ac.baseAmount !== undefined
          ? `${ac.reason} (${fillTemplate(this.l.percentOf, { percent: this.percent(ac.percentBp), base: this.number(ac.baseAmount) })})`
          : ac.reason;
      const sign = ac.kind === 'allowance' ? '-' : '';
      this.row(
        columns,
        {
          description: { text },
          vat: { text: ac.vat.code === 'O' ? '–' : this.percent(ac.vat.rateBp) },
          net: { text: `${sign}${this.number(ac.resolvedAmount)}` },
        },
        () => undefined,
      );
    }
    this.y += 6;
  }

  private vatCategoryName(b: VatBreakdownEntry): string {
    if (b.code === 'S') return this.percent(b.rateBp);
    if (b.code === 'Z') return `${this.percent(0)} ${this.l.vatCategory.Z}`;
    return this.l.vatCategory[b.code];
  }

  /** The reason printed for a category that needs one: the language's sentence, the legal basis, the caller's text. */
  private exemptionNote(b: VatBreakdownEntry): string | undefined {
    if (!isNoted(b.code)) return undefined;
    const parts = [this.l.exemption[b.code]];
    let article: string | undefined;
    if (EU_MEMBER_STATES.has(this.doc.seller.address.country)) {
      if (b.code === 'K') article = '138';
      if (b.code === 'G') article = '146';
    }
    const vatex = /^VATEX-EU-(\d+)(?:-(\d*)([A-Z]*))?$/.exec(b.exemptionReasonCode ?? '');
    if (vatex !== null) {
      const [, art, paragraph, point] = vatex;
      article = `${art}${paragraph ? `(${paragraph})` : ''}${point ? `(${point.toLowerCase()})` : ''}`;
    }
    if (article !== undefined) parts.push(`(${fillTemplate(this.l.directiveArticle, { article })})`);
    // A reason the caller wrote (not the category's standard English one) is printed as written.
    const standard = exemptionOf({ code: b.code, rateBp: b.rateBp });
    if (vatex === null && b.exemptionReasonCode !== undefined && b.exemptionReasonCode !== standard.code)
      parts.push(`(${b.exemptionReasonCode})`);
    const own = b.exemptionReason !== undefined && b.exemptionReason !== standard.text ? ` ${b.exemptionReason}` : '';
    return `${parts.join(' ')}.${own}`;
  }

  private totalsAndVat(): void {
    const { doc, l } = this;
    const t = doc.totals;
    const pad = Layout.PAD_X;

    // Right: totals, values aligned with the amount column of the lines table.
    const totalsX = 330;
    const totalsWidth = RIGHT - totalsX;
    const labelWidth = 115;
    const valueWidth = totalsWidth - labelWidth - pad;
    const rows: { label: string; value: string; strong?: boolean; ruleAfter?: boolean }[] = [];
    const hasAdjustments = t.allowanceTotal !== 0 || t.chargeTotal !== 0;
    if (hasAdjustments) rows.push({ label: l.totals.sumOfLines, value: this.money(t.sumOfLineNets) });
    if (t.allowanceTotal !== 0) rows.push({ label: l.totals.allowances, value: this.money(-t.allowanceTotal) });
    if (t.chargeTotal !== 0) rows.push({ label: l.totals.charges, value: this.money(t.chargeTotal) });
    rows.push({ label: l.totals.totalWithoutVat, value: this.money(t.totalWithoutVat), strong: hasAdjustments });
    rows.push({ label: l.totals.vat, value: this.money(t.vatTotal), ruleAfter: true });
    rows.push({ label: l.totals.totalWithVat, value: this.money(t.totalWithVat), strong: true });
    if (t.prepaidAmount !== 0) rows.push({ label: l.totals.prepaid, value: this.money(-t.prepaidAmount) });
    if (t.roundingAmount !== 0) rows.push({ label: l.totals.rounding, value: this.money(t.roundingAmount) });
    const dueLabel = this.isInvoice ? l.totals.amountDue.invoice : l.totals.amountDue.creditNote;
    const rowHeight = 15;
    const dueHeight = 22;
    const totalsHeight = rows.length * rowHeight + 4 + dueHeight;

    // Left: VAT breakdown (category names may wrap) and the reasons for non-standard categories.
    const vatWidth = 262;
    const cols = [132, 70, 60];
    const breakdownRows = doc.vatBreakdown.map((b) => {
      const cells = [this.vatCategoryName(b), this.number(b.taxableAmount), this.number(b.taxAmount)];
      return { cells, height: this.measure(cells[0]!, cols[0]! - 2 * pad, { size: 8.5 }) + 7 };
    });
    const notes = [
      ...new Set(doc.vatBreakdown.map((b) => this.exemptionNote(b)).filter((n): n is string => n !== undefined)),
    ];
    const notesHeight = notes.reduce((h, n) => h + this.measure(n, vatWidth, { size: 7.5, font: 'italic' }) + 3, 0);
    const breakdownHeight =
      14 + 16 + breakdownRows.reduce((h, r) => h + r.height, 0) + (notes.length > 0 ? 8 + notesHeight : 0);

    this.ensure(Math.max(totalsHeight, breakdownHeight) + 8);
    const top = this.y + 4;

    let y = top;
    for (const r of rows) {
      const style: TextStyle = {
        size: 9,
        color: r.strong === true ? COLOR.text : COLOR.muted,
        font: r.strong === true ? 'bold' : 'regular',
      };
      this.text(r.label, totalsX + pad, y, labelWidth - pad, style);
      this.fitted(r.value, totalsX + labelWidth, y, valueWidth, { ...style, color: COLOR.text, align: 'right' });
      y += rowHeight;
      if (r.ruleAfter === true) this.rule(y - 4.5, totalsX, RIGHT);
    }
    y += 4;
    this.fillRect(totalsX, y, totalsWidth, dueHeight, COLOR.dueFill);
    this.text(dueLabel, totalsX + pad + 2, y + 6.5, labelWidth, { font: 'bold', size: 10, color: '#ffffff' });
    this.fitted(this.money(t.amountDue), totalsX + labelWidth, y + 6.5, valueWidth, {
      font: 'bold',
      size: 10,
      color: '#ffffff',
      align: 'right',
    });
    const totalsBottom = y + dueHeight;

    let v = top;
    this.text(l.vatBreakdown.heading, LEFT + pad, v, vatWidth, { font: 'bold', size: 8, color: COLOR.accent });
    v += 14;
    this.fillRect(LEFT, v, vatWidth, 16, COLOR.headerFill);
    const headers = [l.vatBreakdown.category, l.vatBreakdown.taxable, l.vatBreakdown.vat];
    let x = LEFT;
    headers.forEach((h, i) => {
      this.fitted(h, x + pad, v + 4.5, cols[i]! - 2 * pad, {
        font: 'bold',
        size: 7.5,
        color: COLOR.accent,
        align: i === 0 ? 'left' : 'right',
      });
      x += cols[i]!;
    });
    v += 16;
    for (const r of breakdownRows) {
      x = LEFT;
      r.cells.forEach((c, i) => {
        if (i === 0) this.text(c, x + pad, v + 3.5, cols[i]! - 2 * pad, { size: 8.5 });
        else this.fitted(c, x + pad, v + 3.5, cols[i]! - 2 * pad, { size: 8.5, align: 'right' });
        x += cols[i]!;
      });
      v += r.height;
      this.rule(v, LEFT, LEFT + vatWidth);
    }
    if (notes.length > 0) {
      v += 8;
      for (const n of notes) v += this.text(n, LEFT + pad, v, vatWidth - pad, { size: 7.5, font: 'italic' }) + 3;
    }

    this.y = Math.max(totalsBottom, v) + 22;
  }

  private payment(): void {
    const { doc, l } = this;
    const p = doc.payment;
    const terms =
      doc.paymentTermsText ??
      (doc.paymentTermsDays === 0
        ? l.payment.termsImmediate
        : fillTemplate(l.payment.termsDays, { days: String(doc.paymentTermsDays) }));
    const referenceLabel = doc.currency === 'NOK' && /^\d+$/.test(p.reference) ? l.payment.kid : l.payment.reference;
    const instruction = this.isInvoice
      ? fillTemplate(l.payment.instruction.invoice, {
          amount: this.money(doc.totals.amountDue),
          date: this.date(doc.dueDate),
          reference: p.reference,
        })
      : l.payment.instruction.creditNote;

    // Invoice: what to pay, when and where. Credit note: what it corrects and the reference to match it by; the
    // seller's account stays in the footer, so that nobody reads it as a request to pay.
    const leftRows: [string, string][] = this.isInvoice
      ? [
          [l.payment.terms, terms],
          [l.dueDate, this.date(doc.dueDate)],
          [l.totals.amountDue.invoice, this.money(doc.totals.amountDue)],
        ]
      : [
          [l.correctsInvoice, doc.precedingInvoice?.number ?? ''],
          [l.totals.amountDue.creditNote, this.money(doc.totals.amountDue)],
        ];
    const rightRows: [string, string][] = [];
    if (this.isInvoice) {
      rightRows.push([isIban(p.account.id) ? l.payment.iban : l.payment.account, formatAccount(p.account.id)]);
      if (p.account.bic !== undefined) rightRows.push([l.payment.bic, p.account.bic]);
      if (p.account.name !== undefined) rightRows.push([l.payment.accountHolder, p.account.name]);
    }
    rightRows.push([referenceLabel, p.reference]);

    const inner = WIDTH - 24;
    const gap = 16;
    const half = (inner - gap) / 2;
    const labelWidth = 100;
    const rowsHeight = (rows: readonly [string, string][]): number =>
      rows.reduce(
        (h, [label, value]) =>
          h +
          Math.max(
            this.measure(value, half - labelWidth, { size: 8.5, font: 'bold' }),
            this.measure(label, labelWidth, { size: 8.5 }),
          ) +
          3.5,
        0,
      );
    const instructionHeight = this.measure(instruction, inner, { size: 8.5 });
    const height = 10 + 17 + Math.max(rowsHeight(leftRows), rowsHeight(rightRows)) + 5 + instructionHeight + 11;
    this.ensure(height);

    const top = this.y;
    this.pdf.save().roundedRect(LEFT, top, WIDTH, height, 3).fillColor(COLOR.boxFill).fill().restore();
    this.pdf.save().roundedRect(LEFT, top, WIDTH, height, 3).lineWidth(0.5).strokeColor(COLOR.rule).stroke().restore();
    let y = top + 10;
    this.text(this.isInvoice ? l.payment.heading.invoice : l.payment.heading.creditNote, LEFT + 12, y, inner, {
      font: 'bold',
      size: 9,
      color: COLOR.accent,
    });
    y += 17;
    const kv = { size: 8.5, align: 'left' } as const;
    const hl = this.keyValues(leftRows, LEFT + 12, y, labelWidth, half - labelWidth, kv);
    const hr = this.keyValues(rightRows, LEFT + 12 + half + gap, y, labelWidth, half - labelWidth, kv);
    y += Math.max(hl, hr) + 5;
    this.text(instruction, LEFT + 12, y, inner, { size: 8.5 });
    this.y = top + height + 10;
  }

  /** Page number and the seller's details at the foot of every page, drawn once all pages exist. */
  private footers(): void {
    const { doc, l } = this;
    const range = this.pdf.bufferedPageRange();
    const s = doc.seller;
    const account = doc.payment.account;
    const columns: string[][] = [
      [s.name, ...this.addressLines(s.address)],
      [...this.identifiers(s, true), ...(s.contact?.email !== undefined ? [`${l.email} ${s.contact.email}`] : [])],
      [
        `${isIban(account.id) ? l.payment.iban : l.payment.account} ${formatAccount(account.id)}`,
        ...(account.bic !== undefined ? [`${l.payment.bic} ${account.bic}`] : []),
        ...(account.name !== undefined ? [account.name] : []),
      ],
    ];
    const columnWidth = WIDTH / 3;
    for (let i = 0; i < range.count; i++) {
      this.pdf.switchToPage(range.start + i);
      this.text(fillTemplate(l.page, { page: String(i + 1), pages: String(range.count) }), LEFT, PAGE_NUMBER_Y, WIDTH, {
        size: 7.5,
        color: COLOR.muted,
        align: 'right',
      });
      this.rule(FOOTER_RULE_Y);
      columns.forEach((lines, c) => {
        let y = FOOTER_RULE_Y + 6;
        lines.forEach((line, n) => {
          y += this.text(line, LEFT + c * columnWidth, y, columnWidth - 8, {
            size: 7,
            color: COLOR.muted,
            font: c === 0 && n === 0 ? 'bold' : 'regular',
          });
        });
      });
    }
  }
}
