import { createHash, randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { ShippingPolicy } from '../domain/fulfilment-plan.js';
import type { InvoicingPolicy } from '../domain/invoicing-policy.js';
import * as pricing from '../domain/pricing.js';
import { buildInvoiceDocument, totalWithVatByLine, type InvoiceDocument } from '../domain/invoice-document.js';
import { draftInvoice } from '../domain/invoice-draft.js';
import { isoDate } from '../domain/payment-terms.js';
import type { ProductVatRate, SupplyKind } from '../domain/vat-determination.js';
import { TERMINAL_ORDER_STATUSES, type OrderStatus } from '../domain/order-status.js';
import { recordAudit } from './audit.js';
import type { Db, DbOrTx } from './client.js';
import { DomainError } from '../domain/errors.js';
import { invoiceViews, type InvoiceView } from './invoices.js';
import { getLegalEntity } from './legal-entities.js';
import { priceBreaks } from './price-lists.js';
import { backorders, customers, idempotencyKeys, orderLines, orders, products, shipments } from './schema.js';

export interface NewOrder {
  customerId: string;
  /** discountBp: line discount in basis points, default 0. */
  lines: { sku: string; quantity: number; discountBp?: number | undefined }[];
  externalRef?: string | undefined;
  shippingPolicy?: ShippingPolicy | undefined;
  /** Order discount in basis points, default 0. */
  discountBp?: number | undefined;
  invoicing?: InvoicingPolicy | undefined;
}

export interface OrderView {
  id: string;
  status: OrderStatus;
  statusReason: string | null;
  customerId: string;
  externalRef: string | null;
  lines: { lineNo: number; sku: string; quantity: number; unitPrice: number; discountBp: number; lineTotal: number }[];
  /** Order discount in basis points, taken off the sum of the line totals. */
  discountBp: number;
  /** Line totals less the order discount, excluding VAT. */
  total: number;
  currency: string;
  creditDecision: unknown;
  shippingPolicy: string;
  invoicing: string;
  /** Still awaited from stock receipts. */
  backorder: { sku: string; quantity: number }[];
  shipments: {
    id: string;
    warehouse: string;
    status: string;
    trackingNumber: string | null;
    dispatchedAt: string | null;
    deliveredAt: string | null;
    stuckSince: string | null;
  }[];
  invoices: InvoiceView[];
  workflowId: string;
  createdAt: string;
}

/**
 * Hash of the request as the client meant it; a reused Idempotency-Key with another body is a client bug.
 * Discounts and invoicing enter only when not the default, so a request without them hashes as it did before
 * they existed (keys stored then still match their retries).
 */
export function requestHash(order: NewOrder): string {
  const canonical = JSON.stringify({
    c: order.customerId,
    l: order.lines.map((l) => (l.discountBp ? [l.sku, l.quantity, l.discountBp] : [l.sku, l.quantity])),
    r: order.externalRef ?? null,
    s: order.shippingPolicy ?? 'ship_partial',
    ...(order.discountBp ? { d: order.discountBp } : {}),
    ...(order.invoicing && order.invoicing !== 'on_shipment' ? { i: order.invoicing } : {}),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Prices and stores a new order, or returns the one an earlier request with the same idempotency key created.
 * The key and the order are written in one transaction, so concurrent retries converge on one order.
 */
export async function createOrder(
  db: Db,
  input: {
    order: NewOrder;
    apiKeyId: string;
    idempotencyKey: string;
    newId: string;
    workflowIdFor: (id: string) => string;
    /** The seller entity of customers that name none. */
    defaultLegalEntity: string;
  },
): Promise<{ orderId: string; created: boolean }> {
  const hash = requestHash(input.order);
  return db.transaction(async (tx) => {
    const [claimed] = await tx
      .insert(idempotencyKeys)
      .values({ apiKeyId: input.apiKeyId, key: input.idempotencyKey, requestHash: hash, orderId: input.newId })
      .onConflictDoNothing()
      .returning({ orderId: idempotencyKeys.orderId });
    if (!claimed) {
      const [prior] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.apiKeyId, input.apiKeyId), eq(idempotencyKeys.key, input.idempotencyKey)));
      if (!prior) throw new Error('idempotency key vanished after conflict');
      if (prior.requestHash !== hash) {
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was already used for a different request',
          'Idempotency-Key',
        );
      }
      return { orderId: prior.orderId, created: false };
    }
    const { customer, priced, totalsWithVat } = await priceOrder(tx, input.order, input.defaultLegalEntity);
    await tx.insert(orders).values({
      id: input.newId,
      customerId: customer.id,
      status: 'received',
      currency: customer.currency,
      total: priced.total,
      discountBp: priced.discountBp,
      externalRef: input.order.externalRef ?? null,
      shippingPolicy: input.order.shippingPolicy ?? 'ship_partial',
      invoicing: input.order.invoicing ?? 'on_shipment',
      workflowId: input.workflowIdFor(input.newId),
    });
    await tx.insert(orderLines).values(
      priced.lines.map((line, i) => ({
        orderId: input.newId,
        lineNo: i + 1,
        ...line,
        totalWithVat: totalsWithVat[i]!,
      })),
    );
    return { orderId: input.newId, created: true };
  });
}

