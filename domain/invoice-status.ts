/**
 * Status of a posted document. An invoice is `open` until settled: `written_off` when collections gave up on
 * what was left (payments may have helped), `paid` when payments settled it (credit notes may have helped),
 * `credited` when credit notes alone did. A credit note is `issued`. Corrections are credit notes, so there is no
 * "edited" or "void".
 */
export const INVOICE_STATUSES = ['open', 'paid', 'credited', 'written_off', 'issued'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const SETTLED_STATUSES = ['paid', 'credited', 'written_off'] as const;
export type SettledStatus = (typeof SETTLED_STATUSES)[number];

export const isSettledStatus = (status: string | undefined): status is SettledStatus =>
  (SETTLED_STATUSES as readonly (string | undefined)[]).includes(status);

export function settledStatus(settledBy: { payments: boolean; writeOff: boolean }): SettledStatus {
  return settledBy.writeOff ? 'written_off' : settledBy.payments ? 'paid' : 'credited';
}
