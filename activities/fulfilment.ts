import { ApplicationFailure } from '@temporalio/activity';
import {
  consumeReservation,
  releaseOrderReservation,
  reserveOrderStock,
  unshippedReservations,
  type Reservation,
} from '../db/inventory.js';
import {
  applyShipmentEvent,
  createShipment,
  flagStuckShipment,
  getShipment,
  markShipmentCancelled,
  markShipmentRequested,
} from '../db/shipments.js';
import type { ShipmentEventType } from '../domain/shipment-status.js';
import { WarehouseError } from '../integrations/warehouse.js';
import type { ActivityDeps } from './deps.js';

export function createFulfilmentActivities({ db, warehouse }: ActivityDeps) {
  return {
    /** Reserves the order in one warehouse or split across several; what nobody has goes on backorder. */
    async reserveStock(input: { orderId: string }): Promise<Reservation> {
      return reserveOrderStock(db, input.orderId);
    },
    /** After a stock receipt filled a backorder: which warehouses hold stock to ship, and whether more is awaited. */
    async unshippedReservations(input: { orderId: string }): Promise<{ warehouses: string[]; backorderOpen: boolean }> {
      return unshippedReservations(db, input.orderId);
    },
    /** Compensation for reserveStock. */
    async releaseStock(input: { orderId: string }): Promise<void> {
      await releaseOrderReservation(db, input.orderId);
    },
    /** Compensation for requestShipment: withdraws it at the warehouse, which refuses once it has left. */
    async cancelShipment(input: { shipmentId: string }): Promise<void> {
      try {
        await warehouse.cancelShipment(input.shipmentId);
      } catch (err) {
        if (err instanceof WarehouseError && !err.retryable)
          throw ApplicationFailure.nonRetryable(err.message, 'WAREHOUSE_REFUSED');
        throw err;
      }
      await markShipmentCancelled(db, input.shipmentId);
    },
    /** The warehouse has not dispatched in time: flag it for operations (GET /v1/shipments/stuck). */
    async flagStuckShipment(input: { shipmentId: string }): Promise<void> {
      await flagStuckShipment(db, input.shipmentId);
    },
    /** Books what the order holds reserved in one warehouse onto a new shipment, owned by `workflowId`. */
    async createShipment(input: {
      shipmentId: string;
      orderId: string;
      warehouseCode: string;
      workflowId?: string;
    }): Promise<void> {
      await createShipment(db, input);
    },
    /** Hands the shipment to the warehouse; the warehouse dedups on the shipment id. */
    async requestShipment(input: { shipmentId: string }): Promise<void> {
      const shipment = await getShipment(db, input.shipmentId);
      if (!shipment)
        throw ApplicationFailure.nonRetryable(`Shipment ${input.shipmentId} does not exist`, 'UNKNOWN_SHIPMENT');
      try {
        await warehouse.requestShipment({
          shipmentId: shipment.id,
          orderId: shipment.orderId,
          warehouseCode: shipment.warehouseCode,
          lines: shipment.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        });
      } catch (err) {
        if (err instanceof WarehouseError && !err.retryable)
          throw ApplicationFailure.nonRetryable(err.message, 'WAREHOUSE_REFUSED');
        throw err;
      }
      await markShipmentRequested(db, shipment.id);
    },
    /** Applies a warehouse event; a dispatch takes the goods out of stock. */
    async recordShipmentEvent(input: {
      shipmentId: string;
      orderId: string;
      eventId: string;
      type: ShipmentEventType;
      trackingNumber?: string;
    }): Promise<void> {
      await applyShipmentEvent(db, input);
      if (input.type === 'dispatched' || input.type === 'delivered') await consumeReservation(db, input.shipmentId);
    },
  };
}
