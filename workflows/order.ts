import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import type { Reservation } from '../db/inventory.js';
import { acts } from './activities.js';
import type { DunningPolicy } from '../domain/dunning.js';
import type { ShippingPolicy } from '../domain/fulfilment-plan.js';
import type { InvoicingPolicy } from '../domain/invoicing-policy.js';
import { isoDate } from '../domain/payment-terms.js';
import {
  STATUS_AFTER_CREDIT_DECISION,
  isTerminalOrderStatus,
  type CreditHoldExpiryAction,
  type OrderStatus,
} from '../domain/order-status.js';
import { invoiceWorkflowId, shipmentWorkflowId } from '../temporal/workflow-ids.js';
import { CustomerId, OrderStatus as OrderStatusKey } from '../temporal/search-attributes.js';
import { invoiceWorkflow } from './invoice.js';
import { shipmentWorkflow } from './shipment.js';
import {
  cancelOrderUpdate,
  creditDecisionUpdate,
  invoiceProgressSignal,
  orderStateQuery,
  shipmentEventSignal,
  shipmentProgressSignal,
  stockReservedSignal,
  withdrawShipmentSignal,
  type CancelOrderCommand,
  type CreditDecisionCommand,
  type InvoiceProgress,
  type ShipmentEvent,
} from './messages.js';

export interface OrderWorkflowInput {
  orderId: string;
  customerId: string;
  /** How long a credit hold may wait for a decision before the expiry action. */
  creditHoldTimeoutMs: number;
  /** When to remind the escalation contact of an undecided hold; absent: no reminder. */
  creditHoldEscalationMs?: number;
  /** What happens to a hold nobody decided in time (default cancel). */
  creditHoldExpiryAction?: CreditHoldExpiryAction;
  /** A shipment not dispatched this long after it was requested is flagged stuck; absent: never. */
  shipmentStuckAfterMs?: number;
  /** ship_partial (default): ship what is there, the backorder when it arrives; ship_complete: ship when all is there. */
  shippingPolicy?: ShippingPolicy;
  /** on_shipment (default): an invoice per dispatched shipment; on_order: one invoice for the order once credit is cleared. */
  invoicing?: InvoicingPolicy;
  dunningPolicy: DunningPolicy;
}

/**
 * One order from credit check to cash: credit check (and hold), stock reservation, shipments (a child
 * ShipmentWorkflow each), an invoice per dispatched shipment (a child InvoiceWorkflow each, which waits for
 * payment and runs dunning), completion when paid.
 */
