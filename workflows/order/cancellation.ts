import { CancellationScope } from '@temporalio/workflow';
import { isoDate } from '../../domain/payment-terms.js';
import { dispatchedRefusal, type OrderState } from './state.js';

/**
 * The cancellation saga: undoes what was done, newest first, where no cancellation of the workflow can interrupt
 * it, then records who cancelled and why and tells the customer. A warehouse that refuses to withdraw a shipment
 * (it has left) wins: the cancel is refused and the order carries on. True when the order is cancelled.
 */
export async function runCancellation(o: OrderState): Promise<boolean> {
  const command = o.cancelCommand!;
  const refused = await CancellationScope.nonCancellable(async () => {
    for (const undo of [...o.compensations].reverse()) {
      const refusal = await undo();
      if (refusal) return refusal;
    }
    await o.steps.recordOrderCancellation({ orderId: o.orderId, reason: command.reason, actor: command.actor });
    await tellCustomerCancelled(o, command.reason);
    return undefined;
  });
  if (refused) o.cancelRefusal = dispatchedRefusal(refused);
  return !refused;
}

export const tellCustomerCancelled = (o: OrderState, reason: string) =>
  o.steps.notifyCustomer({ orderId: o.orderId, kind: 'cancelled', date: isoDate(Date.now()), reason });
