import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { buildInvoiceDocument, QUANTITY_SCALE, type InvoiceDocument } from '../domain/invoice-document.js';
import { settledStatus } from '../domain/invoice-status.js';
import { draftInvoice, type DraftLine } from '../domain/invoice-draft.js';
import { invoicePaymentReference, type PaymentReferenceScheme } from '../domain/payment-reference.js';
import type { ProductVatRate, SupplyKind } from '../domain/vat-determination.js';
import type { DbOrTx, Db } from './client.js';
import { getLegalEntity } from './legal-entities.js';
import {
  allocations,
  customers,
  invoiceLines,
  invoiceSeries,
  invoices,
  orderLines,
  orders,
  products,
  shipmentLines,
} from './schema.js';

export interface InvoiceView {
  id: string;
  type: InvoiceType;
  number: string;
  orderId: string;
  customerId: string;
  legalEntity: string | null;
  /** For a credit note: the invoice it corrects. */
  correctsInvoiceId: string | null;
  netTotal: number | null;
  vatTotal: number | null;
  total: number;
  /** What is still owed: total less payments and credit notes; 0 for a credit note. */
  balance: number;
  currency: string;
  issueDate: string;
  dueDate: string;
  paymentReference: string | null;
  status: string;
  dunningLevel: number;
}

export type InvoiceType = 'invoice' | 'credit_note';

// Qualified by hand: drizzle leaves columns of a single-table select unqualified, which inside a subquery
// on `invoices cn` would mean cn.id.
const outerInvoiceId = sql.raw('"invoices"."id"');
/** What settles an invoice: its allocated payments and its credit notes. */
const settledAmount = sql`(
  coalesce((select sum(a.amount) from allocations a where a.invoice_id = ${outerInvoiceId}), 0)
  + coalesce((select sum(cn.total) from invoices cn where cn.corrects_invoice_id = ${outerInvoiceId}), 0))`;

/**
 * What is still owed on an invoice row: total less payments and credit notes, never below 0 (VAT rounding may
 * let credit notes pass the total by a minor unit). The one definition of a balance, used by views, payment
 * allocation, credit notes and credit exposure alike.
 */
export const openBalance = () => sql<number>`greatest(0, "invoices"."total" - ${settledAmount})`.mapWith(Number);

export async function invoiceViews(
  db: DbOrTx,
  filter: {
    orderId?: string;
    invoiceId?: string;
    number?: string;
    ids?: string[];
    customerId?: string;
    status?: string;
  },
): Promise<InvoiceView[]> {
  const conditions: SQL[] = [];
  if (filter.orderId) conditions.push(eq(invoices.orderId, filter.orderId));
  if (filter.invoiceId) conditions.push(eq(invoices.id, filter.invoiceId));
  if (filter.number) conditions.push(eq(invoices.number, filter.number));
  if (filter.ids) conditions.push(inArray(invoices.id, filter.ids));
  if (filter.customerId) conditions.push(eq(invoices.customerId, filter.customerId));
  if (filter.status) conditions.push(eq(invoices.status, filter.status));
  const rows = await db
    .select({
      id: invoices.id,
      type: invoices.type,
      number: invoices.number,
      orderId: invoices.orderId,
      customerId: invoices.customerId,
      legalEntity: invoices.legalEntity,
      correctsInvoiceId: invoices.correctsInvoiceId,
      netTotal: invoices.netTotal,
      vatTotal: invoices.vatTotal,
      total: invoices.total,
      balance: openBalance(),
      currency: invoices.currency,
      issueDate: invoices.issueDate,
      dueDate: invoices.dueDate,
      paymentReference: invoices.paymentReference,
      status: invoices.status,
      dunningLevel: invoices.dunningLevel,
    })
    .from(invoices)
    .where(and(...conditions))
    .orderBy(asc(invoices.createdAt));
  return rows.map((row) => ({
    ...row,
    type: row.type as InvoiceType,
    balance: row.type === 'credit_note' ? 0 : row.balance,
  }));
}

export async function invoiceBalance(db: DbOrTx, invoiceId: string): Promise<number> {
  const [view] = await invoiceViews(db, { invoiceId });
  if (!view) throw new Error(`Invoice ${invoiceId} does not exist`);
  return view.balance;
}

