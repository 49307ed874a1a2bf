import { formatMoney } from './money.js';
import { isLetterLanguage, type LetterLanguage } from './letters.js';

// The mail that carries an invoice or credit note (PDF and UBL attached), in the customer's language.

export interface InvoiceMailInput {
  language: string;
  type: 'invoice' | 'credit_note';
  number: string;
  customerName: string;
  sellerName: string;
  total: number;
  currency: string;
  dueDate: string;
  paymentReference: string | null;
}

type Text = {
  invoice: string;
  creditNote: string;
  body: (i: InvoiceMailInput, amount: string) => string;
  creditBody: (i: InvoiceMailInput, amount: string) => string;
};

const texts: Record<LetterLanguage, Text> = {
  en: {
    invoice: 'Invoice',
    creditNote: 'Credit note',
    body: (i, a) =>
      `Dear ${i.customerName},\n\nAttached is invoice ${i.number} for ${a}, due on ${i.dueDate}. Please pay with payment reference ${i.paymentReference}.\nThe PDF is for reading, the XML (Peppol BIS Billing 3.0) for your accounting system.\n\n${i.sellerName}\n`,
    creditBody: (i, a) =>
      `Dear ${i.customerName},\n\nAttached is credit note ${i.number} for ${a}.\n\n${i.sellerName}\n`,
  },
  nl: {
    invoice: 'Factuur',
    creditNote: 'Creditnota',
    body: (i, a) =>
      `Geachte ${i.customerName},\n\nBijgaand factuur ${i.number} van ${a}, te voldoen uiterlijk ${i.dueDate}. Vermeld bij betaling het betalingskenmerk ${i.paymentReference}.\nDe PDF is om te lezen, de XML (Peppol BIS Billing 3.0) voor uw boekhouding.\n\n${i.sellerName}\n`,
    creditBody: (i, a) =>
      `Geachte ${i.customerName},\n\nBijgaand creditnota ${i.number} van ${a}.\n\n${i.sellerName}\n`,
  },
  de: {
    invoice: 'Rechnung',
    creditNote: 'Gutschrift',
    body: (i, a) =>
      `Sehr geehrte Damen und Herren (${i.customerName}),\n\nanbei die Rechnung ${i.number} über ${a}, fällig am ${i.dueDate}. Bitte geben Sie bei der Zahlung die Referenz ${i.paymentReference} an.\nDas PDF ist zum Lesen, das XML (Peppol BIS Billing 3.0) für Ihre Buchhaltung.\n\n${i.sellerName}\n`,
    creditBody: (i, a) =>
      `Sehr geehrte Damen und Herren (${i.customerName}),\n\nanbei die Gutschrift ${i.number} über ${a}.\n\n${i.sellerName}\n`,
  },
  nb: {
    invoice: 'Faktura',
    creditNote: 'Kreditnota',
    body: (i, a) =>
      `Til ${i.customerName},\n\nVedlagt faktura ${i.number} på ${a}, forfall ${i.dueDate}. Bruk KID/referanse ${i.paymentReference} ved betaling.\nPDF-en er for lesing, XML-en (Peppol BIS Billing 3.0) for regnskapssystemet.\n\n${i.sellerName}\n`,
    creditBody: (i, a) => `Til ${i.customerName},\n\nVedlagt kreditnota ${i.number} på ${a}.\n\n${i.sellerName}\n`,
  },
};

export function invoiceMail(input: InvoiceMailInput): { subject: string; text: string; fileBase: string } {
  const language = isLetterLanguage(input.language) ? input.language : 'en';
  const t = texts[language];
  const amount = formatMoney({ amount: input.total, currency: input.currency }, language);
  const credit = input.type === 'credit_note';
  return {
    subject: `${credit ? t.creditNote : t.invoice} ${input.number} - ${input.sellerName}`,
    text: credit ? t.creditBody(input, amount) : t.body(input, amount),
    fileBase: `${credit ? t.creditNote : t.invoice}-${input.number}`.replace(/[^A-Za-z0-9.-]/g, '_'),
  };
}
