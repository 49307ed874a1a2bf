import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from './client.js';
import { IN_WAREHOUSE_STAGES, stagesBefore, type ShipmentEventType } from '../domain/shipment-status.js';
import { shipmentEvents, shipmentLines, shipments, stockReservations } from './schema.js';

/**
 * Creates a shipment of what the order holds reserved in one warehouse and no shipment carries yet; the
 * reservations are tied to it. An existing id is left as it is.
 */
export async function createShipment(
  db: Db,
  input: { shipmentId: string; orderId: string; warehouseCode: string; workflowId?: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(shipments)
      .values({
        id: input.shipmentId,
        orderId: input.orderId,
        warehouseCode: input.warehouseCode,
        status: 'booked',
        workflowId: input.workflowId ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: shipments.id });
    if (!created) return;
    const taken = await tx
      .update(stockReservations)
      .set({ shipmentId: input.shipmentId })
      .where(
        and(
          eq(stockReservations.orderId, input.orderId),
          eq(stockReservations.warehouseCode, input.warehouseCode),
          eq(stockReservations.status, 'reserved'),
          isNull(stockReservations.shipmentId),
        ),
      )
      .returning({ sku: stockReservations.sku, quantity: stockReservations.quantity });
    if (taken.length === 0)
      throw new Error(`Order ${input.orderId} holds no unshipped reservation in warehouse ${input.warehouseCode}`);
    const bySku = new Map<string, number>();
    for (const r of taken) bySku.set(r.sku, (bySku.get(r.sku) ?? 0) + r.quantity);
    await tx
      .insert(shipmentLines)
      .values(
        [...bySku]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([sku, quantity], i) => ({ shipmentId: input.shipmentId, lineNo: i + 1, sku, quantity })),
      );
  });
}

export async function getShipment(db: DbOrTx, shipmentId: string) {
  const [shipment] = await db.select().from(shipments).where(eq(shipments.id, shipmentId));
  if (!shipment) return undefined;
  const lines = await db.select().from(shipmentLines).where(eq(shipmentLines.shipmentId, shipmentId));
  return { ...shipment, lines };
}

export async function markShipmentRequested(db: DbOrTx, shipmentId: string): Promise<void> {
  await db
    .update(shipments)
    .set({ status: 'requested', requestedAt: sql`now()` })
    .where(and(eq(shipments.id, shipmentId), eq(shipments.status, 'booked')));
}

/**
 * Applies a warehouse event once (the event id is the key) and moves the shipment forward only: a late
 * `picked` after `packed`, or `dispatched` after `delivered`, is recorded but does not move the status back.
 * A `delivered` nobody reported the dispatch of implies it.
 */
export async function applyShipmentEvent(
  db: Db,
  event: { eventId: string; shipmentId: string; type: ShipmentEventType; trackingNumber?: string | undefined },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(shipmentEvents)
      .values({
        eventId: event.eventId,
        shipmentId: event.shipmentId,
        type: event.type,
        trackingNumber: event.trackingNumber ?? null,
      })
      .onConflictDoNothing()
      .returning({ eventId: shipmentEvents.eventId });
    if (!fresh) return;
    await tx
      .update(shipments)
      .set({
        status: event.type,
        ...(event.trackingNumber ? { trackingNumber: event.trackingNumber } : {}),
        ...(event.type === 'dispatched' || event.type === 'delivered'
          ? { dispatchedAt: sql`coalesce(${shipments.dispatchedAt}, now())` }
          : {}),
        ...(event.type === 'delivered' ? { deliveredAt: sql`now()` } : {}),
      })
      .where(and(eq(shipments.id, event.shipmentId), inArray(shipments.status, stagesBefore(event.type))));
  });
}

/** Compensation: marks a shipment withdrawn (only one that has not left the warehouse). */
export async function markShipmentCancelled(db: DbOrTx, shipmentId: string): Promise<void> {
  await db
    .update(shipments)
    .set({ status: 'cancelled' })
    .where(and(eq(shipments.id, shipmentId), inArray(shipments.status, IN_WAREHOUSE_STAGES)));
}

/** Flags a shipment the warehouse has not dispatched in time, once; returns whether it was flagged now. */
export async function flagStuckShipment(db: DbOrTx, shipmentId: string): Promise<boolean> {
  const flagged = await db
    .update(shipments)
    .set({ stuckSince: sql`now()` })
    .where(
      and(eq(shipments.id, shipmentId), inArray(shipments.status, IN_WAREHOUSE_STAGES), isNull(shipments.stuckSince)),
    )
    .returning({ id: shipments.id });
  return flagged.length > 0;
}

/** Shipments flagged stuck that have still not left, oldest first: the operations queue. */
export async function stuckShipments(db: DbOrTx) {
  return db
    .select({
      id: shipments.id,
      orderId: shipments.orderId,
      warehouse: shipments.warehouseCode,
      status: shipments.status,
      requestedAt: shipments.requestedAt,
      stuckSince: shipments.stuckSince,
    })
    .from(shipments)
    .where(and(isNotNull(shipments.stuckSince), inArray(shipments.status, IN_WAREHOUSE_STAGES)))
    .orderBy(asc(shipments.stuckSince));
}