export interface IssueInvoiceInput {
  invoiceId: string;
  orderId: string;
  shipmentId?: string;
  /** The workflow's date, so a retried or replayed issue uses the same date. */
  issueDate: string;
  /** The legal entity of customers that name none. */
  defaultLegalEntity: string;
  workflowId: string;
}

/**
 * Takes the next number of a series, under the series row's lock in the caller's transaction: a rollback
 * returns the number, so numbering is gapless per series and year.
 */
export async function nextNumber(
  tx: DbOrTx,
  series: { prefix: string; legalEntity: string; year: number },
): Promise<{ number: string; sequence: number }> {
  await tx
    .insert(invoiceSeries)
    .values({ series: series.prefix, year: series.year, legalEntity: series.legalEntity, prefix: series.prefix })
    .onConflictDoNothing();
  const [next] = await tx
    .update(invoiceSeries)
    .set({ lastNumber: sql`${invoiceSeries.lastNumber} + 1` })
    .where(and(eq(invoiceSeries.series, series.prefix), eq(invoiceSeries.year, series.year)))
    .returning({ n: invoiceSeries.lastNumber });
  return { number: `${series.prefix}-${series.year}-${String(next!.n).padStart(6, '0')}`, sequence: next!.n };
}

/**
 * Issues the invoice for an order's shipment (or, without a shipment, the whole order): the seller entity's
 * next number and payment reference, VAT per line (domain/vat-determination.ts), totals per EN 16931; the
 * document input is stored with it, so its PDF and UBL can be rendered at any time. Issuing an invoice id
 * that exists returns it unchanged.
 */
export async function issueInvoice(db: Db, input: IssueInvoiceInput): Promise<InvoiceView> {
  await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: invoices.id }).from(invoices).where(eq(invoices.id, input.invoiceId));
    if (existing) return;
    const [order] = await tx
      .select({ order: orders, customer: customers })
      .from(orders)
      .innerJoin(customers, eq(customers.id, orders.customerId))
      .where(eq(orders.id, input.orderId));
    if (!order) throw new Error(`Order ${input.orderId} does not exist`);
    const entity = await getLegalEntity(tx, order.customer.legalEntity ?? input.defaultLegalEntity);
    const lines = input.shipmentId
      ? await shippedLines(tx, input.orderId, input.shipmentId)
      : await orderedLines(tx, input.orderId);
    const year = Number(input.issueDate.slice(0, 4));
    const { number, sequence } = await nextNumber(tx, { prefix: entity.invoicePrefix, legalEntity: entity.code, year });
    const paymentReference = invoicePaymentReference(entity.paymentReferenceScheme as PaymentReferenceScheme, {
      number,
      entityNo: entity.referenceNo,
      year,
      sequence,
    });
    const documentInput = draftInvoice({
      number,
      issueDate: input.issueDate,
      currency: order.order.currency,
      seller: entity,
      buyer: order.customer,
      lines,
      discountBp: order.order.discountBp,
      paymentReference,
      orderReference: order.order.externalRef ?? order.order.id,
      deliveryDate: input.issueDate,
    });
    const document = buildInvoiceDocument(documentInput);
    await tx.insert(invoices).values({
      id: input.invoiceId,
      type: 'invoice',
      number,
      series: entity.invoicePrefix,
      legalEntity: entity.code,
      orderId: input.orderId,
      shipmentId: input.shipmentId ?? null,
      customerId: order.customer.id,
      currency: order.order.currency,
      netTotal: document.totals.totalWithoutVat,
      vatTotal: document.totals.vatTotal,
      total: document.totals.amountDue,
      issueDate: input.issueDate,
      dueDate: document.dueDate,
      paymentReference,
      document: documentInput,
      status: 'open',
      workflowId: input.workflowId,
    });
    await insertInvoiceLines(tx, input.invoiceId, document);
  });
  const [view] = await invoiceViews(db, { invoiceId: input.invoiceId });
  return view!;
}

