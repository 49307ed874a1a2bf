import { eq } from 'drizzle-orm';
import { DomainError } from '../domain/errors.js';
import { formatMoney } from '../domain/money.js';
import { QUANTITY_SCALE, type InvoiceDocument, type InvoiceDocumentInput } from '../domain/invoice-document.js';
import {
  draftCreditNote,
  draftRevisedInvoice,
  type CreditSelection,
  type LineRevision,
} from '../domain/invoice-draft.js';
import { documentWorkflowId } from '../temporal/workflow-ids.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { invoiceViews, openBalance, type InvoiceView } from './invoices.js';
import { getLegalEntity } from './legal-entities.js';
import { postDocument } from './posting.js';
import { allocations, invoices } from './schema.js';

export interface CreditNoteRequest {
  creditNoteId: string;
  invoiceId: string;
  selection: CreditSelection;
  reason: string;
  actor: string;
  /** The workflow's instant; the credit note is dated in the seller entity's time zone. */
  issuedAt: string;
}

/**
 * Issues a credit note against an invoice, full or partial, in the seller's credit note series: under the
 * invoice's row lock, so two credit notes (or a credit note and a payment) cannot both take the same balance,
 * and never for more than the open balance: an invoice never goes below zero. The credit note repeats the
 * invoice's prices, discounts and VAT (domain/invoice-draft.ts) and is audited with who and why. A repeated
 * credit note id returns the first one.
 */
export async function issueCreditNote(
  db: Db,
  request: CreditNoteRequest,
): Promise<{ creditNote: InvoiceView; invoice: InvoiceView; created: boolean }> {
  const created = await db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, request.invoiceId);
    if (await alreadyIssued(tx, request.creditNoteId, invoice.id)) return false;
    await postCreditNote(tx, invoice, request);
    return true;
  });
  const [[creditNote], [invoice]] = await Promise.all([
    invoiceViews(db, { invoiceId: request.creditNoteId }),
    invoiceViews(db, { invoiceId: request.invoiceId }),
  ]);
  return { creditNote: creditNote!, invoice: invoice!, created };
}

/**
 * Credits in full an invoice nothing was paid on (a prepayment that never came), by the system; false, and
 * nothing credited, once any payment arrived on it: a customer who started paying is not turned away.
 */
export async function creditUnpaidInvoice(
  db: Db,
  request: Omit<CreditNoteRequest, 'selection' | 'actor'>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, request.invoiceId);
    if (await alreadyIssued(tx, request.creditNoteId, invoice.id)) return true;
    const [paid] = await tx
      .select({ paymentId: allocations.paymentId })
      .from(allocations)
      .where(eq(allocations.invoiceId, invoice.id));
    if (paid) return false;
    await postCreditNote(tx, invoice, { ...request, actor: 'system', selection: { lines: allLines(invoice) } });
    return true;
  });
}

export interface RevisionRequest {
  invoiceId: string;
  creditNoteId: string;
  /** The id of the replacing invoice (and of its InvoiceWorkflow). */
  revisedInvoiceId: string;
  revisedWorkflowId: string;
  changes: LineRevision[];
  reason: string;
  actor: string;
  issuedAt: string;
}

/**
 * A revised invoice: the invoice credited in full and a corrected one issued in its place, in one transaction
 * (both numbers or neither). Only for an invoice nothing was paid or credited on yet; otherwise credit it.
 */
export async function reviseInvoice(
  db: Db,
  request: RevisionRequest,
): Promise<{ creditNote: InvoiceView; invoice: InvoiceView; revised: InvoiceView; created: boolean }> {
  const created = await db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, request.invoiceId);
    if (await alreadyIssued(tx, request.creditNoteId, invoice.id)) return false;
    if ((await balanceOf(tx, invoice)) !== invoice.total) {
      throw new DomainError(
        'INVOICE_PARTLY_SETTLED',
        `Invoice ${invoice.number} is partly paid or credited; correct it with a credit note instead`,
      );
    }
    const original = invoice.document as InvoiceDocumentInput;
    await postCreditNote(tx, invoice, { ...request, selection: { lines: allLines(invoice) } });

    const revised = await postDocument(tx, {
      id: request.revisedInvoiceId,
      kind: 'invoice',
      entity: await getLegalEntity(tx, invoice.legalEntity!),
      issuedAt: request.issuedAt,
      place: {
        orderId: invoice.orderId,
        shipmentId: invoice.shipmentId,
        customerId: invoice.customerId,
        currency: invoice.currency,
        workflowId: request.revisedWorkflowId,
      },
      draft: ({ number, issueDate, paymentReference }) =>
        draftRevisedInvoice(original, {
          number,
          issueDate,
          paymentReference: paymentReference!,
          reason: request.reason,
          changes: request.changes,
        }),
      refuseInvalid: invalidCorrection,
    });
    await recordAudit(tx, {
      decisionKey: `revision:${request.creditNoteId}`,
      actor: request.actor,
      action: 'invoice.revise',
      entityType: 'invoice',
      entityId: invoice.id,
      reason: request.reason,
      details: { revisedInvoice: revised.number, total: revised.totals.amountDue, changes: request.changes },
    });
    return true;
  });
  const [[creditNote], [invoice], [revised]] = await Promise.all([
    invoiceViews(db, { invoiceId: request.creditNoteId }),
    invoiceViews(db, { invoiceId: request.invoiceId }),
    invoiceViews(db, { invoiceId: request.revisedInvoiceId }),
  ]);
  return { creditNote: creditNote!, invoice: invoice!, revised: revised!, created };
}

