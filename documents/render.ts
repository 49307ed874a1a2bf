import { buildInvoiceDocument, type InvoiceDocumentInput } from '../domain/invoice-document.js';
import { renderInvoicePdf } from './pdf.js';
import { isPdfLanguage } from './pdf-labels.js';
import { toUbl } from './ubl.js';

export interface RenderedDocuments {
  pdf: Buffer;
  ubl: string;
}

/** The PDF (in the customer's language; English when we have no labels for it) and the Peppol UBL of one document. */
export async function renderDocuments(input: InvoiceDocumentInput, language: string): Promise<RenderedDocuments> {
  const doc = buildInvoiceDocument(input);
  return { pdf: await renderInvoicePdf(doc, { language: isPdfLanguage(language) ? language : 'en' }), ubl: toUbl(doc) };
}
