import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { DunningPolicy } from '../../domain/dunning.js';
import type { ShippingPolicy } from '../../domain/fulfilment-plan.js';
import type { InvoicingPolicy } from '../../domain/invoicing-policy.js';
import {
  STATUS_AFTER_CREDIT_DECISION,
  isTerminalOrderStatus,
  type CreditHoldExpiryAction,
  type OrderStatus,
} from '../../domain/order-status.js';
import { CustomerId, OrderStatus as OrderStatusKey } from '../../temporal/search-attributes.js';
import { invoiceWorkflowId, shipmentWorkflowId } from '../../temporal/workflow-ids.js';
import { acts } from '../activities.js';
import { Attention, attended } from '../attention.js';
import { refusalOf } from '../refusals.js';
import {
  cancelOrderUpdate,
  creditDecisionUpdate,
  invoiceProgressSignal,
  orderStateQuery,
  retryOrderUpdate,
  retryStepSignal,
  shipmentProgressSignal,
  stockReservedSignal,
  type CancelOrderCommand,
  type CreditDecisionCommand,
  type InvoiceProgress,
  type RetryCommand,
} from '../messages.js';

export interface OrderWorkflowInput {
  orderId: string;
  customerId: string;
  /** How long a credit hold may wait for a decision before the expiry action. */
  creditHoldTimeoutMs: number;
  /** When to remind the escalation contact of an undecided hold; absent: no reminder. */
  creditHoldEscalationMs?: number;
  /** What happens to a hold nobody decided in time (default cancel). */
  creditHoldExpiryAction?: CreditHoldExpiryAction;
  /** How long a prepayment invoice waits for its payment before it expires with the order (default 14 days). */
  prepaymentExpiryMs?: number;
  /** A shipment not dispatched this long after it was requested is flagged stuck; absent: never. */
  shipmentStuckAfterMs?: number;
  /** ship_partial (default): ship what is there, the backorder when it arrives; ship_complete: ship when all is there. */
  shippingPolicy?: ShippingPolicy;
  /** on_shipment (default): an invoice per dispatched shipment; on_order: one invoice for the order once credit is cleared. */
  invoicing?: InvoicingPolicy;
  dunningPolicy: DunningPolicy;
}

/** Where the order's process is, as every step and every handler sees it: the one owner of the order's status. */
export class OrderState {
  readonly orderId: string;
  status: OrderStatus = 'received';
  /** The status GET /v1/orders/:id shows: `status` once its projection is written. */
  private projected: OrderStatus = 'received';
  /** The status to return to once an operator has mended what a step failed on. */
  private running: { status: OrderStatus; reason?: string } = { status: 'received' };

  creditCommand: CreditDecisionCommand | undefined;
  creditDecisionRecorded = false;
  cancelCommand: CancelOrderCommand | undefined;
  /** Why a cancel was refused after it was accepted: the warehouse said the goods have left. */
  cancelRefusal: string | undefined;
  /** Set as soon as a dispatch is reported: from then on no cancel. */
  dispatchReported = false;
  /** The invoices the order started; from the first on, a correction is a credit note, not a cancellation. */
  readonly invoicesStarted = new Set<string>();
  /** A stock receipt reserved goods for our backorder since we last looked. */
  stockArrived = false;

  /** Shipments that have left the warehouse. */
  readonly dispatched = new Set<string>();
  /** Answers of shipment children to a withdrawal: undefined when withdrawn, else the refusal. */
  readonly withdrawals = new Map<string, string | undefined>();
  /** Children that wait for a person, by workflow id, with the reason. */
  readonly parkedChildren = new Map<string, string>();
  readonly invoices = new Map<string, InvoiceProgress>();
  /** Saga: each step's undo, registered before the step runs; an undo the world refuses returns the reason. */
  readonly compensations: (() => Promise<string | void>)[] = [];

  readonly attention = new Attention((reason) => this.reportAttention(reason));
  /** The activities as the order's steps call them: a step that fails for good waits for attention. */
  readonly steps = attended(acts, this.attention);

  constructor(readonly input: OrderWorkflowInput) {
    this.orderId = input.orderId;
    this.registerHandlers();
    upsertSearchAttributes([
      { key: CustomerId, value: input.customerId },
      { key: OrderStatusKey, value: this.status },
    ]);
  }

  /** The status the process is in, whatever is shown while it waits for attention. */
  get phase(): OrderStatus {
    return this.running.status;
  }

  get cancelled(): boolean {
    return this.cancelCommand !== undefined;
  }

  /** A cancel was asked for and nothing has refused it yet. */
  get cancelPending(): boolean {
    return this.cancelled && this.cancelRefusal === undefined;
  }

  /** Moves the order on: the status, its search attribute and its Postgres projection, through one activity. */
  async enter(status: OrderStatus, reason?: string): Promise<void> {
    this.running = { status, ...(reason ? { reason } : {}) };
    if (this.attention.reason === undefined && this.parkedChildren.size === 0) await this.show(status, reason);
  }

  /** The order's last status: the projection written, every handler answered. */
  async finish(status: OrderStatus, reason?: string): Promise<OrderStatus> {
    await this.enter(status, reason);
    await condition(allHandlersFinished);
    return status;
  }

  private async show(status: OrderStatus, reason?: string): Promise<void> {
    this.status = status;
    upsertSearchAttributes([{ key: OrderStatusKey, value: status }]);
    await acts.setOrderStatus({ orderId: this.orderId, status, ...(reason ? { reason } : {}) });
    this.projected = status;
  }

