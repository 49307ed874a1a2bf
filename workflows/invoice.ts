import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { acts } from './activities.js';
import { dunningAnchorMs, nextDunningStep, type DunningPolicy } from '../domain/dunning.js';
import { isoDate, parseIsoDate } from '../domain/payment-terms.js';
import { AmountOutstanding, DunningLevel, InvoiceNumber } from '../temporal/search-attributes.js';
import { documentWorkflowId } from '../temporal/workflow-ids.js';
import { documentDeliveryWorkflow } from './document-delivery.js';
import {
  creditNoteIssuedSignal,
  invoiceProgressSignal,
  invoiceStateQuery,
  paymentRecordedSignal,
  type InvoiceProgress,
  type InvoiceState,
} from './messages.js';

export interface InvoiceWorkflowInput {
  invoiceId: string;
  orderId: string;
  /** The shipment invoiced; absent for a prepayment invoice issued at order time. */
  shipmentId?: string;
  dunningPolicy: DunningPolicy;
  /** The order workflow to report progress to when this is not its child (a revised invoice). */
  reportTo?: string;
}

/**
 * The receivable of one invoice: issues it, waits for payments and, from the due date, escalates through the
 * dunning policy on durable timers. A payment that settles the balance stops the escalation at once.
 */
export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceState> {
  const { invoiceId, dunningPolicy } = input;
  const state: InvoiceState = { status: 'issuing', dunningLevel: 0 };
  const seenPayments = new Set<string>();
  let paymentPending = false;

  setHandler(invoiceStateQuery, () => state);
  // Payments and credit notes both settle the balance; either makes the workflow re-read it from the ledger.
  const settle = (id: string) => {
    if (seenPayments.has(id)) return;
    seenPayments.add(id);
    paymentPending = true;
  };
  setHandler(paymentRecordedSignal, ({ paymentId }) => settle(paymentId));
  setHandler(creditNoteIssuedSignal, ({ creditNoteId }) => settle(creditNoteId));

  const issuedAtMs = Date.now(); // workflow time: deterministic on replay, and skipped in time-skipping tests
  const invoice = await acts.issueInvoice({
    invoiceId,
    orderId: input.orderId,
    ...(input.shipmentId ? { shipmentId: input.shipmentId } : {}),
    issueDate: isoDate(issuedAtMs),
    workflowId: workflowInfo().workflowId,
  });
  const termsDays = Math.round((parseIsoDate(invoice.dueDate) - parseIsoDate(invoice.issueDate)) / 86_400_000);
  const dunningAnchor = dunningAnchorMs(issuedAtMs, termsDays);
  Object.assign(state, { number: invoice.number, balance: invoice.balance, status: 'open' });
  if (patched('invoice-delivery')) {
    // Delivery runs on its own: the receivable does not wait for it, and it outlives a quickly paid invoice.
    await startChild(documentDeliveryWorkflow, {
      workflowId: documentWorkflowId(invoiceId),
      args: [{ invoiceId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  }

  const publish = async () => {
    upsertSearchAttributes([
      { key: InvoiceNumber, value: invoice.number },
      { key: DunningLevel, value: state.dunningLevel },
      { key: AmountOutstanding, value: state.balance! },
    ]);
    const parent = workflowInfo().parent;
    const order = parent
      ? getExternalWorkflowHandle(parent.workflowId, parent.runId)
      : input.reportTo
        ? getExternalWorkflowHandle(input.reportTo)
        : undefined;
    if (!order) return;
    const progress: InvoiceProgress = {
      invoiceId,
      number: invoice.number,
      status: state.status === 'paid' ? 'paid' : 'open',
      dunningLevel: state.dunningLevel,
      balance: state.balance!,
    };
    try {
      await order.signal(invoiceProgressSignal, progress);
    } catch (err) {
      if (parent) throw err;
      // A revised invoice outlives nothing it depends on: an order that has closed simply is not told.
    }
  };
  await publish();

  while (state.balance! > 0) {
    const step = nextDunningStep(dunningPolicy, dunningAnchor, state.dunningLevel);
    const untilStep = step ? Math.max(step.atMs - Date.now(), 1) : undefined;
    const paid = await condition(() => paymentPending, untilStep);
    if (paid || !step) {
      paymentPending = false;
      state.balance = await acts.getInvoiceBalance({ invoiceId });
      await publish();
      continue;
    }
    const record = await acts.recordDunningLevel({
      invoiceId,
      level: step.level.level,
      name: step.level.name,
      policyId: dunningPolicy.id,
    });
    if (!record.recorded) {
      // Settled by a payment whose signal has not arrived yet: take the balance from the ledger.
      state.balance = record.amountOutstanding;
      continue;
    }
    await acts.sendDunningLetter({
      invoiceId,
      level: step.level.level,
      name: step.level.name,
      amountOutstanding: record.amountOutstanding,
    });
    state.dunningLevel = step.level.level;
    state.balance = record.amountOutstanding;
    await publish();
  }

  await acts.markInvoicePaid({ invoiceId });
  state.status = 'paid';
  await publish();
  await condition(allHandlersFinished);
  return state;
}