export async function orderWorkflow(input: OrderWorkflowInput): Promise<OrderStatus> {
  const { orderId } = input;
  let status: OrderStatus = 'received';
  let creditCommand: CreditDecisionCommand | undefined;
  let creditDecisionRecorded = false;
  /** Shipments that have left the warehouse. */
  const dispatchedIds = new Set<string>();
  /** Answers of shipment children to a withdrawal: undefined when withdrawn, else the refusal. */
  const withdrawals = new Map<string, string | undefined>();
  /** Orders whose workflow predates shipment children receive warehouse events themselves. */
  const seenEventIds = new Set<string>();
  const inbox: ShipmentEvent[] = [];
  /** Set as soon as a dispatch is reported, before the event is applied: from then on no cancel. */
  let dispatchReported = false;
  const invoices = new Map<string, InvoiceProgress>();
  let cancelCommand: CancelOrderCommand | undefined;
  let cancelRefusal: string | undefined;
  /** Saga: each step's undo, registered before the step runs; an undo the world refuses returns the reason. */
  const compensations: (() => Promise<string | void>)[] = [];
  /** From the first invoice on, a correction is a credit note, not a cancellation. */
  let invoiceStarted = false;
  /** A stock receipt reserved goods for our backorder since we last looked. */
  let stockArrived = false;

  // Handlers first, before any await, so no early message is lost.
  setHandler(orderStateQuery, () => ({ status, invoices: [...invoices.values()] }));
  setHandler(shipmentEventSignal, (event) => {
    if (seenEventIds.has(event.eventId)) return;
    seenEventIds.add(event.eventId);
    if (event.type === 'dispatched' || event.type === 'delivered') dispatchReported = true;
    inbox.push(event);
  });
  setHandler(shipmentProgressSignal, (progress) => {
    if (progress.kind === 'dispatched') {
      dispatchReported = true;
      dispatchedIds.add(progress.shipmentId);
    } else {
      withdrawals.set(progress.shipmentId, progress.kind === 'withdraw_refused' ? progress.reason : undefined);
    }
  });
  setHandler(
    cancelOrderUpdate,
    async (command) => {
      cancelCommand = command;
      await condition(() => isTerminalOrderStatus(status) || cancelRefusal !== undefined);
      if (cancelRefusal) throw ApplicationFailure.nonRetryable(cancelRefusal, 'ALREADY_DISPATCHED');
      if (status !== 'cancelled')
        throw ApplicationFailure.nonRetryable(
          `Order ${orderId} ended ${status} before it could be cancelled`,
          'ORDER_CLOSED',
        );
      return { status };
    },
    {
      validator: (command: CancelOrderCommand) => {
        if (isTerminalOrderStatus(status) || cancelCommand)
          throw ApplicationFailure.nonRetryable(
            `Order ${orderId} is ${cancelCommand ? 'being cancelled' : status}`,
            'ORDER_CLOSED',
          );
        if (dispatchReported) throw ApplicationFailure.nonRetryable(dispatchedRefusal(), 'ALREADY_DISPATCHED');
        if (invoiceStarted)
          throw ApplicationFailure.nonRetryable(
            'The order has been invoiced; credit the invoice instead',
            'ALREADY_INVOICED',
          );
        if (!command.reason.trim())
          throw ApplicationFailure.nonRetryable('A cancellation needs a reason', 'REASON_REQUIRED');
      },
    },
  );
  setHandler(stockReservedSignal, () => {
    stockArrived = true;
  });
  setHandler(invoiceProgressSignal, (progress) => {
    invoices.set(progress.invoiceId, progress);
  });
  setHandler(
    creditDecisionUpdate,
    async (command) => {
      creditCommand = command; // synchronously, so a concurrent second decision is refused by the validator
      await acts.recordCreditDecision({ orderId, decisionKey: `credit-decision:${orderId}`, ...command });
      creditDecisionRecorded = true;
      return { status: STATUS_AFTER_CREDIT_DECISION[command.decision] };
    },
    {
      validator: (command: CreditDecisionCommand) => {
        if (status !== 'credit_hold' || creditCommand || cancelCommand) {
          throw ApplicationFailure.nonRetryable(
            `Order ${orderId} is not on credit hold (status: ${status})`,
            'NOT_ON_CREDIT_HOLD',
          );
        }
        if (!command.reason.trim())
          throw ApplicationFailure.nonRetryable('A credit decision needs a reason', 'REASON_REQUIRED');
      },
    },
  );

  /** Mirrors a status the activity already wrote (or writes it) and keeps the search attribute current. */
  const enter = async (next: OrderStatus, opts: { write?: boolean; reason?: string } = {}) => {
    status = next;
    upsertSearchAttributes([{ key: OrderStatusKey, value: next }]);
    if (opts.write !== false)
      await acts.setOrderStatus({ orderId, status: next, ...(opts.reason ? { reason: opts.reason } : {}) });
  };
  const finish = async (final: OrderStatus, opts: { write?: boolean; reason?: string } = {}) => {
    await enter(final, opts);
    await condition(allHandlersFinished);
    return final;
  };

  upsertSearchAttributes([
    { key: CustomerId, value: input.customerId },
    { key: OrderStatusKey, value: status },
  ]);

  // Versioned additions: histories recorded before them replay without them (see test/replay).
  const notify = async (
    kind: 'confirmed' | 'dispatched' | 'cancelled' | 'backordered',
    extra: { shipmentId?: string; trackingNumber?: string; reason?: string } = {},
  ) => {
    if (patched('customer-notifications'))
      await acts.notifyCustomer({ orderId, kind, date: isoDate(Date.now()), ...extra });
  };

  /**
   * Undoes what was done, newest first, where no cancellation can interrupt it. A warehouse that refuses to
   * withdraw a shipment (it has left) wins: the cancel is refused and the order carries on.
   */
  const cancelAndCompensate = async (): Promise<OrderStatus | undefined> => {
    const command = cancelCommand!;
    const refused = await CancellationScope.nonCancellable(async () => {
      for (const undo of compensations.reverse()) {
        const refusal = await undo();
        if (refusal) return refusal;
      }
      await acts.recordOrderCancellation({ orderId, reason: command.reason, actor: command.actor });
      await notify('cancelled', { reason: command.reason });
      return undefined;
    });
    if (refused) {
      cancelRefusal = dispatchedRefusal(refused);
      return undefined;
    }
    return finish('cancelled', { write: false });
  };

  const startInvoice = (invoicedShipmentId?: string) => {
    invoiceStarted = true;
    const invoiceId = uuid4();
    return startChild(invoiceWorkflow, {
      workflowId: invoiceWorkflowId(invoiceId),
      args: [
        {
          invoiceId,
          orderId,
          ...(invoicedShipmentId ? { shipmentId: invoicedShipmentId } : {}),
          dunningPolicy: input.dunningPolicy,
        },
      ],
      typedSearchAttributes: [{ key: CustomerId, value: input.customerId }],
    });
  };
  const allInvoicesPaid = () => invoices.size > 0 && [...invoices.values()].every((i) => i.status === 'paid');

  // 1. Credit (the activity has already moved the order's row to the outcome's status)
  const credit = await acts.checkCredit({ orderId });
  if (credit.outcome === 'reject') return finish('rejected', { write: false });
  const cancelled = () => cancelCommand !== undefined;
  let prepaid = false;
  if (credit.outcome === 'hold') {
    await enter('credit_hold', { write: false });
    let decided = false;
    let waited = 0;
    const escalateAfter = input.creditHoldEscalationMs;
    if (escalateAfter !== undefined && escalateAfter < input.creditHoldTimeoutMs) {
      decided = await condition(() => creditDecisionRecorded || cancelled(), escalateAfter);
      waited = escalateAfter;
      if (!decided) await acts.escalateCreditHold({ orderId });
      if (cancelled()) return (await cancelAndCompensate())!;
    }
    decided ||= await condition(() => creditDecisionRecorded || cancelled(), input.creditHoldTimeoutMs - waited);
    if (cancelled() && !creditDecisionRecorded) return (await cancelAndCompensate())!;
    if (!decided) {
      const action = input.creditHoldExpiryAction ?? 'cancel';
      if (action === 'cancel') {
        await acts.expireCreditHold({ orderId });
        return finish('cancelled', { write: false });
      }
      // Auto-decide per policy, exactly as a controller would, so it is recorded and audited the same way.
      creditCommand = {
        decision: action,
        reason: 'no credit decision within the hold time: decided by policy',
        actor: 'system',
      };
      await acts.recordCreditDecision({ orderId, decisionKey: `credit-decision:${orderId}`, ...creditCommand });
    }
    if (creditCommand!.decision === 'reject') return finish('rejected', { write: false });
    if (creditCommand!.decision === 'require_prepayment') {
      // Invoice now; ship only once that invoice is paid.
      await enter('awaiting_prepayment', { write: false });
      const prepayment = await startInvoice();
      await condition(allInvoicesPaid);
      await prepayment.result();
      prepaid = true;
    }
  }
  if (cancelled()) return (await cancelAndCompensate())!;
  await enter('fulfilling', { write: prepaid });
  // Invoiced at order time: one invoice for the whole order, before anything ships.
  const upFront = prepaid || input.invoicing === 'on_order';
  const children: Awaited<ReturnType<typeof startInvoice>>[] = [];
  if (!prepaid && input.invoicing === 'on_order') children.push(await startInvoice());

  // 2. Fulfilment: one shipment per warehouse the reservation draws on; what nobody had waits for stock receipts.
  const shipmentChildren = patched('shipment-workflows');
  compensations.push(() => acts.releaseStock({ orderId }));
  const reservation = await acts.reserveStock({ orderId });
  if (cancelled()) return (await cancelAndCompensate())!;
  const shipComplete = input.shippingPolicy === 'ship_complete';
  let backorderOpen = 'backorder' in reservation && reservation.backorder.length > 0;
  const shipmentIds: string[] = [];
  const shipFrom = async (warehouses: string[]) => {
    for (const warehouseCode of warehouses) {
      const shipmentId = uuid4();
      shipmentIds.push(shipmentId);
      if (shipmentChildren) await startShipment(shipmentId, warehouseCode);
      else await requestShipmentInline(shipmentId, warehouseCode);
    }
  };
  const startShipment = async (shipmentId: string, warehouseCode: string) => {
    const workflowId = shipmentWorkflowId(shipmentId);
    await acts.createShipment({ shipmentId, orderId, warehouseCode, workflowId });
    // Abandoned, not terminated, when the order closes: a paid order's goods may still be on the road.
    const child = await startChild(shipmentWorkflow, {
      workflowId,
      args: [
        {
          shipmentId,
          orderId,
          ...(input.shipmentStuckAfterMs !== undefined ? { stuckAfterMs: input.shipmentStuckAfterMs } : {}),
        },
      ],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [{ key: CustomerId, value: input.customerId }],
    });
    compensations.push(async () => {
      try {
        await child.signal(withdrawShipmentSignal);
      } catch {
        return `shipment ${shipmentId} is no longer open`; // its workflow closed: delivered
      }
      // A shipment delivered meanwhile closes without answering: goods that arrived are not withdrawn.
      const closed = child.result().then(
        (stage) => (stage === 'cancelled' ? undefined : `shipment ${shipmentId} is ${stage}`),
        () => `shipment ${shipmentId} is no longer open`,
      );
      const answered = condition(() => withdrawals.has(shipmentId)).then(() => withdrawals.get(shipmentId));
      return Promise.race([answered, closed]);
    });
  };
  const requestShipmentInline = async (shipmentId: string, warehouseCode: string) => {
    await acts.createShipment({ shipmentId, orderId, warehouseCode });
    compensations.push(async () => {
      try {
        await acts.cancelShipment({ shipmentId });
      } catch (err) {
        if (
          err instanceof ActivityFailure &&
          err.cause instanceof ApplicationFailure &&
          err.cause.type === 'WAREHOUSE_REFUSED'
        )
          return err.cause.message;
        throw err;
      }
    });
    await acts.requestShipment({ shipmentId });
  };
  const takeArrivedStock = async () => {
    stockArrived = false;
    const pending = await acts.unshippedReservations({ orderId });
    backorderOpen = pending.backorderOpen;
    if (!(shipComplete && backorderOpen)) await shipFrom(pending.warehouses);
  };
  if (!(shipComplete && backorderOpen)) await shipFrom(plannedShipments(reservation).map((p) => p.warehouse));
  await notify('confirmed');
  if (backorderOpen) await notify('backordered');

  // Orders from before shipment children apply shipment events themselves, one at a time, in arrival order.
  let closing = false;
  const eventPump = shipmentChildren
    ? Promise.resolve()
    : (async () => {
        for (;;) {
          await condition(() => inbox.length > 0 || closing);
          const event = inbox.shift();
          if (!event) return;
          if (!shipmentIds.includes(event.shipmentId)) continue;
          await acts.recordShipmentEvent({ orderId, ...event });
          if ((event.type === 'dispatched' || event.type === 'delivered') && !dispatchedIds.has(event.shipmentId)) {
            dispatchedIds.add(event.shipmentId);
            await notify('dispatched', {
              shipmentId: event.shipmentId,
              ...(event.trackingNumber ? { trackingNumber: event.trackingNumber } : {}),
            });
          }
        }
      })();
  const cancelPending = () => cancelled() && cancelRefusal === undefined;
  const allDispatched = () => shipmentIds.every((id) => dispatchedIds.has(id));
  const stuckWatch =
    !shipmentChildren && input.shipmentStuckAfterMs !== undefined && patched('shipment-stuck-alert')
      ? (async () => {
          if (await condition(() => allDispatched() || cancelPending(), input.shipmentStuckAfterMs)) return;
          for (const shipmentId of shipmentIds.filter((id) => !dispatchedIds.has(id)))
            await acts.flagStuckShipment({ shipmentId });
        })()
      : Promise.resolve();

  // Until the first shipment leaves, the order may still be cancelled.
  while (dispatchedIds.size === 0 && !cancelPending()) {
    await condition(() => dispatchedIds.size > 0 || cancelPending() || stockArrived);
    if (stockArrived && dispatchedIds.size === 0 && !cancelPending()) await takeArrivedStock();
  }
  // A cancel accepted while a dispatch report was on its way loses: the goods have left.
  if (cancelPending() && dispatchedIds.size > 0) cancelRefusal = dispatchedRefusal();
  if (dispatchedIds.size === 0) {
    const final = await cancelAndCompensate();
    if (final) {
      closing = true;
      await Promise.all([eventPump, stuckWatch]);
      return final;
    }
    await condition(() => dispatchedIds.size > 0); // the warehouse refused: it has shipped, so carry on
  }

  // 3. Invoicing and payment: unless invoiced up front, each shipment is invoiced as it leaves, by a child that
  // owns the receivable, payment waiting and dunning; the order follows its invoices.
  const invoiced = new Set<string>();
  const toInvoice = () => (upFront ? [] : shipmentIds.filter((id) => dispatchedIds.has(id) && !invoiced.has(id)));
  const derived = (): OrderStatus => {
    if (backorderOpen || (upFront ? !allDispatched() : invoices.size < shipmentIds.length)) return 'fulfilling';
    if (allInvoicesPaid()) return 'completed';
    if ([...invoices.values()].some((i) => i.dunningLevel > 0)) return 'in_dunning';
    return 'awaiting_payment';
  };
  for (;;) {
    await condition(() => toInvoice().length > 0 || derived() !== status || stockArrived);
    if (stockArrived) await takeArrivedStock();
    for (const shipmentId of toInvoice()) {
      invoiced.add(shipmentId);
      children.push(await startInvoice(shipmentId));
    }
    const next = derived();
    if (next === 'completed') break;
    if (next !== status) await enter(next);
  }
  await Promise.all(children.map((child) => child.result()));
  await stuckWatch;
  closing = true;
  await eventPump;
  return finish('completed');
}

const dispatchedRefusal = (detail?: string) =>
  `The order has been dispatched${detail ? ` (${detail})` : ''} and can no longer be cancelled; return the goods and credit the invoice instead`;

/**
 * The reservation as the activity returned it. Orders that reserved before split shipments existed recorded
 * `{ warehouseCode }` in their history and must replay with that result.
 */
function plannedShipments(reservation: Reservation | { warehouseCode: string }): { warehouse: string }[] {
  return 'shipments' in reservation ? reservation.shipments : [{ warehouse: reservation.warehouseCode }];
}