  /** needs_attention while the order or one of its children waits for a person; back to where it was after. */
  private async reportAttention(reason: string | undefined): Promise<void> {
    const waiting = reason ?? [...this.parkedChildren.values()][0];
    if (waiting !== undefined) await this.show('needs_attention', waiting);
    else await this.show(this.running.status, this.running.reason);
  }

  private async childAttention(workflowId: string, reason: string | undefined): Promise<void> {
    const before = this.parkedChildren.size;
    if (reason === undefined) this.parkedChildren.delete(workflowId);
    else this.parkedChildren.set(workflowId, reason);
    if (this.attention.reason === undefined && (before > 0 || this.parkedChildren.size > 0)) {
      await this.reportAttention(undefined);
    }
  }

  // Handlers first, before any await, so no early message is lost.
  private registerHandlers(): void {
    setHandler(orderStateQuery, () => ({
      status: this.status,
      invoices: [...this.invoices.values()],
      ...(this.attention.reason ? { attention: this.attention.reason } : {}),
    }));
    setHandler(shipmentProgressSignal, async (progress) => {
      if (progress.kind === 'dispatched') {
        this.dispatchReported = true;
        this.dispatched.add(progress.shipmentId);
      } else if (progress.kind === 'attention') {
        await this.childAttention(shipmentWorkflowId(progress.shipmentId), progress.attention ?? undefined);
      } else {
        this.withdrawals.set(progress.shipmentId, progress.kind === 'withdraw_refused' ? progress.reason : undefined);
      }
    });
    setHandler(invoiceProgressSignal, async (progress) => {
      this.invoices.set(progress.invoiceId, progress);
      await this.childAttention(invoiceWorkflowId(progress.invoiceId), progress.attention);
    });
    setHandler(stockReservedSignal, () => {
      this.stockArrived = true;
    });
    setHandler(
      cancelOrderUpdate,
      async (command) => {
        this.cancelCommand = command;
        // Answered once the API shows the end too (histories from before the patch answered on the status alone).
        const shown = patched('cancel-answers-when-projected') ? () => this.projected : () => this.status;
        await condition(() => isTerminalOrderStatus(shown()) || this.cancelRefusal !== undefined);
        if (this.cancelRefusal) throw ApplicationFailure.nonRetryable(this.cancelRefusal, 'ALREADY_DISPATCHED');
        if (this.status !== 'cancelled') {
          throw ApplicationFailure.nonRetryable(
            `Order ${this.orderId} ended ${this.status} before it could be cancelled`,
            'ORDER_CLOSED',
          );
        }
        return { status: this.status };
      },
      {
        validator: (command: CancelOrderCommand) => {
          if (isTerminalOrderStatus(this.status) || this.cancelled) {
            const state = this.cancelled ? 'being cancelled' : this.status;
            throw ApplicationFailure.nonRetryable(`Order ${this.orderId} is ${state}`, 'ORDER_CLOSED');
          }
          if (this.dispatchReported) throw ApplicationFailure.nonRetryable(dispatchedRefusal(), 'ALREADY_DISPATCHED');
          if (this.invoicesStarted.size > 0) {
            throw ApplicationFailure.nonRetryable(
              'The order has been invoiced; credit the invoice instead',
              'ALREADY_INVOICED',
            );
          }
          requireReason(command, 'A cancellation needs a reason');
        },
      },
    );
    setHandler(
      creditDecisionUpdate,
      async (command) => {
        this.creditCommand = command; // synchronously, so a concurrent second decision is refused by the validator
        try {
          const atApproval = await acts.recordCreditDecision({
            orderId: this.orderId,
            decisionKey: `credit-decision:${this.orderId}`,
            ...command,
          });
          this.creditDecisionRecorded = true;
          return { status: STATUS_AFTER_CREDIT_DECISION[command.decision], ...atApproval };
        } catch (err) {
          this.creditCommand = undefined; // refused (beyond the hard limit): the order stays on hold
          throw refusalOf(err);
        }
      },
      {
        validator: (command: CreditDecisionCommand) => {
          if (this.status !== 'credit_hold' || this.creditCommand || this.cancelled) {
            throw ApplicationFailure.nonRetryable(
              `Order ${this.orderId} is not on credit hold (status: ${this.status})`,
              'NOT_ON_CREDIT_HOLD',
            );
          }
          requireReason(command, 'A credit decision needs a reason');
        },
      },
    );
    setHandler(
      retryOrderUpdate,
      async (command) => {
        await acts.recordOperatorRetry({ orderId: this.orderId, attention: this.waitingFor()!, ...command });
        this.attention.retry();
        for (const workflowId of this.parkedChildren.keys()) {
          await getExternalWorkflowHandle(workflowId).signal(retryStepSignal);
        }
        return { status: this.status };
      },
      {
        validator: (command: RetryCommand) => {
          if (this.waitingFor() === undefined) {
            throw ApplicationFailure.nonRetryable(
              `Order ${this.orderId} is not waiting for anyone`,
              'NOTHING_TO_RETRY',
            );
          }
          requireReason(command, 'A retry needs a reason');
        },
      },
    );
  }

  private waitingFor(): string | undefined {
    return this.attention.reason ?? [...this.parkedChildren.values()][0];
  }
}

export const dispatchedRefusal = (detail?: string) =>
  `The order has been dispatched${detail ? ` (${detail})` : ''} and can no longer be cancelled; return the goods and credit the invoice instead`;

function requireReason(command: { reason: string }, message: string): void {
  if (!command.reason.trim()) throw ApplicationFailure.nonRetryable(message, 'REASON_REQUIRED', { field: 'reason' });
}
