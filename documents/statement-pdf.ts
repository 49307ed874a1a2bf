import PDFDocument from 'pdfkit';
import { AGING_BUCKETS, type AgingBucket, type AgingTotals } from '../domain/aging.js';
import type { DunningChargeKind } from '../domain/dunning-charges.js';
import { formatMoney } from '../domain/money.js';
import { drawn, fillTemplate, formatAccount, formatDate, toWinAnsi } from './pdf.js';
import { isPdfLanguage, PDF_LABELS, type PdfLanguage } from './pdf-labels.js';

// A customer's statement of account: every open item with its age, the aging per currency, the open dunning
// charges, and where to pay. Sent on request or with a reminder, so the customer can reconcile its ledger with
// ours line by line; hence each line's payment reference and the closing request to report differences.

export interface StatementPdfInput {
  seller: {
    name: string;
    street: string;
    postalCode: string;
    city: string;
    vatId: string;
    iban: string;
    bic: string | null;
  };
  customer: { name: string; street: string | null; postalCode: string | null; city: string | null };
  /** YYYY-MM-DD */
  asOf: string;
  /** The customer's language; nl, en, nb, de, anything else renders in English. */
  language: string;
  /** Open items, already sorted (oldest due first). Amounts in minor units. */
  lines: readonly {
    invoiceNumber: string;
    issueDate: string;
    dueDate: string;
    daysOverdue: number;
    total: number;
    balance: number;
    currency: string;
    paymentReference: string | null;
  }[];
  /** Aging per currency of those lines (keys current, d1_30, d31_60, d61_90, d90_plus, total). */
  totals: Readonly<Record<string, AgingTotals>>;
  /** Open dunning charges (statutory compensation, interest, reminder fees, collection costs), receivables of their own. */
  charges: readonly { invoiceNumber: string; kind: string; owed: number; currency: string }[];
  /** What is owed on charges per currency. */
  chargeTotals: Readonly<Record<string, number>>;
}

interface StatementLabels {
  readonly title: string;
  readonly asOf: string;
  readonly continued: string;
  readonly page: string;
  readonly vatId: string;
  readonly openItems: string;
  readonly columns: {
    readonly invoice: string;
    readonly reference: string;
    readonly issueDate: string;
    readonly dueDate: string;
    readonly daysOverdue: string;
    readonly amount: string;
    readonly balance: string;
  };
  readonly aging: { readonly heading: string; readonly currency: string; readonly total: string } & {
    readonly [B in AgingBucket]: string;
  };
  readonly charges: {
    readonly heading: string;
    readonly invoice: string;
    readonly kind: string;
    readonly owed: string;
    readonly total: string;
  };
  readonly kinds: { readonly [K in DunningChargeKind]: string };
  readonly nothingOpen: string;
  /** {account}: IBAN and BIC; {seller}: the account holder. */
  readonly pay: string;
  readonly differ: string;
}

