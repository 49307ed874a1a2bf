/**
 * Status of a posted document. An invoice is `open` until settled: `paid` when payments settled it (credit
 * notes may have helped), `credited` when credit notes alone did. A credit note is `issued`. Corrections are
 * credit notes, so there is no "edited" or "void".
 */
export const INVOICE_STATUSES = ['open', 'paid', 'credited', 'issued'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export type SettledStatus = 'paid' | 'credited';

export function settledStatus(hasPayments: boolean): SettledStatus {
  return hasPayments ? 'paid' : 'credited';
}
