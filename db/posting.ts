import { and, eq, sql } from 'drizzle-orm';
import {
  buildInvoiceDocument,
  QUANTITY_SCALE,
  type InvoiceDocument,
  type InvoiceDocumentInput,
} from '../domain/invoice-document.js';
import { invoicePaymentReference, type PaymentReferenceScheme } from '../domain/payment-reference.js';
import { localDate } from '../domain/time-zones.js';
import type { DbOrTx } from './client.js';
import type { LegalEntity } from './legal-entities.js';
import { invoiceLines, invoiceSeries, invoices } from './schema.js';

export type DocumentKind = 'invoice' | 'credit_note';

/** What a posted document needs besides its number, date and reference: its place in the ledger. */
export interface LedgerPlace {
  orderId: string;
  shipmentId?: string | null;
  customerId: string;
  currency: string;
  /** For a credit note: the invoice it corrects, and why. */
  correctsInvoiceId?: string;
  reason?: string;
  /** The workflow that owns it: the receivable of an invoice, the delivery of a credit note. */
  workflowId: string;
}

export interface Posting {
  id: string;
  kind: DocumentKind;
  entity: LegalEntity;
  /** When it is posted (an ISO instant from the workflow, so a retry posts the same); dated in the entity's zone. */
  issuedAt: string;
  place: LedgerPlace;
  /** The document for the number, issue date and payment reference (null for a credit note) it was given. */
  draft: (assigned: { number: string; issueDate: string; paymentReference: string | null }) => InvoiceDocumentInput;
  /** A last business check on the built document, inside the transaction (a credit note within the balance). */
  check?: (document: InvoiceDocument) => void;
  /**
   * For a document a person asked for (a correction): what its invalid input is, as a refusal naming the field.
   * Without it, a document the engine cannot build from its own data is a bug, and stays a RangeError.
   */
  refuseInvalid?: (err: RangeError) => Error;
}

/**
 * Posts an invoice or credit note, the one path every document takes: its date in the seller entity's time zone,
 * the next number of the entity's series for that kind and year, the payment reference (invoices), the EN 16931
 * document, the row and its lines. In the caller's transaction, under the series row's lock: a rollback returns
 * the number, so numbering stays gapless.
 */
export async function postDocument(tx: DbOrTx, posting: Posting): Promise<InvoiceDocument> {
  const { entity, kind } = posting;
  const issueDate = localDate(posting.issuedAt, entity.timeZone);
  const year = Number(issueDate.slice(0, 4));
  const { number, sequence } = await nextNumber(tx, { entity, kind, year });
  const paymentReference =
    kind === 'invoice'
      ? invoicePaymentReference(entity.paymentReferenceScheme as PaymentReferenceScheme, {
          entityNo: entity.referenceNo,
          year,
          sequence,
        })
      : null;
  let input: InvoiceDocumentInput;
  let document: InvoiceDocument;
  try {
    input = posting.draft({ number, issueDate, paymentReference });
    document = buildInvoiceDocument(input);
  } catch (err) {
    if (err instanceof RangeError && posting.refuseInvalid) throw posting.refuseInvalid(err);
    throw err;
  }
  posting.check?.(document);
  const { place } = posting;
  await tx.insert(invoices).values({
    id: posting.id,
    type: kind,
    number,
    legalEntity: entity.code,
    orderId: place.orderId,
    shipmentId: place.shipmentId ?? null,
    customerId: place.customerId,
    currency: place.currency,
    correctsInvoiceId: place.correctsInvoiceId ?? null,
    reason: place.reason ?? null,
    netTotal: document.totals.totalWithoutVat,
    vatTotal: document.totals.vatTotal,
    total: document.totals.amountDue,
    issueDate,
    dueDate: kind === 'invoice' ? document.dueDate : issueDate,
    paymentReference,
    document: input,
    status: kind === 'invoice' ? 'open' : 'issued',
    workflowId: place.workflowId,
  });
  await tx.insert(invoiceLines).values(
    document.lines.map((line, i) => ({
      invoiceId: posting.id,
      lineNo: i + 1,
      sku: line.sku,
      description: line.description,
      quantity: Math.round(line.quantityThousandths / QUANTITY_SCALE),
      unitPrice: line.unitPrice,
      lineTotal: line.netAmount,
      vatCategory: line.vat.code,
      vatRateBp: line.vat.rateBp,
    })),
  );
  return document;
}

/**
 * The next number of an entity's series for a kind and year, under the series row's lock. A year's series opens
 * with the entity's prefix of that moment; the prefix cannot change once it numbered (db/legal-entities.ts).
 */
async function nextNumber(
  tx: DbOrTx,
  series: { entity: LegalEntity; kind: DocumentKind; year: number },
): Promise<{ number: string; sequence: number }> {
  const { entity, kind, year } = series;
  const prefix = kind === 'invoice' ? entity.invoicePrefix : entity.creditNotePrefix;
  await tx.insert(invoiceSeries).values({ legalEntity: entity.code, kind, year, prefix }).onConflictDoNothing();
  const [next] = await tx
    .update(invoiceSeries)
    .set({ lastNumber: sql`${invoiceSeries.lastNumber} + 1` })
    .where(and(eq(invoiceSeries.legalEntity, entity.code), eq(invoiceSeries.kind, kind), eq(invoiceSeries.year, year)))
    .returning({ n: invoiceSeries.lastNumber, prefix: invoiceSeries.prefix });
  return { number: `${next!.prefix}-${year}-${String(next!.n).padStart(6, '0')}`, sequence: next!.n };
}