// Interest is "Rente" in Dutch, not "wettelijke handelsrente": the charge may be a consumer's wettelijke rente
// (art. 6:119 BW) as well as a business's handelsrente (art. 6:119a BW), and the statement does not know which.
const LABELS: Readonly<Record<PdfLanguage, StatementLabels>> = {
  en: {
    title: 'Statement of account',
    asOf: 'as of {date}',
    continued: 'continued',
    page: 'Page {page} of {pages}',
    vatId: 'VAT no.',
    openItems: 'Open items',
    columns: {
      invoice: 'Invoice',
      reference: 'Payment reference',
      issueDate: 'Invoice date',
      dueDate: 'Due date',
      daysOverdue: 'Days overdue',
      amount: 'Amount',
      balance: 'Open balance',
    },
    aging: {
      heading: 'Aging',
      currency: 'Currency',
      current: 'Current',
      d1_30: '1–30 days',
      d31_60: '31–60 days',
      d61_90: '61–90 days',
      d90_plus: 'Over 90 days',
      total: 'Total',
    },
    charges: {
      heading: 'Fees and interest',
      invoice: 'Invoice',
      kind: 'Charge',
      owed: 'Open',
      total: 'Total fees and interest',
    },
    kinds: {
      compensation: 'Fixed compensation for recovery costs',
      interest: 'Late-payment interest',
      reminder_fee: 'Reminder fee',
      collection_costs: 'Collection costs',
    },
    nothingOpen: 'There are no open items on your account.',
    pay: 'Please pay the open amounts to {account} in the name of {seller}, quoting the payment reference of each invoice.',
    differ: 'If your records differ from this statement, please let us know.',
  },
  nl: {
    title: 'Rekeningoverzicht',
    asOf: 'per {date}',
    continued: 'vervolg',
    page: 'Pagina {page} van {pages}',
    vatId: 'Btw-nummer',
    openItems: 'Openstaande posten',
    columns: {
      invoice: 'Factuur',
      reference: 'Betalingskenmerk',
      issueDate: 'Factuurdatum',
      dueDate: 'Vervaldatum',
      daysOverdue: 'Dagen te laat',
      amount: 'Bedrag',
      balance: 'Openstaand',
    },
    aging: {
      heading: 'Ouderdom openstaande posten',
      currency: 'Valuta',
      current: 'Niet vervallen',
      d1_30: '1–30 dagen',
      d31_60: '31–60 dagen',
      d61_90: '61–90 dagen',
      d90_plus: 'Meer dan 90 dagen',
      total: 'Totaal',
    },
    charges: {
      heading: 'Kosten en rente',
      invoice: 'Factuur',
      kind: 'Omschrijving',
      owed: 'Openstaand',
      total: 'Totaal kosten en rente',
    },
    kinds: {
      compensation: 'Vergoeding incassokosten',
      interest: 'Rente',
      reminder_fee: 'Herinneringskosten',
      collection_costs: 'Incassokosten',
    },
    nothingOpen: 'Er staan op uw rekening geen posten open.',
    pay: 'Wij verzoeken u de openstaande bedragen over te maken naar {account} ten name van {seller}, onder vermelding van het betalingskenmerk van elke factuur.',
    differ: 'Wijkt dit overzicht af van uw administratie, laat het ons dan weten.',
  },
  nb: {
    title: 'Kontoutskrift',
    asOf: 'per {date}',
    continued: 'fortsettelse',
    page: 'Side {page} av {pages}',
    vatId: 'MVA-nr.',
    openItems: 'Åpne poster',
    columns: {
      invoice: 'Faktura',
      reference: 'KID/referanse',
      issueDate: 'Fakturadato',
      dueDate: 'Forfallsdato',
      daysOverdue: 'Dager over forfall',
      amount: 'Beløp',
      balance: 'Utestående',
    },
    aging: {
      heading: 'Aldersfordeling',
      currency: 'Valuta',
      current: 'Ikke forfalt',
      d1_30: '1–30 dager',
      d31_60: '31–60 dager',
      d61_90: '61–90 dager',
      d90_plus: 'Over 90 dager',
      total: 'Totalt',
    },
    charges: {
      heading: 'Gebyrer og renter',
      invoice: 'Faktura',
      kind: 'Type',
      owed: 'Utestående',
      total: 'Sum gebyrer og renter',
    },
    kinds: {
      compensation: 'Standardkompensasjon',
      interest: 'Forsinkelsesrente',
      reminder_fee: 'Purregebyr',
      collection_costs: 'Inkassokostnader',
    },
    nothingOpen: 'Det er ingen åpne poster på kontoen deres.',
    pay: 'Vi ber dere betale de utestående beløpene til {account} ({seller}) og oppgi KID/referanse for hver faktura.',
    differ: 'Stemmer ikke dette med deres regnskap, ber vi dere gi oss beskjed.',
  },
  de: {
    title: 'Kontoauszug',
    asOf: 'Stand: {date}',
    continued: 'Fortsetzung',
    page: 'Seite {page} von {pages}',
    vatId: 'USt-IdNr.',
    openItems: 'Offene Posten',
    columns: {
      invoice: 'Rechnung',
      reference: 'Zahlungsreferenz',
      issueDate: 'Rechnungsdatum',
      dueDate: 'Fällig am',
      daysOverdue: 'Tage überfällig',
      amount: 'Betrag',
      balance: 'Offen',
    },
    aging: {
      heading: 'Altersstruktur der offenen Posten',
      currency: 'Währung',
      current: 'Nicht fällig',
      d1_30: '1–30 Tage',
      d31_60: '31–60 Tage',
      d61_90: '61–90 Tage',
      d90_plus: 'Über 90 Tage',
      total: 'Gesamt',
    },
    charges: {
      heading: 'Gebühren und Zinsen',
      invoice: 'Rechnung',
      kind: 'Art',
      owed: 'Offen',
      total: 'Summe Gebühren und Zinsen',
    },
    kinds: {
      compensation: 'Verzugspauschale',
      interest: 'Verzugszinsen',
      reminder_fee: 'Mahngebühr',
      collection_costs: 'Inkassokosten',
    },
    nothingOpen: 'Auf Ihrem Konto sind keine Posten offen.',
    pay: 'Bitte überweisen Sie die offenen Beträge unter Angabe der Zahlungsreferenz jeder Rechnung an {seller}, {account}.',
    differ: 'Sollten Ihre Unterlagen von diesem Kontoauszug abweichen, teilen Sie uns das bitte mit.',
  },
};