/**
 * Unit prices from the customer's price list (quantity breaks) where it has one for the SKU, else the product's;
 * then the order as the invoice its seller entity would issue for all of it, so an order no valid invoice can be
 * made for is refused now (422 NOT_INVOICEABLE naming the field), not after its goods shipped. That invoice also
 * gives each line's value VAT included, the basis of credit exposure.
 */
async function priceOrder(tx: DbOrTx, order: NewOrder, defaultLegalEntity: string) {
  const [customer] = await tx.select().from(customers).where(eq(customers.id, order.customerId));
  if (!customer) throw new DomainError('UNKNOWN_CUSTOMER', `No customer with id ${order.customerId}`, 'customerId');
  const skus = [...new Set(order.lines.map((l) => l.sku))];
  const [found, priceList] = await Promise.all([
    tx.select().from(products).where(inArray(products.sku, skus)),
    customer.priceListId ? priceBreaks(tx, customer.priceListId, skus) : undefined,
  ]);
  if (customer.priceListId && !priceList)
    throw new Error(`price list ${customer.priceListId} of customer ${customer.id} vanished`);
  if (priceList && priceList.currency !== customer.currency) {
    throw new DomainError(
      'CURRENCY_MISMATCH',
      `Price list ${customer.priceListId} is in ${priceList.currency}, the customer is billed in ${customer.currency}`,
      'customerId',
    );
  }
  const bySku = new Map(found.map((p) => [p.sku, p]));
  const entity = await getLegalEntity(tx, customer.legalEntity ?? defaultLegalEntity);
  const lines = order.lines.map((line, i) => {
    const product = bySku.get(line.sku);
    if (!product) throw new DomainError('UNKNOWN_SKU', `No product with SKU ${line.sku}`, `lines.${i}.sku`);
    if (product.currency !== customer.currency) {
      throw new DomainError(
        'CURRENCY_MISMATCH',
        `SKU ${line.sku} is priced in ${product.currency}, the customer is billed in ${customer.currency}`,
        `lines.${i}.sku`,
      );
    }
    return {
      sku: line.sku,
      quantity: line.quantity,
      listPrice: product.unitPrice,
      breaks: priceList?.breaks.get(line.sku) ?? [],
      discountBp: line.discountBp ?? 0,
    };
  });
  let priced: pricing.PricedOrder;
  try {
    priced = pricing.priceOrder({ lines, discountBp: order.discountBp ?? 0 });
  } catch (err) {
    // The pricing rules name the field they refuse (lines[0].lineTotal ...): an order too large to be priced.
    if (!(err instanceof RangeError)) throw err;
    throw new DomainError('AMOUNT_OUT_OF_RANGE', err.message, err.message.split(' ')[0]?.replace(/\[(\d+)\]/g, '.$1'));
  }
  const today = isoDate(Date.now());
  let invoice: InvoiceDocument;
  try {
    invoice = buildInvoiceDocument(
      draftInvoice({
        number: `${entity.invoicePrefix}-PREVIEW`,
        issueDate: today,
        currency: customer.currency,
        seller: entity,
        buyer: customer,
        lines: priced.lines.map((line) => {
          const product = bySku.get(line.sku)!;
          return {
            ...line,
            description: product.name,
            vatRate: product.vatRate as ProductVatRate,
            supply: product.supply as SupplyKind,
          };
        }),
        discountBp: priced.discountBp,
        paymentReference: 'PREVIEW',
        orderReference: order.externalRef ?? 'PREVIEW',
        // Invoiced at order time, nothing has shipped yet; per shipment, the dispatch date is known by then.
        deliveryDate: order.invoicing === 'on_order' ? undefined : today,
      }),
    );
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new DomainError(
      'NOT_INVOICEABLE',
      `No valid invoice can be made for this order: ${err.message}`,
      invoiceField(err),
    );
  }
  return { customer, priced, totalsWithVat: totalWithVatByLine(invoice) };
}

