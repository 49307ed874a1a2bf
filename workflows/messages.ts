import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OpenDisputeInput } from '../db/disputes.js';
import type { DunningNotice } from '../db/dunning.js';
import type { InvoiceView } from '../db/invoices.js';
import type { DisputeResolution } from '../domain/collections.js';
import type { CreditSelection, LineRevision } from '../domain/invoice-draft.js';
import type { SettledStatus } from '../domain/invoice-status.js';
import type { CreditDecisionKind, OrderStatus } from '../domain/order-status.js';
import type { ShipmentEventType, ShipmentStatus } from '../domain/shipment-status.js';

// Every message an order, shipment or invoice workflow accepts, in one place, shared by workflows, API and tests.

/** Who asked, for the audit log: the authenticated API key's name (or a person's, from the console). */
interface Asked {
  reason: string;
  actor: string;
}

export interface CreditDecisionCommand extends Asked {
  /** require_prepayment: the order is invoiced now and ships once that invoice is paid. */
  decision: CreditDecisionKind;
}

export interface CreditDecisionResult {
  status: OrderStatus;
  /** For an approval: the exposure with this order, and the headroom before it, as re-checked at approval. */
  exposure?: number;
  headroom?: number;
}

export type CancelOrderCommand = Asked;
export type RetryCommand = Asked;

export interface ShipmentEvent {
  shipmentId: string;
  eventId: string;
  type: ShipmentEventType;
  trackingNumber?: string;
}

/**
 * What a ShipmentWorkflow tells its order: it left (so it is invoiced), the answer to a withdrawal, or that it
 * needs a person (attention set) or no longer does (attention null).
 */
export type ShipmentProgress =
  | { shipmentId: string; kind: 'dispatched'; trackingNumber?: string }
  | { shipmentId: string; kind: 'withdrawn' }
  | { shipmentId: string; kind: 'withdraw_refused'; reason: string }
  | { shipmentId: string; kind: 'attention'; attention: string | null };

export interface ShipmentState {
  status: ShipmentStatus;
  trackingNumber?: string;
  stuck: boolean;
  attention?: string;
}

/** issuing until posted; open until settled (domain/invoice-status.ts says how). */
export type ReceivableStatus = 'issuing' | 'open' | SettledStatus;

export interface InvoiceProgress {
  invoiceId: string;
  number: string;
  status: ReceivableStatus;
  dunningLevel: number;
  balance: number;
  /** Why the receivable waits for a person (a bug or bad data); absent while it runs. */
  attention?: string;
}

export interface OrderState {
  status: OrderStatus;
  invoices: InvoiceProgress[];
  attention?: string;
}

export interface InvoiceState {
  number?: string;
  balance?: number;
  dunningLevel: number;
  status: ReceivableStatus;
  attention?: string;
  /** What open disputes hold back from dunning. */
  disputedAmount: number;
  /** The promise dunning waits for, if any. */
  promise?: { promiseId: string; amount: number; waitUntil: string };
}

/** A dispute as the invoice's workflow takes it; it adds the invoice and the moment it was opened. */
export type DisputeCommand = Omit<OpenDisputeInput, 'invoiceId' | 'openedAt'>;

export interface ResolveDisputeCommand {
  disputeId: string;
  resolution: DisputeResolution;
  note: string;
  actor: string;
  /** credit_note: the credit note issued for the disputed amount (or `amount`, if less), or for its lines. */
  creditNoteId?: string;
  amount?: number;
  lines?: { lineNo: number; quantity: number }[];
  /** revised_invoice: the corrected lines and the new invoice's id. */
  revision?: { revisedInvoiceId: string; changes: LineRevision[] };
}

export interface PromiseCommand {
  promiseId: string;
  promisedDate: string;
  amount: number;
  note: string;
  actor: string;
  /** Dunning waits until then: the end of the promised day plus the grace period (ISO instant). */
  waitUntil: string;
}

export interface CreditNoteCommand extends Asked {
  /** From the request's Idempotency-Key: the same request issues the same credit note once. */
  creditNoteId: string;
  selection: CreditSelection;
}

