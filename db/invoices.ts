import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { dueDate as computeDueDate } from '../domain/payment-terms.js';
import { rfReference } from '../domain/payment-reference.js';
import { priceLines } from '../domain/pricing.js';
import type { DbOrTx, Db } from './client.js';
import { allocations, customers, invoiceLines, invoiceSeries, invoices, orderLines, orders, products, shipmentLines } from './schema.js';

export interface InvoiceView {
  id: string;
  number: string;
  orderId: string;
  customerId: string;
  total: number;
  balance: number;
  currency: string;
  issueDate: string;
  dueDate: string;
  paymentReference: string;
  status: string;
  dunningLevel: number;
}

/** Balance is derived from the allocation ledger, never stored. */
const allocated = sql<number>`coalesce((select sum(${allocations.amount}) from ${allocations} where ${allocations.invoiceId} = ${invoices.id}), 0)`.mapWith(Number);

export async function invoiceViews(db: DbOrTx, filter: { orderId?: string; invoiceId?: string; number?: string; ids?: string[]; customerId?: string; status?: string }): Promise<InvoiceView[]> {
  const conditions: SQL[] = [];
  if (filter.orderId) conditions.push(eq(invoices.orderId, filter.orderId));
  if (filter.invoiceId) conditions.push(eq(invoices.id, filter.invoiceId));
  if (filter.number) conditions.push(eq(invoices.number, filter.number));
  if (filter.ids) conditions.push(inArray(invoices.id, filter.ids));
  if (filter.customerId) conditions.push(eq(invoices.customerId, filter.customerId));
  if (filter.status) conditions.push(eq(invoices.status, filter.status));
  const rows = await db.select({
    id: invoices.id, number: invoices.number, orderId: invoices.orderId, customerId: invoices.customerId,
    total: invoices.total, allocated, currency: invoices.currency, issueDate: invoices.issueDate, dueDate: invoices.dueDate,
    paymentReference: invoices.paymentReference, status: invoices.status, dunningLevel: invoices.dunningLevel,
  }).from(invoices).where(and(...conditions)).orderBy(asc(invoices.createdAt));
  return rows.map(({ allocated: paid, ...row }) => ({ ...row, balance: row.total - paid }));
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
  series: string;
  legalEntity: string;
  workflowId: string;
}

/**
 * Issues the invoice for an order's shipment. The number comes from the series row, incremented under its row
 * lock in the same transaction that inserts the invoice: a rollback returns the number, so numbering is gapless.
 * Issuing an invoice id that exists returns it unchanged.
 */
export async function issueInvoice(db: Db, input: IssueInvoiceInput): Promise<InvoiceView> {
  await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: invoices.id }).from(invoices).where(eq(invoices.id, input.invoiceId));
    if (existing) return;
    const [order] = await tx.select({ order: orders, customer: customers })
      .from(orders).innerJoin(customers, eq(customers.id, orders.customerId)).where(eq(orders.id, input.orderId));
    if (!order) throw new Error(`Order ${input.orderId} does not exist`);
    const year = Number(input.issueDate.slice(0, 4));
    await tx.insert(invoiceSeries)
      .values({ series: input.series, year, legalEntity: input.legalEntity, prefix: input.series })
      .onConflictDoNothing();
    const [next] = await tx.update(invoiceSeries)
      .set({ lastNumber: sql`${invoiceSeries.lastNumber} + 1` })
      .where(and(eq(invoiceSeries.series, input.series), eq(invoiceSeries.year, year)))
      .returning({ n: invoiceSeries.lastNumber, prefix: invoiceSeries.prefix });
    const number = `${next!.prefix}-${year}-${String(next!.n).padStart(6, '0')}`;
    const lines = input.shipmentId ? await shippedLines(tx, input.orderId, input.shipmentId) : await orderedLines(tx, input.orderId);
    await tx.insert(invoices).values({
      id: input.invoiceId,
      number,
      series: input.series,
      orderId: input.orderId,
      shipmentId: input.shipmentId ?? null,
      customerId: order.customer.id,
      currency: order.order.currency,
      total: lines.reduce((sum, line) => sum + line.lineTotal, 0),
      issueDate: input.issueDate,
      dueDate: computeDueDate(input.issueDate, order.customer.paymentTermsDays),
      paymentReference: rfReference(number),
      status: 'open',
      workflowId: input.workflowId,
    });
    await tx.insert(invoiceLines).values(lines.map((line, i) => ({ invoiceId: input.invoiceId, lineNo: i + 1, ...line })));
  });
  const [view] = await invoiceViews(db, { invoiceId: input.invoiceId });
  return view!;
}

type InvoiceLineValues = { sku: string; description: string; quantity: number; unitPrice: number; lineTotal: number };

/** A prepayment invoice bills the whole order. */
async function orderedLines(tx: DbOrTx, orderId: string): Promise<InvoiceLineValues[]> {
  const rows = await tx.select({ line: orderLines, name: products.name })
    .from(orderLines).innerJoin(products, eq(products.sku, orderLines.sku))
    .where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.lineNo));
  return rows.map(({ line, name }) => ({ sku: line.sku, description: name, quantity: line.quantity, unitPrice: line.unitPrice, lineTotal: line.lineTotal }));
}

/** A shipment's invoice bills what left the warehouse, at the prices of the order. */
async function shippedLines(tx: DbOrTx, orderId: string, shipmentId: string): Promise<InvoiceLineValues[]> {
  const [ordered, shipped] = await Promise.all([
    tx.select().from(orderLines).where(eq(orderLines.orderId, orderId)),
    tx.select({ line: shipmentLines, name: products.name })
      .from(shipmentLines).innerJoin(products, eq(products.sku, shipmentLines.sku))
      .where(eq(shipmentLines.shipmentId, shipmentId)).orderBy(asc(shipmentLines.lineNo)),
  ]);
  const priced = priceLines(shipped.map(({ line }) => {
    const orderLine = ordered.find((o) => o.sku === line.sku);
    if (!orderLine) throw new Error(`Shipment ${shipmentId} holds ${line.sku}, which order ${orderId} does not`);
    return { sku: line.sku, quantity: line.quantity, unitPrice: orderLine.unitPrice };
  }));
  return priced.lines.map((line, i) => ({ ...line, description: shipped[i]!.name }));
}

export async function markInvoicePaid(db: DbOrTx, invoiceId: string): Promise<void> {
  await db.update(invoices).set({ status: 'paid' }).where(and(eq(invoices.id, invoiceId), eq(invoices.status, 'open')));
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
export async function listInvoices(db: DbOrTx, filter: InvoiceFilter): Promise<{ invoices: InvoiceView[]; next: string | undefined }> {
  const conditions: SQL[] = [];
  if (filter.customerId) conditions.push(eq(invoices.customerId, filter.customerId));
  if (filter.status) conditions.push(eq(invoices.status, filter.status));
  if (filter.overdue !== undefined) {
    const overdue = sql`(${invoices.status} = 'open' and ${invoices.dueDate} < ${filter.today})`;
    conditions.push(filter.overdue ? overdue : sql`not ${overdue}`);
  }
  if (filter.after) conditions.push(sql`${invoices.number} < (select number from ${invoices} where id = ${filter.after})`);
  const rows = await db.select({ id: invoices.id }).from(invoices).where(and(...conditions)).orderBy(desc(invoices.number)).limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const views = page.length ? await invoiceViews(db, { ids: page.map((r) => r.id) }) : [];
  const byId = new Map(views.map((v) => [v.id, v]));
  return { invoices: page.map((r) => byId.get(r.id)!), next: rows.length > filter.limit ? page.at(-1)!.id : undefined };
}
