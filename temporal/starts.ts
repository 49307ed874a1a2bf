import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type SignalDefinition } from '@temporalio/common';
import type { TouchedInvoice } from '../db/cash-application.js';
import type { DunningNotice } from '../db/dunning.js';
import type { DunningPolicy } from '../domain/dunning.js';
import type { cashApplicationWorkflow } from '../workflows/bank-statement.js';
import type { CustomerAccountInput, customerAccountWorkflow } from '../workflows/customer-account.js';
import type { documentDeliveryWorkflow } from '../workflows/document-delivery.js';
import type { invoiceWorkflow } from '../workflows/invoice.js';
import {
  cancelOrderUpdate,
  creditDecisionUpdate,
  dunningLevelReachedSignal,
  promiseToPayUpdate,
  raiseDisputeUpdate,
  resolveDisputeUpdate,
  issueCreditNoteUpdate,
  paymentRecordedSignal,
  retryOrderUpdate,
  reviseInvoiceUpdate,
  shipmentEventSignal,
  stockReservedSignal,
  type CancelOrderCommand,
  type CreditDecisionCommand,
  type CreditNoteCommand,
  type DisputeCommand,
  type PromiseCommand,
  type ResolveDisputeCommand,
  type RetryCommand,
  type RevisionCommand,
  type ShipmentEvent,
} from '../workflows/messages.js';
import type { OrderWorkflowInput, orderWorkflow } from '../workflows/order/index.js';
import { CustomerId, OrderStatus } from './search-attributes.js';
import {
  bankStatementWorkflowId,
  cashApplicationTaskQueue,
  customerAccountWorkflowId,
  documentWorkflowId,
  invoiceWorkflowId,
  orderWorkflowId,
} from './workflow-ids.js';

// Every way the API starts or talks to a workflow, typed, in one place (like a lifecycle module per workflow).
// The API only asks; the workflows decide and finish what they were asked, whatever happens to the API process.

/** Where workflows run: the client and the task queue of the engine's workers. */
export interface Engine {
  temporal: Client;
  taskQueue: string;
}

/**
 * Starts the order's workflow. Called on every request, not only the first: if the process died between the
 * order's commit and the start, the client's retry starts it; concurrent starts converge on one execution
 * (USE_EXISTING), and one that has closed already is left alone.
 */