export interface RevisionCommand extends Asked {
  creditNoteId: string;
  revisedInvoiceId: string;
  changes: LineRevision[];
}

export interface CorrectionResult {
  creditNote: InvoiceView;
  invoice: InvoiceView;
  revised?: InvoiceView;
  created: boolean;
}

/** Update: a credit controller approves or rejects a held order; refused when the order is not on hold. */
export const creditDecisionUpdate = defineUpdate<CreditDecisionResult, [CreditDecisionCommand]>('creditDecision');
/** Update: cancel an order that has not been dispatched or invoiced; answers once compensation is done. */
export const cancelOrderUpdate = defineUpdate<{ status: OrderStatus }, [CancelOrderCommand]>('cancelOrder');
/** Update: an operator fixed what a step failed on; the order and its parked children try again. */
export const retryOrderUpdate = defineUpdate<{ status: OrderStatus }, [RetryCommand]>('retryOrder');
/** Update: a credit note against the invoice (never above its balance); answers with both documents. */
export const issueCreditNoteUpdate = defineUpdate<CorrectionResult, [CreditNoteCommand]>('issueCreditNote');
/** Update: the invoice credited in full and a corrected one issued with a receivable of its own. */
export const reviseInvoiceUpdate = defineUpdate<CorrectionResult, [RevisionCommand]>('reviseInvoice');
/** Update: a customer disputes part of the invoice; dunning pauses for that amount only. */
export const raiseDisputeUpdate = defineUpdate<InvoiceState, [DisputeCommand]>('raiseDispute');
/** Update: a dispute ends in a credit note, a revised invoice or a rejection (dunning claims the amount again). */
export const resolveDisputeUpdate = defineUpdate<InvoiceState, [ResolveDisputeCommand]>('resolveDispute');
/** Update: a promise to pay; dunning waits for it, and escalates at once if it is broken. */
export const promiseToPayUpdate = defineUpdate<InvoiceState, [PromiseCommand]>('promiseToPay');
/** Signal: warehouse/carrier event, deduplicated by eventId, to the shipment's workflow. */
export const shipmentEventSignal = defineSignal<[ShipmentEvent]>('shipmentEvent');
/** Signal from an order to its ShipmentWorkflow: withdraw the shipment at the warehouse (order cancelled). */
export const withdrawShipmentSignal = defineSignal('withdrawShipment');
/** Signal from a ShipmentWorkflow to its order. */
export const shipmentProgressSignal = defineSignal<[ShipmentProgress]>('shipmentProgress');
/** Signal from an InvoiceWorkflow to its order. */
export const invoiceProgressSignal = defineSignal<[InvoiceProgress]>('invoiceProgress');
/** Signal: a stock receipt reserved goods for this order's backorder. */
export const stockReservedSignal = defineSignal<[{ receiptId: string }]>('stockReserved');
/** Signal: a payment was recorded against the invoice; the workflow re-reads the balance from the ledger. */
export const paymentRecordedSignal = defineSignal<[{ paymentId: string }]>('paymentRecorded');
/** Signal from an order to its prepayment invoice: the time to pay is up; credit it unless a payment came. */
export const expirePrepaymentSignal = defineSignal<[{ reason: string }]>('expirePrepayment');
/** Signal from an order to a child waiting for attention: try the failed step again. */
export const retryStepSignal = defineSignal('retryStep');

export const orderStateQuery = defineQuery<OrderState>('orderState');
export const invoiceStateQuery = defineQuery<InvoiceState>('invoiceState');
export const shipmentStateQuery = defineQuery<ShipmentState>('shipmentState');
export const statementProgressQuery = defineQuery<{ total: number; done: number; attention?: string }>(
  'statementProgress',
);

/** An invoice reached a dunning level: its customer's account puts it in the next dunning run's letter. */
export const dunningLevelReachedSignal = defineSignal<[DunningNotice]>('dunningLevelReached');
/** The notices the account's next dunning run will send, and when that run is. */
export const customerAccountQuery = defineQuery<{ pending: DunningNotice[]; nextRunAt: string | null }>(
  'customerAccount',
);
