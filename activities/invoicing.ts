import { invoiceBalance, issueInvoice, markInvoicePaid, type InvoiceView } from '../db/invoices.js';
import type { ActivityDeps } from './deps.js';

export function createInvoicingActivities({ db, invoicing }: ActivityDeps) {
  return {
    /** Issues the invoice with the next gapless number; idempotent on the invoice id. */
    async issueInvoice(input: {
      invoiceId: string;
      orderId: string;
      shipmentId?: string;
      issueDate: string;
      workflowId: string;
    }): Promise<InvoiceView> {
      return issueInvoice(db, { ...input, defaultLegalEntity: invoicing.defaultLegalEntity });
    },
    /** The balance from the allocation ledger, the only source of truth for what is still owed. */
    async getInvoiceBalance(input: { invoiceId: string }): Promise<number> {
      return invoiceBalance(db, input.invoiceId);
    },
    async markInvoicePaid(input: { invoiceId: string }): Promise<void> {
      await markInvoicePaid(db, input.invoiceId);
    },
  };
}