export async function startOrder(engine: Engine, input: OrderWorkflowInput): Promise<string> {
  const workflowId = orderWorkflowId(input.orderId);
  try {
    await engine.temporal.workflow.start<typeof orderWorkflow>('orderWorkflow', {
      workflowId,
      taskQueue: engine.taskQueue,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: CustomerId, value: input.customerId },
        { key: OrderStatus, value: 'received' },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return workflowId;
}

const order = (engine: Engine, orderId: string) => engine.temporal.workflow.getHandle(orderWorkflowId(orderId));
const invoice = (engine: Engine, invoiceId: string) => engine.temporal.workflow.getHandle(invoiceWorkflowId(invoiceId));

export const decideCredit = (engine: Engine, orderId: string, command: CreditDecisionCommand) =>
  order(engine, orderId).executeUpdate(creditDecisionUpdate, { args: [command] });

export const cancelOrder = (engine: Engine, orderId: string, command: CancelOrderCommand) =>
  order(engine, orderId).executeUpdate(cancelOrderUpdate, { args: [command] });

export const retryOrder = (engine: Engine, orderId: string, command: RetryCommand) =>
  order(engine, orderId).executeUpdate(retryOrderUpdate, { args: [command] });

/** The update id is the credit note's: a retried request is the same Update, answered once. */
export const issueCreditNote = (engine: Engine, invoiceId: string, command: CreditNoteCommand) =>
  invoice(engine, invoiceId).executeUpdate(issueCreditNoteUpdate, { args: [command], updateId: command.creditNoteId });

export const reviseInvoice = (engine: Engine, invoiceId: string, command: RevisionCommand) =>
  invoice(engine, invoiceId).executeUpdate(reviseInvoiceUpdate, { args: [command], updateId: command.creditNoteId });

/** The update ids are the dispute's and the promise's: a retried request is the same Update, answered once. */
export const raiseDispute = (engine: Engine, invoiceId: string, command: DisputeCommand) =>
  invoice(engine, invoiceId).executeUpdate(raiseDisputeUpdate, {
    args: [command],
    updateId: `dispute:${command.disputeId}`,
  });

export const resolveDispute = (engine: Engine, invoiceId: string, command: ResolveDisputeCommand) =>
  invoice(engine, invoiceId).executeUpdate(resolveDisputeUpdate, {
    args: [command],
    updateId: `dispute-resolution:${command.disputeId}`,
  });

export const promiseToPay = (engine: Engine, invoiceId: string, command: PromiseCommand) =>
  invoice(engine, invoiceId).executeUpdate(promiseToPayUpdate, {
    args: [command],
    updateId: `promise:${command.promiseId}`,
  });

/**
 * Delivers a document again. A run may still be winding down after the failure, or retrying it: this one
 * replaces it. Its steps are idempotent (the mail outbox, the access point's document id), so nothing goes out twice.
 */
export async function redeliverDocument(engine: Engine, documentId: string): Promise<void> {
  await engine.temporal.workflow.start<typeof documentDeliveryWorkflow>('documentDeliveryWorkflow', {
    workflowId: documentWorkflowId(documentId),
    taskQueue: engine.taskQueue,
    args: [{ invoiceId: documentId }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING,
  });
}

/**
 * After a reversal: every receivable it touched re-reads its balance, and one that had closed (its invoice was
 * settled) starts again where dunning stood, without issuing or delivering anything again.
 */
export async function reopenReceivables(
  engine: Engine & { orderPolicy: { dunningPolicy: DunningPolicy } },
  touched: readonly TouchedInvoice[],
  paymentId: string,
): Promise<void> {
  for (const t of touched) {
    if (!t.reopened) {
      await tellPaymentRecorded(engine, t.workflowId, paymentId);
      continue;
    }
    await engine.temporal.workflow.start<typeof invoiceWorkflow>('invoiceWorkflow', {
      workflowId: t.workflowId,
      taskQueue: engine.taskQueue,
      args: [
        {
          invoiceId: t.invoiceId,
          orderId: t.orderId,
          dunningPolicy: engine.orderPolicy.dunningPolicy,
          continued: { dueAtMs: Date.parse(t.dueDate), dunningLevel: t.dunningLevel },
        },
      ],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    });
  }
}

/** The cash application of a bank file; a file imported again finds its workflow (USE_EXISTING). */
/** Lines per batch activity, and batches per run before it continues as new (about 1,000 history events). */
export interface StatementBatching {
  batchSize: number;
  batchesPerRun: number;
}
const STATEMENT_BATCHING: StatementBatching = { batchSize: 500, batchesPerRun: 100 };

export async function startCashApplication(
  engine: Engine & {
    orderPolicy: { dunningPolicy: DunningPolicy };
    cashApplication: { batching?: StatementBatching };
  },
  input: { statementId: string; linesTotal: number },
): Promise<void> {
  try {
    await engine.temporal.workflow.start<typeof cashApplicationWorkflow>('cashApplicationWorkflow', {
      workflowId: bankStatementWorkflowId(input.statementId),
      taskQueue: cashApplicationTaskQueue(engine.taskQueue),
      args: [
        {
          ...input,
          ...(engine.cashApplication.batching ?? STATEMENT_BATCHING),
          dunningPolicy: engine.orderPolicy.dunningPolicy,
          receivablesTaskQueue: engine.taskQueue,
        },
      ],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // applied and closed already
  }
}

/**
 * Tells a customer's account that one of its invoices reached a dunning level, starting the account if it is not
 * running. A repeated notice changes nothing: the account keeps one per invoice, at its highest level.
 */
export async function tellCustomerAccount(
  engine: Engine,
  account: CustomerAccountInput,
  notice: DunningNotice,
): Promise<void> {
  await engine.temporal.workflow.signalWithStart<typeof customerAccountWorkflow, [DunningNotice]>(
    'customerAccountWorkflow',
    {
      workflowId: customerAccountWorkflowId(account.customerId),
      taskQueue: engine.taskQueue,
      args: [account],
      signal: dunningLevelReachedSignal,
      signalArgs: [notice],
      typedSearchAttributes: [{ key: CustomerId, value: account.customerId }],
    },
  );
}

/** Signalled on every request, so a retry after a lost signal still wakes the receivable. */
export const tellPaymentRecorded = (engine: Engine, invoiceWorkflow: string, paymentId: string) =>
  signalIfOpen(engine, invoiceWorkflow, paymentRecordedSignal, { paymentId });

export const tellShipmentEvent = (engine: Engine, shipmentWorkflow: string, event: ShipmentEvent) =>
  signalIfOpen(engine, shipmentWorkflow, shipmentEventSignal, event);

export const tellStockReserved = (engine: Engine, orderWorkflow: string, receiptId: string) =>
  signalIfOpen(engine, orderWorkflow, stockReservedSignal, { receiptId });

/**
 * Signals a workflow that may have closed already. Closed means it no longer waits for this news (an invoice
 * settled, a shipment delivered, an order done), so that is not an error; anything else is.
 */
async function signalIfOpen<Args extends unknown[]>(
  engine: Engine,
  workflowId: string,
  signal: SignalDefinition<Args>,
  ...args: Args
): Promise<void> {
  try {
    await engine.temporal.workflow.getHandle(workflowId).signal(signal, ...args);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}
