import PDFDocument from 'pdfkit';
import { drawn, toWinAnsi } from './pdf.js';

// A dunning letter on paper (the `letter` channel): the same words as the mail, laid out as a letter with the
// seller's and the customer's addresses, for customers who file or forward letters rather than mails.

export interface LetterAddress {
  name: string;
  street: string | null;
  postalCode: string | null;
  city: string | null;
}

export interface LetterPdfInput {
  seller: LetterAddress;
  recipient: LetterAddress;
  /** ISO date of the letter. */
  date: string;
  subject: string;
  /** The letter's text, paragraphs separated by blank lines. */
  text: string;
  language: string;
}

const MARGIN = 60;
const addressLines = (a: LetterAddress) =>
  [a.name, a.street, [a.postalCode, a.city].filter(Boolean).join(' ')].filter((l): l is string => !!l);

/** Renders the letter; resolves with the complete PDF file. Deterministic for the same input (dated by the letter). */
export function renderLetterPdf(input: LetterPdfInput): Promise<Buffer> {
  const dated = new Date(`${input.date}T00:00:00Z`);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN + 10, right: MARGIN },
    lang: input.language,
    displayTitle: true,
    info: {
      Title: toWinAnsi(input.subject),
      Author: toWinAnsi(input.seller.name),
      Creator: 'o2c-engine',
      Producer: 'PDFKit',
      CreationDate: dated,
      ModDate: dated,
    },
  });
  return drawn(pdf, () => {
    const width = pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
    pdf.font('Helvetica-Bold').fontSize(11).fillColor('#1f3a5f');
    pdf.text(toWinAnsi(addressLines(input.seller).join('\n')), { align: 'right', width });
    pdf.moveDown(3);
    pdf.font('Helvetica').fontSize(10).fillColor('#1d2329');
    pdf.text(toWinAnsi(addressLines(input.recipient).join('\n')), { width: width / 2 });
    pdf.moveDown(2);
    pdf.text(input.date, { align: 'right', width });
    pdf.moveDown(1.5);
    pdf.font('Helvetica-Bold').fontSize(12).text(toWinAnsi(input.subject), { width });
    pdf.moveDown(1);
    pdf.font('Helvetica').fontSize(10).text(toWinAnsi(input.text.trimEnd()), { width, lineGap: 2 });
  });
}
