import {
  creditUnpaidInvoice,
  issueCreditNote,
  reviseInvoice,
  type CreditNoteRequest,
  type RevisionRequest,
} from '../db/credit-notes.js';
import { closeSettledInvoice, invoiceBalance, issueInvoice, type InvoiceView } from '../db/invoices.js';
import type { SettledStatus } from '../domain/invoice-status.js';
import type { ActivityDeps } from './deps.js';

export function createInvoicingActivities({ db, invoicing }: ActivityDeps) {
  return {
    /** Issues the invoice with the next gapless number of its seller entity; idempotent on the invoice id. */
    async issueInvoice(input: {
      invoiceId: string;
      orderId: string;
      shipmentId?: string;
      issuedAt: string;
      workflowId: string;
    }): Promise<InvoiceView> {
      return issueInvoice(db, { ...input, defaultLegalEntity: invoicing.defaultLegalEntity });
    },
    /** The balance from the ledger of payments and credit notes, the only source of truth for what is owed. */
    async getInvoiceBalance(input: { invoiceId: string }): Promise<number> {
      return invoiceBalance(db, input.invoiceId);
    },
    /** A settled invoice is closed as paid, or as credited when credit notes alone settled it; its open disputes with it. */
    async closeSettledInvoice(input: { invoiceId: string; closedAt?: string }): Promise<SettledStatus> {
      // closedAt: absent from receivables scheduled before disputes closed with the invoice.
      return closeSettledInvoice(db, input.invoiceId, input.closedAt ?? new Date().toISOString());
    },
    /** A correction asked for through the invoice's workflow; idempotent on the credit note id. */
    async issueCreditNote(input: CreditNoteRequest) {
      return issueCreditNote(db, input);
    },
    async reviseInvoice(input: RevisionRequest) {
      return reviseInvoice(db, input);
    },
    /** An unpaid prepayment invoice expires with its order: credited in full, unless a payment arrived. */
    async creditUnpaidInvoice(input: Omit<CreditNoteRequest, 'selection' | 'actor'>): Promise<boolean> {
      return creditUnpaidInvoice(db, input);
    },
  };
}