/** The lines of an issued document as queried and listed; the document itself stays the source of truth. */
export async function insertInvoiceLines(tx: DbOrTx, invoiceId: string, document: InvoiceDocument): Promise<void> {
  await tx.insert(invoiceLines).values(
    document.lines.map((line, i) => ({
      invoiceId,
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
}

const productColumns = { name: products.name, vatRate: products.vatRate, supply: products.supply };
const draftLine = (
  line: { sku: string; unitPrice: number; discountBp: number },
  quantity: number,
  product: { name: string; vatRate: string; supply: string },
): DraftLine => ({
  sku: line.sku,
  description: product.name,
  quantity,
  unitPrice: line.unitPrice,
  discountBp: line.discountBp,
  vatRate: product.vatRate as ProductVatRate,
  supply: product.supply as SupplyKind,
});

/** Invoicing at order time bills the whole order. */
async function orderedLines(tx: DbOrTx, orderId: string): Promise<DraftLine[]> {
  const rows = await tx
    .select({ line: orderLines, product: productColumns })
    .from(orderLines)
    .innerJoin(products, eq(products.sku, orderLines.sku))
    .where(eq(orderLines.orderId, orderId))
    .orderBy(asc(orderLines.lineNo));
  return rows.map(({ line, product }) => draftLine(line, line.quantity, product));
}

/** A shipment's invoice bills what left the warehouse, at the prices and discounts of the order. */
async function shippedLines(tx: DbOrTx, orderId: string, shipmentId: string): Promise<DraftLine[]> {
  const [ordered, shipped] = await Promise.all([
    tx.select().from(orderLines).where(eq(orderLines.orderId, orderId)),
    tx
      .select({ line: shipmentLines, product: productColumns })
      .from(shipmentLines)
      .innerJoin(products, eq(products.sku, shipmentLines.sku))
      .where(eq(shipmentLines.shipmentId, shipmentId))
      .orderBy(asc(shipmentLines.lineNo)),
  ]);
  // In the order's line order, as the customer ordered them.
  return shipped
    .map(({ line, product }) => {
      const orderLine = ordered.find((o) => o.sku === line.sku);
      if (!orderLine) throw new Error(`Shipment ${shipmentId} holds ${line.sku}, which order ${orderId} does not`);
      return { lineNo: orderLine.lineNo, line: draftLine(orderLine, line.quantity, product) };
    })
    .sort((a, b) => a.lineNo - b.lineNo)
    .map((l) => l.line);
}

/** The invoice is settled: `paid`, or `credited` when no payment was part of it. */
export async function markInvoicePaid(db: DbOrTx, invoiceId: string): Promise<void> {
  const [paid] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(allocations)
    .where(eq(allocations.invoiceId, invoiceId));
  await db
    .update(invoices)
    .set({ status: settledStatus((paid?.n ?? 0) > 0) })
    .where(and(eq(invoices.id, invoiceId), eq(invoices.status, 'open')));
}

export async function getInvoiceLines(db: DbOrTx, invoiceId: string) {
  return db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)).orderBy(asc(invoiceLines.lineNo));
}

export interface InvoiceFilter {
  customerId?: string | undefined;
  status?: string | undefined;
  /** Open with a balance, past the due date as of `today`. */
  overdue?: boolean | undefined;
  today: string;
  limit: number;
  /** The id of the last invoice of the previous page. */
  after?: string | undefined;
}

/** Invoices by number, highest first, a page at a time (keyset on the unique number; within a series that is newest first). */
export async function listInvoices(
  db: DbOrTx,
  filter: InvoiceFilter,
): Promise<{ invoices: InvoiceView[]; next: string | undefined }> {
  const conditions: SQL[] = [];
  if (filter.customerId) conditions.push(eq(invoices.customerId, filter.customerId));
  if (filter.status) conditions.push(eq(invoices.status, filter.status));
  if (filter.overdue !== undefined) {
    const overdue = sql`(${invoices.status} = 'open' and ${invoices.dueDate} < ${filter.today})`;
    conditions.push(filter.overdue ? overdue : sql`not ${overdue}`);
  }
  if (filter.after)
    conditions.push(sql`${invoices.number} < (select number from ${invoices} where id = ${filter.after})`);
  const rows = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(...conditions))
    .orderBy(desc(invoices.number))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const views = page.length ? await invoiceViews(db, { ids: page.map((r) => r.id) }) : [];
  const byId = new Map(views.map((v) => [v.id, v]));
  return { invoices: page.map((r) => byId.get(r.id)!), next: rows.length > filter.limit ? page.at(-1)!.id : undefined };
}
