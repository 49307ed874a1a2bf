import { eq } from 'drizzle-orm';
import { buildInvoiceDocument, QUANTITY_SCALE, type InvoiceDocumentInput } from '../domain/invoice-document.js';
import {
  draftCreditNote,
  draftRevisedInvoice,
  type CreditSelection,
  type LineRevision,
} from '../domain/invoice-draft.js';
import { invoicePaymentReference, type PaymentReferenceScheme } from '../domain/payment-reference.js';
import { documentWorkflowId } from '../temporal/workflow-ids.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { DomainError } from './errors.js';
import { insertInvoiceLines, invoiceViews, nextNumber, openBalance, type InvoiceView } from './invoices.js';
import { getLegalEntity } from './legal-entities.js';
import { invoices } from './schema.js';

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
export async function issueCreditNote(
  db: Db,
  request: CreditNoteRequest,
): Promise<{ creditNote: InvoiceView; invoice: InvoiceView; created: boolean }> {
  const created = await db.transaction(async (tx) => {
    const invoice = await lockInvoice(tx, request.invoiceId);
    if (await alreadyIssued(tx, request.creditNoteId, invoice.id)) return false;
    const balance = await balanceOf(tx, invoice);
    await insertCreditNote(tx, invoice, request, balance);
    return true;
  });
  const [[creditNote], [invoice]] = await Promise.all([
    invoiceViews(db, { invoiceId: request.creditNoteId }),
    invoiceViews(db, { invoiceId: request.invoiceId }),
  ]);
  return { creditNote: creditNote!, invoice: invoice!, created };
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
  issueDate: string;
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
    const balance = await balanceOf(tx, invoice);
    if (balance !== invoice.total) {
      throw new DomainError(
        'INVOICE_PARTLY_SETTLED',
        `Invoice ${invoice.number} is partly paid or credited; correct it with a credit note instead`,
        409,
      );
    }
    const document = invoice.document as InvoiceDocumentInput;
    const all = document.lines.map((l, i) => ({ lineNo: i + 1, quantity: l.quantityThousandths / QUANTITY_SCALE }));
    await insertCreditNote(tx, invoice, { ...request, selection: { lines: all } }, balance);

    const entity = await getLegalEntity(tx, invoice.legalEntity!);
    const year = Number(request.issueDate.slice(0, 4));
    const { number, sequence } = await nextNumber(tx, { prefix: entity.invoicePrefix, legalEntity: entity.code, year });
    const paymentReference = invoicePaymentReference(entity.paymentReferenceScheme as PaymentReferenceScheme, {
      number,
      entityNo: entity.referenceNo,
      year,
      sequence,
    });
    const input = asCorrection(() =>
      draftRevisedInvoice(document, {
        number,
        issueDate: request.issueDate,
        paymentReference,
        reason: request.reason,
        changes: request.changes,
      }),
    );
    const revised = asCorrection(() => buildInvoiceDocument(input));
    await tx.insert(invoices).values({
      id: request.revisedInvoiceId,
      type: 'invoice',
      number,
      series: entity.invoicePrefix,
      legalEntity: entity.code,
      orderId: invoice.orderId,
      shipmentId: invoice.shipmentId,
      customerId: invoice.customerId,
      currency: invoice.currency,
      netTotal: revised.totals.totalWithoutVat,
      vatTotal: revised.totals.vatTotal,
      total: revised.totals.amountDue,
      issueDate: request.issueDate,
      dueDate: revised.dueDate,
      paymentReference,
      document: input,
      status: 'open',
      workflowId: request.revisedWorkflowId,
    });
    await insertInvoiceLines(tx, request.revisedInvoiceId, revised);
    await recordAudit(tx, {
      decisionKey: `revision:${request.creditNoteId}`,
      actor: request.actor,
      action: 'invoice.revise',
      entityType: 'invoice',
      entityId: invoice.id,
      reason: request.reason,
      details: { revisedInvoice: number, total: revised.totals.amountDue, changes: request.changes },
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
  if (!invoice) throw new DomainError('NOT_FOUND', `No invoice with id ${invoiceId}`, 404);
  if (invoice.type !== 'invoice')
    throw new DomainError('NOT_AN_INVOICE', `${invoice.number} is a credit note; correct the invoice it corrects`, 422);
  if (!invoice.document || !invoice.legalEntity) {
    throw new DomainError(
      'NO_DOCUMENT',
      `Invoice ${invoice.number} was issued before invoices carried their document; it cannot be corrected here`,
      409,
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
      409,
      'Idempotency-Key',
    );
  return true;
}

async function balanceOf(tx: DbOrTx, invoice: Invoice): Promise<number> {
  const [row] = await tx.select({ balance: openBalance() }).from(invoices).where(eq(invoices.id, invoice.id));
  return row!.balance;
}

/** A document the correction would make invalid is the caller's mistake: 422 naming the field. */
function asCorrection<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new DomainError('INVALID_CREDIT', err.message, 422, err.message.split(':')[0]?.replace(/\[(\d+)\]/g, '.$1'));
  }
}

/**
 * The credit note itself, in the seller's credit note series, never above the open balance (but for VAT
 * rounding: VAT is rounded once per document, so partial credit notes can together exceed the invoice's VAT by
 * a minor unit per VAT rate; crediting the rest may take that unit, never more).
 */
async function insertCreditNote(
  tx: DbOrTx,
  invoice: Invoice,
  request: Omit<CreditNoteRequest, 'invoiceId'>,
  balance: number,
): Promise<void> {
  const entity = await getLegalEntity(tx, invoice.legalEntity!);
  const year = Number(request.issueDate.slice(0, 4));
  const { number } = await nextNumber(tx, { prefix: entity.creditNotePrefix, legalEntity: entity.code, year });
  const input = asCorrection(() =>
    draftCreditNote(invoice.document as InvoiceDocumentInput, {
      number,
      issueDate: request.issueDate,
      reason: request.reason,
      selection: request.selection,
      roundAmountUp: request.selection.amount === balance,
    }),
  );
  const document = asCorrection(() => buildInvoiceDocument(input));
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
  await insertInvoiceLines(tx, request.creditNoteId, document);
  await recordAudit(tx, {
    decisionKey: `credit-note:${request.creditNoteId}`,
    actor: request.actor,
    action: 'invoice.credit',
    entityType: 'invoice',
    entityId: invoice.id,
    reason: request.reason,
    details: {
      creditNote: number,
      total: document.totals.amountDue,
      currency: invoice.currency,
      selection: request.selection,
    },
  });
}
