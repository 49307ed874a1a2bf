import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { settledStatus, type SettledStatus } from '../domain/invoice-status.js';
import { draftInvoice, type DraftLine } from '../domain/invoice-draft.js';
import { localDate } from '../domain/time-zones.js';
import type { ProductVatRate, SupplyKind } from '../domain/vat-determination.js';
import type { DbOrTx, Db } from './client.js';
import { closeDisputesOfSettledInvoice } from './disputes.js';
import { getLegalEntity } from './legal-entities.js';
import { postDocument } from './posting.js';
import {
  allocations,
  customers,
  invoiceLines,
  invoices,
  orderLines,
  orders,
  products,
  shipmentLines,
  shipments,
  writeOffs,
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
/** What settles an invoice: its allocated payments (less reversals), its credit notes and small write-offs. */
const settledAmount = sql`(
  coalesce((select sum(a.amount) from allocations a where a.invoice_id = ${outerInvoiceId}), 0)
  + coalesce((select sum(cn.total) from invoices cn where cn.corrects_invoice_id = ${outerInvoiceId}), 0)
  + coalesce((select sum(w.amount) from write_offs w where w.invoice_id = ${outerInvoiceId}), 0))`;

/**
 * What is still owed on an invoice row: total less payments, credit notes and write-offs. Never below 0, because no
 * allocation, credit note or write-off may take more than it (each under the invoice's row lock). The one
 * definition of a balance, used by views, payment allocation, credit notes and credit exposure alike.
 */
export const openBalance = () => sql<number>`("invoices"."total" - ${settledAmount})`.mapWith(Number);

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
  /** The shipment billed; absent: the whole order, before anything shipped. */
  shipmentId?: string;
  /** The workflow's instant, so a retried or replayed issue posts the same date. */
  issuedAt: string;
  /** The legal entity of customers that name none. */
  defaultLegalEntity: string;
  workflowId: string;
}

/**
 * Issues the invoice for an order's shipment (or, without a shipment, the whole order) through postDocument:
 * VAT per line (domain/vat-determination.ts), totals per EN 16931, the dispatch date as delivery date (BT-72).
 * Issuing an invoice id that exists returns it unchanged.
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
    const dispatchedAt = input.shipmentId ? await dispatchInstant(tx, input.shipmentId) : undefined;
    await postDocument(tx, {
      id: input.invoiceId,
      kind: 'invoice',
      entity,
      issuedAt: input.issuedAt,
      place: {
        orderId: input.orderId,
        shipmentId: input.shipmentId ?? null,
        customerId: order.customer.id,
        currency: order.order.currency,
        workflowId: input.workflowId,
      },
      draft: ({ number, issueDate, paymentReference }) =>
        draftInvoice({
          number,
          issueDate,
          currency: order.order.currency,
          seller: entity,
          buyer: order.customer,
          lines,
          discountBp: order.order.discountBp,
          paymentReference: paymentReference!,
          orderReference: order.order.externalRef ?? order.order.id,
          deliveryDate: dispatchedAt ? localDate(dispatchedAt, entity.timeZone) : undefined,
        }),
    });
  });
  const [view] = await invoiceViews(db, { invoiceId: input.invoiceId });
  return view!;
}

async function dispatchInstant(tx: DbOrTx, shipmentId: string): Promise<string | undefined> {
  const [shipment] = await tx
    .select({ dispatchedAt: shipments.dispatchedAt })
    .from(shipments)
    .where(eq(shipments.id, shipmentId));
  return shipment?.dispatchedAt?.toISOString();
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

/**
 * Closes a settled invoice: `paid` when payments were part of it, `credited` when credit notes alone settled it
 * (then nothing was paid, and a prepayment is not made). Returns the status, the same on a retry.
 */
export async function closeSettledInvoice(db: Db, invoiceId: string, closedAt: string): Promise<SettledStatus> {
  return db.transaction(async (tx) => {
    const [paid] = await tx
      .select({ n: sql<number>`coalesce(sum(${allocations.amount}), 0)`.mapWith(Number) })
      .from(allocations)
      .where(eq(allocations.invoiceId, invoiceId));
    // A short payment's deduction is part of the payment; only collections' write-offs (no payment) count here.
    const [writtenOff] = await tx
      .select({ id: writeOffs.id })
      .from(writeOffs)
      .where(and(eq(writeOffs.invoiceId, invoiceId), isNull(writeOffs.paymentId)))
      .limit(1);
    const status = settledStatus({ payments: (paid?.n ?? 0) > 0, writeOff: writtenOff !== undefined });
    await tx
      .update(invoices)
      .set({ status })
      .where(and(eq(invoices.id, invoiceId), eq(invoices.status, 'open')));
    await closeDisputesOfSettledInvoice(tx, { invoiceId, invoiceStatus: status, closedAt });
    return status;
  });
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
