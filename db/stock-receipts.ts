import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from './client.js';
import { DomainError } from '../domain/errors.js';
import { backorders, orders, products, stock, stockReceipts, stockReservations, warehouses } from './schema.js';

export interface StockReceipt {
  receiptId: string;
  warehouse: string;
  lines: { sku: string; quantity: number }[];
}

export interface ReceiptResult {
  /** True when this receipt id was booked before: nothing changed this time. */
  duplicate: boolean;
  /** Orders that got stock for a backorder, with their workflow ids, oldest order first. */
  filled: { orderId: string; workflowId: string }[];
}

/**
 * Books received goods and, in the same transaction, hands them to the orders waiting for them in the order
 * they arrived (oldest first): each gets a reservation in a new batch and its backorder shrinks. Locks the
 * stock rows, then the backorders, always in that order. A repeated receipt id changes nothing.
 */
export async function receiveStock(db: Db, receipt: StockReceipt): Promise<ReceiptResult> {
  return db.transaction(async (tx) => {
    const [warehouse] = await tx
      .select({ code: warehouses.code })
      .from(warehouses)
      .where(eq(warehouses.code, receipt.warehouse));
    if (!warehouse)
      throw new DomainError('UNKNOWN_WAREHOUSE', `No warehouse with code ${receipt.warehouse}`, 'warehouse');
    const [booked] = await tx
      .insert(stockReceipts)
      .values({ receiptId: receipt.receiptId, warehouseCode: receipt.warehouse, lines: receipt.lines })
      .onConflictDoNothing()
      .returning({ receiptId: stockReceipts.receiptId });
    if (!booked) return { duplicate: true, filled: [] };
    const skus = [...new Set(receipt.lines.map((l) => l.sku))];
    const known = await tx.select({ sku: products.sku }).from(products).where(inArray(products.sku, skus));
    const unknown = receipt.lines.findIndex((l) => !known.some((k) => k.sku === l.sku));
    if (unknown >= 0)
      throw new DomainError(
        'UNKNOWN_SKU',
        `No product with SKU ${receipt.lines[unknown]!.sku}`,
        `lines.${unknown}.sku`,
      );

    for (const line of receipt.lines) {
      await tx
        .insert(stock)
        .values({ sku: line.sku, warehouseCode: receipt.warehouse, onHand: line.quantity })
        .onConflictDoUpdate({
          target: [stock.sku, stock.warehouseCode],
          set: { onHand: sql`${stock.onHand} + ${line.quantity}` },
        });
    }
    const levels = await tx
      .select()
      .from(stock)
      .where(and(eq(stock.warehouseCode, receipt.warehouse), inArray(stock.sku, skus)))
      .orderBy(asc(stock.sku))
      .for('update');
    const available = new Map(levels.map((l) => [l.sku, l.onHand - l.reserved]));

    const waiting = await tx
      .select({ backorder: backorders, workflowId: orders.workflowId, orderCreatedAt: orders.createdAt })
      .from(backorders)
      .innerJoin(orders, eq(orders.id, backorders.orderId))
      .where(inArray(backorders.sku, skus))
      .orderBy(asc(orders.createdAt), asc(backorders.orderId), asc(backorders.sku))
      .for('update', { of: backorders });
    const filled = new Map<string, { orderId: string; workflowId: string; batch?: number }>();
    for (const { backorder, workflowId } of waiting) {
      const take = Math.min(backorder.quantity, available.get(backorder.sku) ?? 0);
      if (take <= 0) continue;
      available.set(backorder.sku, (available.get(backorder.sku) ?? 0) - take);
      const entry = filled.get(backorder.orderId) ?? { orderId: backorder.orderId, workflowId };
      entry.batch ??= await nextBatch(tx, backorder.orderId);
      filled.set(backorder.orderId, entry);
      await tx
        .update(stock)
        .set({ reserved: sql`${stock.reserved} + ${take}` })
        .where(and(eq(stock.sku, backorder.sku), eq(stock.warehouseCode, receipt.warehouse)));
      await tx.insert(stockReservations).values({
        orderId: backorder.orderId,
        sku: backorder.sku,
        warehouseCode: receipt.warehouse,
        batch: entry.batch,
        quantity: take,
      });
      if (take === backorder.quantity) {
        await tx
          .delete(backorders)
          .where(and(eq(backorders.orderId, backorder.orderId), eq(backorders.sku, backorder.sku)));
      } else {
        await tx
          .update(backorders)
          .set({ quantity: backorder.quantity - take })
          .where(and(eq(backorders.orderId, backorder.orderId), eq(backorders.sku, backorder.sku)));
      }
    }
    return {
      duplicate: false,
      filled: [...filled.values()].map(({ orderId, workflowId }) => ({ orderId, workflowId })),
    };
  });
}

async function nextBatch(tx: Tx, orderId: string): Promise<number> {
  const [row] = await tx
    .select({ batch: sql<number>`coalesce(max(${stockReservations.batch}), 0) + 1`.mapWith(Number) })
    .from(stockReservations)
    .where(eq(stockReservations.orderId, orderId));
  return row!.batch;
}
