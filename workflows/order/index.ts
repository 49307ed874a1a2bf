import { condition } from '@temporalio/workflow';
import type { OrderStatus } from '../../domain/order-status.js';
import { runCancellation } from './cancellation.js';
import { clearCredit } from './credit-hold.js';
import { fulfil } from './fulfilment.js';
import { invoiceAndCollect, startInvoice } from './invoicing.js';
import { collectPrepayment } from './prepayment.js';
import { OrderState, dispatchedRefusal, type OrderWorkflowInput } from './state.js';

export type { OrderWorkflowInput } from './state.js';

/**
 * One order from credit check to cash: credit (and its hold), stock and shipments (a ShipmentWorkflow each),
 * invoices (an InvoiceWorkflow each, which collects the payment and runs dunning), completion when every invoice
 * is settled. A cancel undoes what was done until the first shipment leaves or the first invoice is issued.
 */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderStatus> {
  return run(new OrderState(input));
}

async function run(o: OrderState): Promise<OrderStatus> {
  const credit = await clearCredit(o);
  if (credit.next === 'end') return o.finish(credit.status, credit.reason);
  if (credit.next === 'cancel') return cancelled(o);

  const prepaid = credit.next === 'prepay';
  if (prepaid) {
    const unpaid = await collectPrepayment(o);
    if (unpaid) return o.finish('cancelled', unpaid);
  }
  if (o.cancelled) return cancelled(o);
  await o.enter('fulfilling');
  const upFront = prepaid || o.input.invoicing === 'on_order';
  if (!prepaid && upFront) await startInvoice(o);

  const fulfilment = await fulfil(o);
  // A cancel accepted while a dispatch report was on its way loses: the goods have left.
  if (o.cancelPending && o.dispatched.size > 0) o.cancelRefusal = dispatchedRefusal();
  if (o.cancelPending) {
    if (await runCancellation(o)) return o.finish('cancelled', o.cancelCommand!.reason);
    await condition(() => o.dispatched.size > 0); // the warehouse refused: it has shipped, so carry on
  }

  await invoiceAndCollect(o, fulfilment, upFront);
  return o.finish('completed');
}

/** Cancelled before anything was done that needs undoing but the audit entry and the customer's notice. */
async function cancelled(o: OrderState): Promise<OrderStatus> {
  await runCancellation(o);
  return o.finish('cancelled', o.cancelCommand!.reason);
}