const A4 = { width: 595.28, height: 841.89 };
const LEFT = 50;
const RIGHT = A4.width - 50;
const WIDTH = RIGHT - LEFT;
const TOP = 45;
/** Content stops here; below is the page number. */
const CONTENT_BOTTOM = 790;
const PAGE_NUMBER_Y = 805;
const PAD_X = 3;
const PAD_Y = 2.5;
const ROW_SIZE = 8;

const COLOR = { text: '#1d2329', muted: '#5f6b76', accent: '#1f3a5f', rule: '#c9d1d9', headerFill: '#edf1f5' };

interface Column {
  readonly header: string;
  readonly width: number;
  readonly align: 'left' | 'right';
  /** Font size of the cells, when smaller than the row's (long payment references). */
  readonly size?: number;
}

interface TextStyle {
  readonly size?: number;
  readonly bold?: boolean;
  readonly color?: string;
  readonly align?: 'left' | 'right';
}

interface Cell {
  readonly text: string;
  readonly bold?: boolean;
}

/** Renders the statement; resolves with the complete PDF file. Deterministic for the same input (dated by asOf). */
export function renderStatementPdf(input: StatementPdfInput): Promise<Buffer> {
  const dated = new Date(`${input.asOf}T00:00:00Z`);
  if (Number.isNaN(dated.getTime())) return Promise.reject(new RangeError(`asOf "${input.asOf}" is not a date`));
  const language = isPdfLanguage(input.language) ? input.language : 'en';
  const l = LABELS[language];
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: TOP, bottom: 10, left: LEFT, right: A4.width - RIGHT },
    // Page numbers say "of N", known only once every page exists.
    bufferPages: true,
    lang: language,
    displayTitle: true,
    info: {
      Title: toWinAnsi(`${l.title} ${input.customer.name}`),
      Author: toWinAnsi(input.seller.name),
      Creator: 'o2c-engine',
      Producer: 'PDFKit',
      CreationDate: dated,
      ModDate: dated,
    },
  });
  return drawn(pdf, () => new Layout(pdf, input, language, l).render());
}

class Layout {
  private y = TOP;
  private readonly locale: string;

  constructor(
    private readonly pdf: PDFKit.PDFDocument,
    private readonly input: StatementPdfInput,
    private readonly language: PdfLanguage,
    private readonly l: StatementLabels,
  ) {
    this.locale = PDF_LABELS[language].locale;
  }

  render(): void {
    this.header();
    if (this.input.lines.length === 0 && this.input.charges.length === 0) {
      this.paragraph(this.l.nothingOpen);
      this.paragraph(this.l.differ);
    } else {
      if (this.input.lines.length > 0) {
        this.openItems();
        this.aging();
      }
      if (this.input.charges.length > 0) this.charges();
      this.closing();
    }
    this.pageNumbers();
  }

  private style(size: number, bold = false, color: string = COLOR.text): void {
    this.pdf
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(size)
      .fillColor(color);
  }

  /** Draws text wrapped to width; returns its height. */
  private text(
    text: string,
    x: number,
    y: number,
    width: number,
    { size = 9, bold = false, color = COLOR.text, align = 'left' }: TextStyle = {},
  ): number {
    const safe = toWinAnsi(text);
    this.style(size, bold, color);
    const height = this.pdf.heightOfString(safe, { width });
    this.pdf.text(safe, x, y, { width, align, lineGap: 0 });
    return height;
  }

