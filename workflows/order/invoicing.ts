import { ParentClosePolicy, condition, startChild, uuid4, type ChildWorkflowHandle } from '@temporalio/workflow';
import { isSettledStatus } from '../../domain/invoice-status.js';
import type { OrderStatus } from '../../domain/order-status.js';
import { CustomerId } from '../../temporal/search-attributes.js';
import { invoiceWorkflowId } from '../../temporal/workflow-ids.js';
import { invoiceWorkflow } from '../invoice.js';
import type { OrderState } from './state.js';
import { takeArrivedStock, type Fulfilment } from './fulfilment.js';

export interface StartedInvoice {
  invoiceId: string;
  handle: ChildWorkflowHandle<typeof invoiceWorkflow>;
}

/**
 * An invoice of the order with its receivable: a child InvoiceWorkflow that issues it and waits for payment and
 * runs dunning. From the first one on, the order is corrected by credit notes, no longer cancelled.
 */
export async function startInvoice(
  o: OrderState,
  options: { shipmentId?: string; prepayment?: boolean } = {},
): Promise<StartedInvoice> {
  const invoiceId = uuid4();
  o.invoicesStarted.add(invoiceId);
  const handle = await startChild(invoiceWorkflow, {
    workflowId: invoiceWorkflowId(invoiceId),
    args: [
      {
        invoiceId,
        orderId: o.orderId,
        dunningPolicy: o.input.dunningPolicy,
        ...(options.shipmentId ? { shipmentId: options.shipmentId } : {}),
        ...(options.prepayment ? { prepayment: true } : {}),
      },
    ],
    // A receivable outlives its order only as a revised invoice; otherwise the order waits for every invoice.
    parentClosePolicy: ParentClosePolicy.ABANDON,
    typedSearchAttributes: [{ key: CustomerId, value: o.input.customerId }],
  });
  return { invoiceId, handle };
}

/**
 * Invoices each shipment as it leaves (unless the order was invoiced up front), takes stock that arrives for the
 * backorder, and follows the receivables until every one is settled: awaiting payment, in dunning, completed.
 */
export async function invoiceAndCollect(o: OrderState, fulfilment: Fulfilment, upFront: boolean): Promise<void> {
  const invoiced = new Set<string>();
  const toInvoice = () =>
    upFront ? [] : fulfilment.shipmentIds.filter((id) => o.dispatched.has(id) && !invoiced.has(id));
  const allDispatched = () => fulfilment.shipmentIds.every((id) => o.dispatched.has(id));
  const derived = (): OrderStatus => {
    const shipping =
      fulfilment.backorderOpen || (upFront ? !allDispatched() : invoiced.size < fulfilment.shipmentIds.length);
    // Until every invoice started has been issued, the order is still being fulfilled and invoiced.
    const issuing = [...o.invoicesStarted].some((id) => (o.invoices.get(id)?.status ?? 'issuing') === 'issuing');
    if (shipping || issuing) return 'fulfilling';
    const receivables = [...o.invoices.values()];
    if (receivables.every((i) => isSettledStatus(i.status))) return 'completed';
    return receivables.some((i) => i.dunningLevel > 0) ? 'in_dunning' : 'awaiting_payment';
  };
  for (;;) {
    await condition(() => toInvoice().length > 0 || derived() !== o.phase || o.stockArrived);
    if (o.stockArrived) await takeArrivedStock(o, fulfilment);
    for (const shipmentId of toInvoice()) {
      invoiced.add(shipmentId);
      await startInvoice(o, { shipmentId });
    }
    const next = derived();
    if (next === 'completed') return;
    if (next !== o.phase) await o.enter(next);
  }
}
