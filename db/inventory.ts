import { TransactionRollbackError, and, asc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { orderLines, stock, stockReservations } from './schema.js';

/**
 * Reserves every line of the order in the first warehouse (by code) that can serve all of it, or nothing.
 * Each stock row is guarded by `reserved + qty <= on_hand`, so concurrent reservations never oversell.
 * Re-running for an order that holds a reservation returns that warehouse.
 */
export async function reserveOrderStock(db: Db, orderId: string): Promise<{ warehouseCode: string } | null> {
  return db.transaction(async (tx) => {
    const [held] = await tx.select().from(stockReservations).where(eq(stockReservations.orderId, orderId)).limit(1);
    if (held) return { warehouseCode: held.warehouseCode };

    const lines = await tx.select({ sku: orderLines.sku, quantity: sql<number>`sum(${orderLines.quantity})`.mapWith(Number) })
      .from(orderLines).where(eq(orderLines.orderId, orderId)).groupBy(orderLines.sku);
    const candidates = await tx.selectDistinct({ code: stock.warehouseCode }).from(stock).orderBy(asc(stock.warehouseCode));
    for (const { code } of candidates) {
      const reserved = await tx.transaction(async (sp) => {
        for (const line of lines) {
          const updated = await sp.update(stock)
            .set({ reserved: sql`${stock.reserved} + ${line.quantity}` })
            .where(and(eq(stock.sku, line.sku), eq(stock.warehouseCode, code), gte(sql`${stock.onHand} - ${stock.reserved}`, line.quantity)))
            .returning({ sku: stock.sku });
          if (updated.length === 0) { sp.rollback(); }
        }
        await sp.insert(stockReservations).values(lines.map((l) => ({ orderId, sku: l.sku, warehouseCode: code, quantity: l.quantity })));
        return true;
      }).catch((err: unknown) => {
        if (err instanceof TransactionRollbackError) return false; // this warehouse cannot serve it: try the next
        throw err;
      });
      if (reserved) return { warehouseCode: code };
    }
    return null;
  });
}

/** Shipped goods leave the warehouse: on hand and reserved both drop. Idempotent through the reservation status. */
export async function consumeOrderReservation(db: Db, orderId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const consumed = await tx.update(stockReservations).set({ status: 'consumed' })
      .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.status, 'reserved')))
      .returning();
    for (const r of consumed) {
      await tx.update(stock)
        .set({ onHand: sql`${stock.onHand} - ${r.quantity}`, reserved: sql`${stock.reserved} - ${r.quantity}` })
        .where(and(eq(stock.sku, r.sku), eq(stock.warehouseCode, r.warehouseCode)));
    }
  });
}

/** Compensation: gives reserved stock back. Idempotent through the reservation status. */
export async function releaseOrderReservation(db: Db, orderId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const released = await tx.update(stockReservations).set({ status: 'released' })
      .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.status, 'reserved')))
      .returning();
    for (const r of released) {
      await tx.update(stock).set({ reserved: sql`${stock.reserved} - ${r.quantity}` })
        .where(and(eq(stock.sku, r.sku), eq(stock.warehouseCode, r.warehouseCode)));
    }
  });
}
