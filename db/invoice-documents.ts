import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { hasUbl, renderDocuments } from '../documents/render.js';
import { DELIVERY_MOVES_FROM, type DeliveryChannel, type DeliveryStatus } from '../domain/document-delivery.js';
import type { InvoiceDocumentInput } from '../domain/invoice-document.js';
import type { DbOrTx } from './client.js';
import { customers, invoiceDeliveries, invoiceFiles, invoices, legalEntities } from './schema.js';

export type InvoiceFileFormat = 'pdf' | 'ubl';

/** Stores a rendered document once: the first rendering wins, so every channel and download gets the same bytes. */
export async function storeInvoiceFile(
  db: DbOrTx,
  invoiceId: string,
  format: InvoiceFileFormat,
  content: Buffer,
): Promise<Buffer> {
  await db.insert(invoiceFiles).values({ invoiceId, format, content }).onConflictDoNothing();
  return (await getInvoiceFile(db, invoiceId, format))!;
}

export async function getInvoiceFile(
  db: DbOrTx,
  invoiceId: string,
  format: InvoiceFileFormat,
): Promise<Buffer | undefined> {
  const [row] = await db
    .select({ content: invoiceFiles.content })
    .from(invoiceFiles)
    .where(and(eq(invoiceFiles.invoiceId, invoiceId), eq(invoiceFiles.format, format)));
  return row?.content;
}

/** Opens the delivery record of a document on a channel; one that failed is queued afresh (a re-delivery). */
export async function queueDelivery(
  db: DbOrTx,
  invoiceId: string,
  channel: DeliveryChannel,
  recipient: string,
): Promise<void> {
  await db
    .insert(invoiceDeliveries)
    .values({ invoiceId, channel, recipient, status: 'queued' })
    .onConflictDoUpdate({
      target: [invoiceDeliveries.invoiceId, invoiceDeliveries.channel],
      set: { status: 'queued', recipient, failureReason: null, updatedAt: sql`now()` },
      where: eq(invoiceDeliveries.status, 'failed'),
    });
}

/**
 * Moves a delivery on (domain/document-delivery.ts): a late `sent` does not undo `delivered`. An attempt that
 * failed is counted with its reason, and so stays visible while Temporal retries it.
 */
export async function updateDelivery(
  db: DbOrTx,
  invoiceId: string,
  channel: DeliveryChannel,
  change: { status: DeliveryStatus; providerId?: string | null; failureReason?: string; attempted?: boolean },
): Promise<void> {
  await db
    .update(invoiceDeliveries)
    .set({
      status: change.status,
      ...(change.providerId ? { providerId: change.providerId } : {}),
      failureReason: change.failureReason ?? null,
      ...(change.attempted ? { attempts: sql`${invoiceDeliveries.attempts} + 1` } : {}),
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(invoiceDeliveries.invoiceId, invoiceId),
        eq(invoiceDeliveries.channel, channel),
        inArray(invoiceDeliveries.status, [...DELIVERY_MOVES_FROM[change.status]]),
      ),
    );
}

export async function invoiceDeliveryStatus(db: DbOrTx, invoiceId: string) {
  return db
    .select({
      channel: invoiceDeliveries.channel,
      status: invoiceDeliveries.status,
      recipient: invoiceDeliveries.recipient,
      providerId: invoiceDeliveries.providerId,
      failureReason: invoiceDeliveries.failureReason,
      attempts: invoiceDeliveries.attempts,
      updatedAt: invoiceDeliveries.updatedAt,
    })
    .from(invoiceDeliveries)
    .where(eq(invoiceDeliveries.invoiceId, invoiceId))
    .orderBy(asc(invoiceDeliveries.channel));
}

/**
 * The stored PDF and (for a buyer with an electronic address) UBL of an invoice or credit note, rendered from its
 * stored document input on first use. Undefined for invoices issued before documents were stored with them.
 */
export async function ensureInvoiceFiles(
  db: DbOrTx,
  invoice: { id: string; document: unknown },
  language: string,
): Promise<{ pdf: Buffer; ubl?: Buffer } | undefined> {
  if (!invoice.document) return undefined;
  const input = invoice.document as InvoiceDocumentInput;
  const [pdf, ubl] = await Promise.all([getInvoiceFile(db, invoice.id, 'pdf'), getInvoiceFile(db, invoice.id, 'ubl')]);
  if (pdf && (ubl || !hasUbl(input))) return { pdf, ...(ubl ? { ubl } : {}) };
  const rendered = await renderDocuments(input, language);
  const storedUbl = rendered.ubl
    ? (ubl ?? (await storeInvoiceFile(db, invoice.id, 'ubl', Buffer.from(rendered.ubl, 'utf8'))))
    : undefined;
  return {
    pdf: pdf ?? (await storeInvoiceFile(db, invoice.id, 'pdf', rendered.pdf)),
    ...(storedUbl ? { ubl: storedUbl } : {}),
  };
}

/** A document with what delivering or downloading it needs: its customer and its seller entity. */
export async function documentWithParties(db: DbOrTx, invoiceId: string) {
  const [row] = await db
    .select({ invoice: invoices, customer: customers, entity: legalEntities })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .leftJoin(legalEntities, eq(legalEntities.code, invoices.legalEntity))
    .where(eq(invoices.id, invoiceId));
  return row;
}
