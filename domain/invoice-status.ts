/** Status of a posted invoice. Corrections are credit notes, so there is no "edited"/"void" status. */
export const INVOICE_STATUSES = ['open', 'paid'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const TERMINAL_INVOICE_STATUSES = ['paid'] as const satisfies readonly InvoiceStatus[];

export function isInvoiceStatus(s: string): s is InvoiceStatus {
  return (INVOICE_STATUSES as readonly string[]).includes(s);
}

export function isTerminalInvoiceStatus(s: InvoiceStatus): boolean {
  return (TERMINAL_INVOICE_STATUSES as readonly InvoiceStatus[]).includes(s);
}
