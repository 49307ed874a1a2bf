import { eq } from 'drizzle-orm';
import { buildInvoiceDocument, type InvoiceDocumentInput } from '../domain/invoice-document.js';
import { draftCreditNote, type CreditSelection } from '../domain/invoice-draft.js';
import { documentWorkflowId } from '../temporal/workflow-ids.js';
import { recordAudit } from './audit.js';
import type { Db } from './client.js';
import { DomainError } from './errors.js';
import { invoiceViews, nextNumber, settledAmount, type InvoiceView } from './invoices.js';
import { getLegalEntity } from './legal-entities.js';
import { invoiceLines, invoices } from './schema.js';

export interface CreditNoteRequest {
  creditNoteId: string;
  invoiceId: string;
  selection: CreditSelection;
  reason: string;
  actor: string;
  issueDate: string;
}

/**
 * Issues a credit note against an invoice, full or partial, in the seller's credit note series: under the
 * invoice's row lock, so two credit notes (or a credit note and a payment) cannot both take the same balance.
 * The credit note repeats the invoice's prices, discounts and VAT (domain/invoice-draft.ts), reduces its balance
 * and is audited with who and why. A repeated credit note id returns the first one.
 */
export async function issueCreditNote(db: Db, request: CreditNoteRequest): Promise<{ creditNote: InvoiceView; invoice: InvoiceView; created: boolean }> {
  const created = await db.transaction(async (tx) => {
    const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, request.invoiceId)).for('update');
    if (!invoice) throw new DomainError('NOT_FOUND', `No invoice with id ${request.invoiceId}`, 404);
    const [existing] = await tx.select({ correctsInvoiceId: invoices.correctsInvoiceId }).from(invoices).where(eq(invoices.id, request.creditNoteId));
    if (existing) {
      if (existing.correctsInvoiceId !== invoice.id) throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for another invoice', 409, 'Idempotency-Key');
      return false;
    }
    if (invoice.type !== 'invoice') throw new DomainError('NOT_AN_INVOICE', `${invoice.number} is a credit note; credit the invoice it corrects`, 422);
    if (!invoice.document || !invoice.legalEntity) {
      throw new DomainError('NO_DOCUMENT', `Invoice ${invoice.number} was issued before invoices carried their document; it cannot be credited here`, 409);
    }
    const entity = await getLegalEntity(tx, invoice.legalEntity);
    const year = Number(request.issueDate.slice(0, 4));
    const { number } = await nextNumber(tx, { prefix: entity.creditNotePrefix, legalEntity: entity.code, year });
    const [{ settled } = { settled: 0 }] = await tx.select({ settled: settledAmount() }).from(invoices).where(eq(invoices.id, invoice.id));
    const balance = invoice.total - settled;
    let document;
    let input: InvoiceDocumentInput;
    try {
      input = draftCreditNote(invoice.document as InvoiceDocumentInput, {
        number, issueDate: request.issueDate, reason: request.reason, selection: request.selection, roundAmountUp: request.selection.amount === balance,
      });
      document = buildInvoiceDocument(input);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      throw new DomainError('INVALID_CREDIT', err.message, 422, err.message.split(':')[0]?.replace(/\[(\d+)\]/g, '.$1'));
    }
    // VAT is rounded once per document, so credit notes for parts of an invoice can together exceed its VAT by
    // a minor unit per VAT rate; crediting the rest may take that unit, never more.
    if (document.totals.amountDue > balance + document.vatBreakdown.length) {
      throw new DomainError(
        'CREDIT_EXCEEDS_BALANCE',
        `The credit note would be ${document.totals.amountDue} ${invoice.currency} (VAT included) but the invoice's open balance is ${balance}; refunds of paid invoices are not handled here`,
        422,
        request.selection.lines ? 'lines' : 'amount',
      );
    }
    await tx.insert(invoices).values({
      id: request.creditNoteId,
      type: 'credit_note',
      number,
      series: entity.creditNotePrefix,
      legalEntity: entity.code,
      correctsInvoiceId: invoice.id,
      reason: request.reason,
      orderId: invoice.orderId,
      customerId: invoice.customerId,
      currency: invoice.currency,
      netTotal: document.totals.totalWithoutVat,
      vatTotal: document.totals.vatTotal,
      total: document.totals.amountDue,
      issueDate: request.issueDate,
      dueDate: request.issueDate,
      paymentReference: null,
      document: input,
      status: 'issued',
      workflowId: documentWorkflowId(request.creditNoteId),
    });
    await tx.insert(invoiceLines).values(document.lines.map((line, i) => ({
      invoiceId: request.creditNoteId, lineNo: i + 1, sku: line.sku, description: line.description, quantity: Math.round(line.quantityThousandths / 1000),
      unitPrice: line.unitPrice, lineTotal: line.netAmount, vatCategory: line.vat.code, vatRateBp: line.vat.rateBp,
    })));
    await recordAudit(tx, {
      decisionKey: `credit-note:${request.creditNoteId}`, actor: request.actor, action: 'invoice.credit', entityType: 'invoice', entityId: invoice.id,
      reason: request.reason, details: { creditNote: number, total: document.totals.amountDue, currency: invoice.currency, selection: request.selection },
    });
    return true;
  });
  const [[creditNote], [invoice]] = await Promise.all([
    invoiceViews(db, { invoiceId: request.creditNoteId }),
    invoiceViews(db, { invoiceId: request.invoiceId }),
  ]);
  return { creditNote: creditNote!, invoice: invoice!, created };
}
