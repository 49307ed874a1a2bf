import { ParentClosePolicy, condition, startChild, uuid4 } from '@temporalio/workflow';
import { isoDate } from '../../domain/payment-terms.js';
import { CustomerId } from '../../temporal/search-attributes.js';
import { shipmentWorkflowId } from '../../temporal/workflow-ids.js';
import { withdrawShipmentSignal } from '../messages.js';
import { shipmentWorkflow } from '../shipment.js';
import type { OrderState } from './state.js';

/** What the order ships: its shipments so far, and whether a backorder still waits for stock. */
export interface Fulfilment {
  shipmentIds: string[];
  backorderOpen: boolean;
}

/**
 * Reserves the order's stock (split across warehouses where one cannot serve it all), hands a shipment per
 * warehouse to its own ShipmentWorkflow, confirms the order to the customer, and waits until the first shipment
 * leaves: until then the order may still be cancelled. Returns once something left, or when a cancel was asked
 * (the caller runs the saga).
 */
export async function fulfil(o: OrderState): Promise<Fulfilment> {
  const { orderId } = o;
  o.compensations.push(() => o.steps.releaseStock({ orderId }));
  const reservation = await o.steps.reserveStock({ orderId });
  const fulfilment: Fulfilment = { shipmentIds: [], backorderOpen: reservation.backorder.length > 0 };
  if (o.cancelled) return fulfilment;
  if (!(shipsComplete(o) && fulfilment.backorderOpen)) {
    await ship(
      o,
      fulfilment,
      reservation.shipments.map((s) => s.warehouse),
    );
  }
  await o.steps.notifyCustomer({ orderId, kind: 'confirmed', date: today() });
  if (fulfilment.backorderOpen) await o.steps.notifyCustomer({ orderId, kind: 'backordered', date: today() });

  while (o.dispatched.size === 0 && !o.cancelPending) {
    await condition(() => o.dispatched.size > 0 || o.cancelPending || o.stockArrived);
    if (o.stockArrived && o.dispatched.size === 0 && !o.cancelPending) await takeArrivedStock(o, fulfilment);
  }
  return fulfilment;
}

/** A stock receipt reserved goods for the backorder: ship them (unless the order ships complete and still waits). */
export async function takeArrivedStock(o: OrderState, fulfilment: Fulfilment): Promise<void> {
  o.stockArrived = false;
  const pending = await o.steps.unshippedReservations({ orderId: o.orderId });
  fulfilment.backorderOpen = pending.backorderOpen;
  if (!(shipsComplete(o) && fulfilment.backorderOpen)) await ship(o, fulfilment, pending.warehouses);
}

const shipsComplete = (o: OrderState) => o.input.shippingPolicy === 'ship_complete';
const today = () => isoDate(Date.now());

async function ship(o: OrderState, fulfilment: Fulfilment, warehouses: readonly string[]): Promise<void> {
  for (const warehouseCode of warehouses) {
    const shipmentId = uuid4();
    fulfilment.shipmentIds.push(shipmentId);
    const workflowId = shipmentWorkflowId(shipmentId);
    await o.steps.createShipment({ shipmentId, orderId: o.orderId, warehouseCode, workflowId });
    // Abandoned, not terminated, when the order closes: a paid order's goods may still be on the road.
    const child = await startChild(shipmentWorkflow, {
      workflowId,
      args: [
        {
          shipmentId,
          orderId: o.orderId,
          ...(o.input.shipmentStuckAfterMs !== undefined ? { stuckAfterMs: o.input.shipmentStuckAfterMs } : {}),
        },
      ],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [{ key: CustomerId, value: o.input.customerId }],
    });
    // Its undo asks the shipment's own workflow, which asks the warehouse: goods that left are not withdrawn.
    o.compensations.push(async () => {
      try {
        await child.signal(withdrawShipmentSignal);
      } catch {
        return `shipment ${shipmentId} is no longer open`; // its workflow closed: delivered
      }
      // A shipment delivered meanwhile closes without answering.
      const closed = child.result().then(
        (stage) => (stage === 'cancelled' ? undefined : `shipment ${shipmentId} is ${stage}`),
        () => `shipment ${shipmentId} is no longer open`,
      );
      const answered = condition(() => o.withdrawals.has(shipmentId)).then(() => o.withdrawals.get(shipmentId));
      return Promise.race([answered, closed]);
    });
  }
}