  /** One line that must not wrap (amounts, references): shrinks the font until it fits. */
  private fitted(
    text: string,
    x: number,
    y: number,
    width: number,
    size: number,
    bold: boolean,
    align: 'left' | 'right',
  ): void {
    const safe = toWinAnsi(text);
    this.style(size, bold);
    while (size > 5 && this.pdf.widthOfString(safe) > width) {
      size -= 0.5;
      this.style(size, bold);
    }
    this.pdf.text(safe, x, y, { width, align, lineBreak: false });
  }

  private rule(y: number): void {
    this.pdf.save().moveTo(LEFT, y).lineTo(RIGHT, y).lineWidth(0.5).strokeColor(COLOR.rule).stroke().restore();
  }

  private money(amount: number, currency: string): string {
    return formatMoney({ amount, currency }, this.locale);
  }

  private date(iso: string): string {
    return formatDate(iso, this.language);
  }

  private get asOf(): string {
    return fillTemplate(this.l.asOf, { date: this.date(this.input.asOf) });
  }

  /** Starts a new page, headed by what it continues, when `height` does not fit; returns whether it did. */
  private ensure(height: number): boolean {
    if (this.y + height <= CONTENT_BOTTOM) return false;
    this.pdf.addPage();
    this.y = TOP;
    const heading = `${this.l.title} ${this.input.customer.name}, ${this.asOf} (${this.l.continued})`;
    this.y += this.text(heading, LEFT, this.y, WIDTH, { size: 8, color: COLOR.muted }) + 12;
    return true;
  }

  private header(): void {
    const { seller, customer } = this.input;
    const blockWidth = 240;
    const x = RIGHT - blockWidth;
    let right = TOP;
    right += this.text(seller.name, x, right, blockWidth, {
      size: 11,
      bold: true,
      color: COLOR.accent,
      align: 'right',
    });
    for (const line of [seller.street, `${seller.postalCode} ${seller.city}`, `${this.l.vatId} ${seller.vatId}`]) {
      right += this.text(line, x, right, blockWidth, { size: 9, color: COLOR.muted, align: 'right' });
    }

    let left = Math.max(right + 30, TOP + 90);
    const place = [customer.postalCode, customer.city].filter(Boolean).join(' ');
    left += this.text(customer.name, LEFT, left, 260, { size: 10, bold: true });
    for (const line of [customer.street, place].filter((s): s is string => !!s)) {
      left += this.text(line, LEFT, left, 260, { size: 10 });
    }

    this.y = left + 36;
    this.y += this.text(this.l.title, LEFT, this.y, WIDTH, { size: 16, bold: true, color: COLOR.accent }) + 2;
    this.y += this.text(this.asOf, LEFT, this.y, WIDTH, { size: 10, color: COLOR.muted }) + 22;
  }

  private heading(text: string): void {
    this.y += this.text(text, LEFT + PAD_X, this.y, WIDTH, { size: 9, bold: true, color: COLOR.accent }) + 4;
  }

  private headerHeight(columns: readonly Column[]): number {
    this.style(7.5, true);
    const texts = columns.map((c) => this.pdf.heightOfString(toWinAnsi(c.header), { width: c.width - 2 * PAD_X }));
    return Math.max(...texts) + 2 * PAD_Y + 1;
  }

  private tableHeader(columns: readonly Column[]): void {
    const height = this.headerHeight(columns);
    this.pdf.save().rect(LEFT, this.y, WIDTH, height).fillColor(COLOR.headerFill).fill().restore();
    let x = LEFT;
    for (const c of columns) {
      this.text(c.header, x + PAD_X, this.y + PAD_Y + 1, c.width - 2 * PAD_X, {
        size: 7.5,
        bold: true,
        color: COLOR.accent,
        align: c.align,
      });
      x += c.width;
    }
    this.y += height;
  }

  /** A headed table whose header is repeated on every page the rows run onto. */
  private table(title: string, columns: readonly Column[], rows: readonly (readonly Cell[])[]): void {
    const rowHeight = ROW_SIZE + 2 * PAD_Y;
    // Heading, header and a first row stay together.
    this.ensure(20 + this.headerHeight(columns) + rowHeight);
    this.heading(title);
    this.tableHeader(columns);
    for (const cells of rows) {
      if (this.ensure(rowHeight)) this.tableHeader(columns);
      let x = LEFT;
      columns.forEach((c, i) => {
        const cell = cells[i];
        const size = c.size ?? ROW_SIZE;
        // A smaller font sits lower so that its baseline meets the row's.
        const y = this.y + PAD_Y + 1 + (ROW_SIZE - size) * 0.72;
        if (cell !== undefined) this.fitted(cell.text, x + PAD_X, y, c.width - 2 * PAD_X, size, !!cell.bold, c.align);
        x += c.width;
      });
      this.y += rowHeight;
      this.rule(this.y);
    }
    this.y += 18;
  }

