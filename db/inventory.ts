import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { planFulfilment, type PlannedShipment } from '../domain/fulfilment-plan.js';
import type { Db } from './client.js';
import { orderLines, stock, stockReservations } from './schema.js';

export interface Reservation {
  shipments: PlannedShipment[];
}

/**
 * Reserves the order per planFulfilment: one warehouse when one can serve it all, else split across warehouses.
 * The stock rows of the order's SKUs are locked in one fixed order (sku, warehouse), so concurrent reservations
 * queue instead of overselling or deadlocking. With a shortfall nothing is reserved and null is returned.
 * Re-running for an order that holds reservations returns them.
 */
export async function reserveOrderStock(db: Db, orderId: string): Promise<Reservation | null> {
  return db.transaction(async (tx) => {
    const held = await tx.select().from(stockReservations).where(eq(stockReservations.orderId, orderId)).orderBy(asc(stockReservations.warehouseCode), asc(stockReservations.sku));
    if (held.length > 0) return { shipments: groupByWarehouse(held) };

    const demand = await tx.select({ sku: orderLines.sku, quantity: sql<number>`sum(${orderLines.quantity})`.mapWith(Number) })
      .from(orderLines).where(eq(orderLines.orderId, orderId)).groupBy(orderLines.sku);
    const levels = await tx.select().from(stock).where(inArray(stock.sku, demand.map((d) => d.sku)))
      .orderBy(asc(stock.sku), asc(stock.warehouseCode)).for('update');
    const plan = planFulfilment(demand, levels.map((l) => ({ warehouse: l.warehouseCode, sku: l.sku, available: l.onHand - l.reserved })));
    if (plan.shortfall.length > 0) return null;
    for (const shipment of plan.shipments) {
      for (const line of shipment.lines) {
        await tx.update(stock).set({ reserved: sql`${stock.reserved} + ${line.quantity}` })
          .where(and(eq(stock.sku, line.sku), eq(stock.warehouseCode, shipment.warehouse)));
      }
      await tx.insert(stockReservations).values(shipment.lines.map((l) => ({ orderId, sku: l.sku, warehouseCode: shipment.warehouse, quantity: l.quantity })));
    }
    return { shipments: plan.shipments };
  });
}

function groupByWarehouse(rows: { warehouseCode: string; sku: string; quantity: number }[]): PlannedShipment[] {
  const byWarehouse = new Map<string, PlannedShipment>();
  for (const r of rows) {
    const shipment = byWarehouse.get(r.warehouseCode) ?? { warehouse: r.warehouseCode, lines: [] };
    shipment.lines.push({ sku: r.sku, quantity: r.quantity });
    byWarehouse.set(r.warehouseCode, shipment);
  }
  return [...byWarehouse.values()];
}

/** A shipment left the warehouse: on hand and reserved both drop. Idempotent through the reservation status. */
export async function consumeReservation(db: Db, orderId: string, warehouseCode: string): Promise<void> {
  await db.transaction(async (tx) => {
    const consumed = await tx.update(stockReservations).set({ status: 'consumed' })
      .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.warehouseCode, warehouseCode), eq(stockReservations.status, 'reserved')))
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
