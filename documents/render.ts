import { buildInvoiceDocument, type InvoiceDocumentInput } from '../domain/invoice-document.js';
import { renderInvoicePdf } from './pdf.js';
import { isPdfLanguage } from './pdf-labels.js';
import { toUbl } from './ubl.js';

export interface RenderedDocuments {
  pdf: Buffer;
  /** Absent for a buyer without an electronic address: no valid Peppol UBL can be made for it. */
  ubl?: string;
}

/**
 * The PDF (in the customer's language; English when we have no labels for it) and, where the buyer has an
 * electronic address, the Peppol UBL of one document.
 */
export async function renderDocuments(input: InvoiceDocumentInput, language: string): Promise<RenderedDocuments> {
  const doc = buildInvoiceDocument(input);
  const pdf = await renderInvoicePdf(doc, { language: isPdfLanguage(language) ? language : 'en' });
  return hasUbl(input) ? { pdf, ubl: toUbl(doc) } : { pdf };
}

/** Whether a document gets a UBL: only a buyer with an electronic address can receive a valid one. */
export const hasUbl = (input: InvoiceDocumentInput): boolean => input.buyer.endpoint !== undefined;
