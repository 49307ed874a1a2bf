import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CreditDecisionKind, OrderStatus } from '../domain/order-status.js';
import type { ShipmentEventType, ShipmentStatus } from '../domain/shipment-status.js';

// Every message an order, shipment or invoice workflow accepts, in one place, shared by workflows, API and tests.

export interface CreditDecisionCommand {
  /** require_prepayment: the order is invoiced now and ships once that invoice is paid. */
  decision: CreditDecisionKind;
  reason: string;
  /** The authenticated API key name that made the decision, for the audit log. */
  actor: string;
}

export interface CancelOrderCommand {
  reason: string;
  actor: string;
}

export interface ShipmentEvent {
  shipmentId: string;
  eventId: string;
  type: ShipmentEventType;
  trackingNumber?: string;
}

/** What a ShipmentWorkflow tells its order: it left (so it is invoiced), or the answer to a withdrawal. */
export type ShipmentProgress =
  | { shipmentId: string; kind: 'dispatched'; trackingNumber?: string }
  | { shipmentId: string; kind: 'withdrawn' }
  | { shipmentId: string; kind: 'withdraw_refused'; reason: string };

export interface ShipmentState {
  status: ShipmentStatus;
  trackingNumber?: string;
  stuck: boolean;
}

export interface InvoiceProgress {
  invoiceId: string;
  number: string;
  status: 'open' | 'paid';
  dunningLevel: number;
  balance: number;
}

export interface OrderState {
  status: OrderStatus;
  invoices: InvoiceProgress[];
}

export interface InvoiceState {
  number?: string;
  balance?: number;
  dunningLevel: number;
  status: 'issuing' | 'open' | 'paid';
}

/** Update: a credit controller approves or rejects a held order; refused when the order is not on hold. */
export const creditDecisionUpdate = defineUpdate<{ status: OrderStatus }, [CreditDecisionCommand]>('creditDecision');
/** Update: cancel an order that has not been dispatched or invoiced; answers once compensation is done. */
export const cancelOrderUpdate = defineUpdate<{ status: OrderStatus }, [CancelOrderCommand]>('cancelOrder');
/** Signal: warehouse/carrier event, deduplicated by eventId. Goes to the shipment's workflow (older orders: the order's). */
export const shipmentEventSignal = defineSignal<[ShipmentEvent]>('shipmentEvent');
/** Signal from an order to its ShipmentWorkflow: withdraw the shipment at the warehouse (order cancelled). */
export const withdrawShipmentSignal = defineSignal('withdrawShipment');
/** Signal from a ShipmentWorkflow to its order. */
export const shipmentProgressSignal = defineSignal<[ShipmentProgress]>('shipmentProgress');
/** Signal from a child InvoiceWorkflow to its order. */
export const invoiceProgressSignal = defineSignal<[InvoiceProgress]>('invoiceProgress');
/** Signal: a stock receipt reserved goods for this order's backorder. */
export const stockReservedSignal = defineSignal<[{ receiptId: string }]>('stockReserved');
/** Signal: a credit note was issued against the invoice; the workflow re-reads the balance from the ledger. */
export const creditNoteIssuedSignal = defineSignal<[{ creditNoteId: string }]>('creditNoteIssued');
/** Signal: a payment was recorded against the invoice; the workflow re-reads the balance from the ledger. */
export const paymentRecordedSignal = defineSignal<[{ paymentId: string }]>('paymentRecorded');

export const orderStateQuery = defineQuery<OrderState>('orderState');
export const invoiceStateQuery = defineQuery<InvoiceState>('invoiceState');
export const shipmentStateQuery = defineQuery<ShipmentState>('shipmentState');