  private openItems(): void {
    const c = this.l.columns;
    const columns: Column[] = [
      { header: c.invoice, width: 92, align: 'left' },
      { header: c.reference, width: 82, align: 'left', size: 7 },
      { header: c.issueDate, width: 70, align: 'left' },
      { header: c.dueDate, width: 56, align: 'left' },
      { header: c.daysOverdue, width: 40, align: 'right' },
      { header: c.amount, width: (WIDTH - 340) / 2, align: 'right' },
      { header: c.balance, width: (WIDTH - 340) / 2, align: 'right' },
    ];
    const rows = this.input.lines.map((line) => [
      { text: line.invoiceNumber },
      { text: line.paymentReference ?? '' },
      { text: this.date(line.issueDate) },
      { text: this.date(line.dueDate) },
      { text: line.daysOverdue > 0 ? String(line.daysOverdue) : '' },
      { text: this.money(line.total, line.currency) },
      { text: this.money(line.balance, line.currency), bold: true },
    ]);
    this.table(this.l.openItems, columns, rows);
  }

  private aging(): void {
    const a = this.l.aging;
    const buckets = [...AGING_BUCKETS, 'total'] as const;
    const amountWidth = (WIDTH - 55) / buckets.length;
    const columns: Column[] = [
      { header: a.currency, width: 55, align: 'left' },
      ...buckets.map((b): Column => ({ header: a[b], width: amountWidth, align: 'right' })),
    ];
    // The currency heads the row, so the amounts go without it; currencies are never added together.
    const rows = Object.keys(this.input.totals)
      .sort()
      .map((currency) => {
        const totals = this.input.totals[currency]!;
        return [
          { text: currency },
          ...buckets.map((b) => ({
            text: this.money(totals[b], currency).slice(currency.length + 1),
            bold: b === 'total',
          })),
        ];
      });
    this.table(a.heading, columns, rows);
  }

  private charges(): void {
    const c = this.l.charges;
    const kinds: Readonly<Record<string, string>> = this.l.kinds;
    const columns: Column[] = [
      { header: c.invoice, width: 130, align: 'left' },
      { header: c.kind, width: WIDTH - 130 - 110, align: 'left' },
      { header: c.owed, width: 110, align: 'right' },
    ];
    const rows: Cell[][] = this.input.charges.map((charge) => [
      { text: charge.invoiceNumber },
      { text: kinds[charge.kind] ?? charge.kind },
      { text: this.money(charge.owed, charge.currency) },
    ]);
    for (const currency of Object.keys(this.input.chargeTotals).sort()) {
      rows.push([
        { text: c.total, bold: true },
        { text: '' },
        { text: this.money(this.input.chargeTotals[currency]!, currency), bold: true },
      ]);
    }
    this.table(c.heading, columns, rows);
  }

  private paragraph(text: string): void {
    const safe = toWinAnsi(text);
    this.style(9);
    const height = this.pdf.heightOfString(safe, { width: WIDTH, lineGap: 2 });
    // A new page's heading leaves its own style behind.
    if (this.ensure(height)) this.style(9);
    this.pdf.text(safe, LEFT, this.y, { width: WIDTH, lineGap: 2 });
    this.y += height + 8;
  }

  private closing(): void {
    const { seller } = this.input;
    const account = `IBAN ${formatAccount(seller.iban)}${seller.bic === null ? '' : ` (BIC ${seller.bic})`}`;
    this.paragraph(fillTemplate(this.l.pay, { account, seller: seller.name }));
    this.paragraph(this.l.differ);
  }

  private pageNumbers(): void {
    const range = this.pdf.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      this.pdf.switchToPage(range.start + i);
      const label = fillTemplate(this.l.page, { page: String(i + 1), pages: String(range.count) });
      this.text(label, LEFT, PAGE_NUMBER_Y, WIDTH, { size: 7.5, color: COLOR.muted, align: 'right' });
    }
  }
}
