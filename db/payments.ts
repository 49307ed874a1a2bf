import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { allocatePayment } from '../domain/allocation.js';
import type { Db } from './client.js';
import { DomainError } from '../domain/errors.js';
import { openBalance } from './invoices.js';
import { allocations, invoices, payments, unappliedCash } from './schema.js';

export interface IncomingPayment {
  externalId: string;
  invoiceNumber: string;
  amount: number;
  currency: string;
  method: string;
}

export interface RecordedPayment {
  paymentId: string;
  invoiceId: string;
  invoiceWorkflowId: string;
  applied: number;
  unapplied: number;
  /** True when this externalId was recorded before: nothing was written this time. */
  duplicate: boolean;
}

/**
 * Records a payment against an invoice: the payment, its allocation (up to the open balance) and any rest as
 * unapplied cash on the customer, in one transaction under the invoice's row lock so two payments for one
 * invoice cannot both allocate the same balance. A repeated externalId changes nothing.
 */
export async function recordPayment(db: Db, input: IncomingPayment): Promise<RecordedPayment> {
  return db.transaction(async (tx) => {
    const [invoice] = await tx.select().from(invoices).where(eq(invoices.number, input.invoiceNumber)).for('update');
    if (!invoice)
      throw new DomainError('UNKNOWN_INVOICE', `No invoice with number ${input.invoiceNumber}`, 'invoiceNumber');

    const [prior] = await tx.select().from(payments).where(eq(payments.externalId, input.externalId));
    if (prior) {
      if (
        prior.amount !== input.amount ||
        prior.currency !== input.currency ||
        prior.invoiceNumber !== input.invoiceNumber
      ) {
        throw new DomainError(
          'PAYMENT_CONFLICT',
          `Payment ${input.externalId} was already recorded with other details`,
          'externalId',
        );
      }
      const [allocation] = await tx.select().from(allocations).where(eq(allocations.paymentId, prior.id));
      return {
        paymentId: prior.id,
        invoiceId: invoice.id,
        invoiceWorkflowId: invoice.workflowId,
        applied: allocation?.amount ?? 0,
        unapplied: prior.amount - (allocation?.amount ?? 0),
        duplicate: true,
      };
    }
    if (input.currency !== invoice.currency) {
      throw new DomainError(
        'CURRENCY_MISMATCH',
        `Invoice ${invoice.number} is in ${invoice.currency}, the payment in ${input.currency}`,
        'currency',
      );
    }

    if (invoice.type !== 'invoice')
      throw new DomainError(
        'NOT_AN_INVOICE',
        `${invoice.number} is a credit note; pay the invoice it corrects`,
        'invoiceNumber',
      );
    const [{ balance } = { balance: 0 }] = await tx
      .select({ balance: openBalance() })
      .from(invoices)
      .where(eq(invoices.id, invoice.id));
    const { applied, unapplied } = allocatePayment(input.amount, balance);

    const paymentId = randomUUID();
    await tx.insert(payments).values({ id: paymentId, customerId: invoice.customerId, ...input });
    if (applied > 0) await tx.insert(allocations).values({ paymentId, invoiceId: invoice.id, amount: applied });
    if (unapplied > 0) {
      await tx
        .insert(unappliedCash)
        .values({ paymentId, customerId: invoice.customerId, amount: unapplied, currency: input.currency });
    }
    return {
      paymentId,
      invoiceId: invoice.id,
      invoiceWorkflowId: invoice.workflowId,
      applied,
      unapplied,
      duplicate: false,
    };
  });
}