type Invoice = typeof invoices.$inferSelect;

async function lockInvoice(tx: DbOrTx, invoiceId: string): Promise<Invoice> {
  const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, invoiceId)).for('update');
  if (!invoice) throw new DomainError('NOT_FOUND', `No invoice with id ${invoiceId}`);
  if (invoice.type !== 'invoice')
    throw new DomainError('NOT_AN_INVOICE', `${invoice.number} is a credit note; correct the invoice it corrects`);
  if (!invoice.document || !invoice.legalEntity) {
    throw new DomainError(
      'NO_DOCUMENT',
      `Invoice ${invoice.number} was issued before invoices carried their document; it cannot be corrected here`,
    );
  }
  return invoice;
}

/** A repeated request (same Idempotency-Key) finds what the first one issued. */
async function alreadyIssued(tx: DbOrTx, creditNoteId: string, invoiceId: string): Promise<boolean> {
  const [existing] = await tx
    .select({ correctsInvoiceId: invoices.correctsInvoiceId })
    .from(invoices)
    .where(eq(invoices.id, creditNoteId));
  if (!existing) return false;
  if (existing.correctsInvoiceId !== invoiceId)
    throw new DomainError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for another invoice',
      'Idempotency-Key',
    );
  return true;
}

/** Every line of the invoice in full: a credit note that cancels it. */
const allLines = (invoice: Invoice) =>
  (invoice.document as InvoiceDocumentInput).lines.map((l, i) => ({
    lineNo: i + 1,
    quantity: l.quantityThousandths / QUANTITY_SCALE,
  }));

async function balanceOf(tx: DbOrTx, invoice: Invoice): Promise<number> {
  const [row] = await tx.select({ balance: openBalance() }).from(invoices).where(eq(invoices.id, invoice.id));
  return row!.balance;
}

/** A document the correction would make invalid is the caller's mistake: 422 naming the field. */
const invalidCorrection = (err: RangeError) =>
  new DomainError('INVALID_CREDIT', err.message, err.message.split(':')[0]?.replace(/\[(\d+)\]/g, '.$1'));

/** The credit note itself, never above the invoice's open balance. */
async function postCreditNote(
  tx: DbOrTx,
  invoice: Invoice,
  request: Omit<CreditNoteRequest, 'invoiceId'>,
): Promise<InvoiceDocument> {
  const balance = await balanceOf(tx, invoice);
  const document = await postDocument(tx, {
    id: request.creditNoteId,
    kind: 'credit_note',
    entity: await getLegalEntity(tx, invoice.legalEntity!),
    issuedAt: request.issuedAt,
    place: {
      orderId: invoice.orderId,
      customerId: invoice.customerId,
      currency: invoice.currency,
      correctsInvoiceId: invoice.id,
      reason: request.reason,
      workflowId: documentWorkflowId(request.creditNoteId),
    },
    draft: ({ number, issueDate }) =>
      draftCreditNote(invoice.document as InvoiceDocumentInput, {
        number,
        issueDate,
        reason: request.reason,
        selection: request.selection,
      }),
    refuseInvalid: invalidCorrection,
    check: (built) => {
      if (built.totals.amountDue <= balance) return;
      throw new DomainError(
        'CREDIT_EXCEEDS_BALANCE',
        `The credit note would be ${formatMoney({ amount: built.totals.amountDue, currency: invoice.currency })} (VAT included) but the invoice's open balance is ${formatMoney({ amount: balance, currency: invoice.currency })}; an invoice is never credited below zero`,
        request.selection.lines ? 'lines' : 'amount',
      );
    },
  });
  await recordAudit(tx, {
    decisionKey: `credit-note:${request.creditNoteId}`,
    actor: request.actor,
    action: 'invoice.credit',
    entityType: 'invoice',
    entityId: invoice.id,
    reason: request.reason,
    details: {
      creditNote: document.number,
      total: document.totals.amountDue,
      currency: invoice.currency,
      selection: request.selection,
    },
  });
  return document;
}
