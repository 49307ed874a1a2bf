import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { planFulfilment, type Demand, type PlannedShipment } from '../domain/fulfilment-plan.js';
import type { Db, DbOrTx } from './client.js';
import { backorders, orderLines, stock, stockReservations } from './schema.js';

export interface Reservation {
  /** What was reserved now, per warehouse. */
  shipments: PlannedShipment[];
  /** What no warehouse had: waits for stock receipts. */
  backorder: Demand[];
}

/**
 * Reserves the order per planFulfilment: one warehouse when one can serve it all, else split across warehouses;
 * what nobody has goes on backorder. The stock rows of the order's SKUs are locked in one fixed order (sku,
 * warehouse), so concurrent reservations queue instead of overselling or deadlocking. Re-running for an order
 * that reserved already returns what it holds.
 */
export async function reserveOrderStock(db: Db, orderId: string): Promise<Reservation> {
  return db.transaction(async (tx) => {
    const [held, waiting] = await Promise.all([
      tx
        .select()
        .from(stockReservations)
        .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.batch, 0)))
        .orderBy(asc(stockReservations.warehouseCode), asc(stockReservations.sku)),
      tx
        .select({ sku: backorders.sku, quantity: backorders.quantity })
        .from(backorders)
        .where(eq(backorders.orderId, orderId)),
    ]);
    if (held.length > 0 || waiting.length > 0) return { shipments: groupByWarehouse(held), backorder: waiting };

    const demand = await tx
      .select({ sku: orderLines.sku, quantity: sql<number>`sum(${orderLines.quantity})`.mapWith(Number) })
      .from(orderLines)
      .where(eq(orderLines.orderId, orderId))
      .groupBy(orderLines.sku);
    const levels = await tx
      .select()
      .from(stock)
      .where(
        inArray(
          stock.sku,
          demand.map((d) => d.sku),
        ),
      )
      .orderBy(asc(stock.sku), asc(stock.warehouseCode))
      .for('update');
    const plan = planFulfilment(
      demand,
      levels.map((l) => ({ warehouse: l.warehouseCode, sku: l.sku, available: l.onHand - l.reserved })),
    );
    for (const shipment of plan.shipments) {
      for (const line of shipment.lines) {
        await tx
          .update(stock)
          .set({ reserved: sql`${stock.reserved} + ${line.quantity}` })
          .where(and(eq(stock.sku, line.sku), eq(stock.warehouseCode, shipment.warehouse)));
      }
      await tx
        .insert(stockReservations)
        .values(
          shipment.lines.map((l) => ({ orderId, sku: l.sku, warehouseCode: shipment.warehouse, quantity: l.quantity })),
        );
    }
    if (plan.shortfall.length > 0) await tx.insert(backorders).values(plan.shortfall.map((d) => ({ orderId, ...d })));
    return { shipments: plan.shipments, backorder: plan.shortfall };
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

/** Warehouses holding reserved stock for the order that no shipment carries yet, and whether anything is still backordered. */
export async function unshippedReservations(
  db: DbOrTx,
  orderId: string,
): Promise<{ warehouses: string[]; backorderOpen: boolean }> {
  const [pending, waiting] = await Promise.all([
    db
      .selectDistinct({ warehouse: stockReservations.warehouseCode })
      .from(stockReservations)
      .where(
        and(
          eq(stockReservations.orderId, orderId),
          eq(stockReservations.status, 'reserved'),
          isNull(stockReservations.shipmentId),
        ),
      )
      .orderBy(asc(stockReservations.warehouseCode)),
    db.select({ sku: backorders.sku }).from(backorders).where(eq(backorders.orderId, orderId)).limit(1),
  ]);
  return { warehouses: pending.map((p) => p.warehouse), backorderOpen: waiting.length > 0 };
}

/** A shipment left the warehouse: on hand and reserved both drop. Idempotent through the reservation status. */
export async function consumeReservation(db: Db, shipmentId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const consumed = await tx
      .update(stockReservations)
      .set({ status: 'consumed' })
      .where(and(eq(stockReservations.shipmentId, shipmentId), eq(stockReservations.status, 'reserved')))
      .returning();
    for (const r of consumed) {
      await tx
        .update(stock)
        .set({ onHand: sql`${stock.onHand} - ${r.quantity}`, reserved: sql`${stock.reserved} - ${r.quantity}` })
        .where(and(eq(stock.sku, r.sku), eq(stock.warehouseCode, r.warehouseCode)));
    }
  });
}

/** Compensation: gives reserved stock back and stops waiting for backordered goods. Idempotent. */
export async function releaseOrderReservation(db: Db, orderId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(backorders).where(eq(backorders.orderId, orderId));
    const released = await tx
      .update(stockReservations)
      .set({ status: 'released' })
      .where(and(eq(stockReservations.orderId, orderId), eq(stockReservations.status, 'reserved')))
      .returning();
    for (const r of released) {
      await tx
        .update(stock)
        .set({ reserved: sql`${stock.reserved} - ${r.quantity}` })
        .where(and(eq(stock.sku, r.sku), eq(stock.warehouseCode, r.warehouseCode)));
    }
  });
}
