import { allHandlersFinished, condition, getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import { isoDate } from '../domain/payment-terms.js';
import { advanceShipment, hasLeftWarehouse, type ShipmentStage } from '../domain/shipment-status.js';
import { orderWorkflowId } from '../temporal/workflow-ids.js';
import { acts } from './activities.js';
import { Attention, attended } from './attention.js';
import { isRefusal } from './refusals.js';
import {
  retryStepSignal,
  shipmentEventSignal,
  shipmentProgressSignal,
  shipmentStateQuery,
  withdrawShipmentSignal,
  type ShipmentEvent,
  type ShipmentProgress,
} from './messages.js';

export interface ShipmentWorkflowInput {
  shipmentId: string;
  orderId: string;
  /** Not dispatched this long after the warehouse got it: flagged stuck for operations; absent: never. */
  stuckAfterMs?: number;
}

/**
 * One shipment, child of its order (`shipment:{id}`): hands it to the warehouse, then follows the warehouse's
 * reports booked → picked → packed → dispatched → delivered, in whatever order and as often as they arrive.
 * Tells the order when the goods leave (the order invoices them) and answers the order's withdrawal requests.
 */
export async function shipmentWorkflow(input: ShipmentWorkflowInput): Promise<ShipmentStage | 'cancelled'> {
  const { shipmentId, orderId } = input;
  let stage: ShipmentStage = 'booked';
  let trackingNumber: string | undefined;
  let stuck = false;
  let withdrawn = false;
  const seenEventIds = new Set<string>();
  /** Warehouse reports and the order's withdrawal request, in the order they arrived. */
  const inbox: ({ kind: 'event'; event: ShipmentEvent } | { kind: 'withdraw' })[] = [];

  const order = getExternalWorkflowHandle(orderWorkflowId(orderId));
  const tellOrder = (progress: ShipmentProgress) => order.signal(shipmentProgressSignal, progress);
  const attention = new Attention((reason) => tellOrder({ shipmentId, kind: 'attention', attention: reason ?? null }));
  const steps = attended(acts, attention);

  setHandler(shipmentStateQuery, () => ({
    status: withdrawn ? 'cancelled' : stage,
    stuck,
    ...(trackingNumber ? { trackingNumber } : {}),
    ...(attention.reason ? { attention: attention.reason } : {}),
  }));
  setHandler(retryStepSignal, () => {
    attention.retry();
  });
  setHandler(shipmentEventSignal, (event) => {
    if (seenEventIds.has(event.eventId)) return;
    seenEventIds.add(event.eventId);
    inbox.push({ kind: 'event', event });
  });
  setHandler(withdrawShipmentSignal, () => {
    inbox.push({ kind: 'withdraw' });
  });

  await steps.requestShipment({ shipmentId });
  stage = 'requested';

  const stuckWatch = (async () => {
    if (input.stuckAfterMs === undefined) return;
    if (await condition(() => hasLeftWarehouse(stage) || withdrawn, input.stuckAfterMs)) return;
    await steps.flagStuckShipment({ shipmentId });
    stuck = true;
  })();

  /**
   * Withdraws at the warehouse; true when done, false when the goods have left. The warehouse's answer decides:
   * its dispatch report may still be on its way to us.
   */
  const withdraw = async (): Promise<boolean> => {
    let refusal = hasLeftWarehouse(stage) ? `shipment ${shipmentId} has been dispatched` : undefined;
    if (!refusal) {
      await attention.run('cancelShipment', async () => {
        try {
          await acts.cancelShipment({ shipmentId });
        } catch (err) {
          if (!isRefusal(err, 'WAREHOUSE_REFUSED')) throw err;
          refusal = err.cause.message;
        }
      });
    }
    await tellOrder(
      refusal ? { shipmentId, kind: 'withdraw_refused', reason: refusal } : { shipmentId, kind: 'withdrawn' },
    );
    return !refusal;
  };

  // One message at a time, in arrival order: a withdrawal and a dispatch report never interleave.
  while (stage !== 'delivered') {
    await condition(() => inbox.length > 0);
    const message = inbox.shift()!;
    if (message.kind === 'withdraw') {
      if (await withdraw()) {
        withdrawn = true;
        break;
      }
      continue;
    }
    const { event } = message;
    if (event.trackingNumber) trackingNumber = event.trackingNumber;
    const left = hasLeftWarehouse(stage);
    await steps.recordShipmentEvent({ orderId, ...event });
    stage = advanceShipment(stage, event.type);
    if (!left && hasLeftWarehouse(stage)) {
      await steps.notifyCustomer({
        orderId,
        kind: 'dispatched',
        date: isoDate(Date.now()),
        shipmentId,
        ...(trackingNumber ? { trackingNumber } : {}),
      });
      await tellOrder({ shipmentId, kind: 'dispatched', ...(trackingNumber ? { trackingNumber } : {}) });
    }
  }
  await stuckWatch;
  await condition(allHandlersFinished);
  return withdrawn ? 'cancelled' : stage;
}