/** Which request field an invoice rule refuses: the lines, or the customer's own data. */
function invoiceField(err: RangeError): string {
  const path = err.message.split(/[ :]/)[0] ?? '';
  const line = /^lines\[(\d+)\]/.exec(path);
  if (line) return `lines.${line[1]}`;
  if (path.startsWith('delivery')) return 'invoicing';
  return /^(buyer|seller)/.test(path) ? 'customerId' : 'lines';
}

/** Projection write from the workflow; never moves an order out of a terminal status. */
export async function setOrderStatus(db: DbOrTx, orderId: string, status: OrderStatus, reason?: string): Promise<void> {
  await db
    .update(orders)
    .set({ status, statusReason: reason ?? null, updatedAt: sql`now()` })
    .where(and(eq(orders.id, orderId), notInArray(orders.status, [...TERMINAL_ORDER_STATUSES])));
}

export async function getOrderView(db: DbOrTx, orderId: string): Promise<OrderView | undefined> {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) return undefined;
  const [lines, orderShipments, invoices, waiting] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.lineNo)),
    db.select().from(shipments).where(eq(shipments.orderId, orderId)).orderBy(asc(shipments.createdAt)),
    invoiceViews(db, { orderId }),
    db
      .select({ sku: backorders.sku, quantity: backorders.quantity })
      .from(backorders)
      .where(eq(backorders.orderId, orderId))
      .orderBy(asc(backorders.sku)),
  ]);
  return {
    id: order.id,
    status: order.status as OrderStatus,
    statusReason: order.statusReason,
    customerId: order.customerId,
    externalRef: order.externalRef,
    lines: lines.map(({ lineNo, sku, quantity, unitPrice, discountBp, lineTotal }) => ({
      lineNo,
      sku,
      quantity,
      unitPrice,
      discountBp,
      lineTotal,
    })),
    discountBp: order.discountBp,
    total: order.total,
    currency: order.currency,
    creditDecision: order.creditDecision,
    shippingPolicy: order.shippingPolicy,
    invoicing: order.invoicing,
    backorder: waiting,
    shipments: orderShipments.map((s) => ({
      id: s.id,
      warehouse: s.warehouseCode,
      status: s.status,
      trackingNumber: s.trackingNumber,
      dispatchedAt: s.dispatchedAt?.toISOString() ?? null,
      deliveredAt: s.deliveredAt?.toISOString() ?? null,
      stuckSince: s.stuckSince?.toISOString() ?? null,
    })),
    invoices,
    workflowId: order.workflowId,
    createdAt: order.createdAt.toISOString(),
  };
}

/** A person cancelled the order: the audit entry, once (the order's status is its workflow's to set). */
export async function recordOrderCancellation(
  db: Db,
  input: { orderId: string; reason: string; actor: string },
): Promise<void> {
  await recordAudit(db, {
    decisionKey: `order-cancel:${input.orderId}`,
    actor: input.actor,
    action: 'order.cancel',
    entityType: 'order',
    entityId: input.orderId,
    reason: input.reason,
  });
}

/** An operator's retry of an order that waited for attention, audited; each one is its own entry. */
export async function recordOperatorRetry(
  db: DbOrTx,
  input: { orderId: string; reason: string; actor: string; attention: string },
): Promise<void> {
  await recordAudit(db, {
    decisionKey: `order-retry:${input.orderId}:${randomUUID()}`,
    actor: input.actor,
    action: 'order.retry',
    entityType: 'order',
    entityId: input.orderId,
    reason: input.reason,
    details: { waitedFor: input.attention },
  });
}

export async function orderWithCustomer(db: DbOrTx, orderId: string) {
  const [row] = await db
    .select({ order: orders, customer: customers })
    .from(orders)
    .innerJoin(customers, eq(customers.id, orders.customerId))
    .where(eq(orders.id, orderId));
  return row;
}

/** What an order still waits for, as a backorder notice lists it: "2 x Flour T65 (FLOUR-T65)". */
export async function backorderedItems(db: DbOrTx, orderId: string): Promise<string[]> {
  const rows = await db
    .select({ quantity: backorders.quantity, name: products.name, sku: products.sku })
    .from(backorders)
    .innerJoin(products, eq(products.sku, backorders.sku))
    .where(eq(backorders.orderId, orderId))
    .orderBy(asc(backorders.sku));
  return rows.map((r) => `${r.quantity} x ${r.name} (${r.sku})`);
}
