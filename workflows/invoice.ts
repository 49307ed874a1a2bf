import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { Mutex } from 'async-mutex';
import {
  dunningAnchorMs,
  latestDueLevel,
  nextDunningStep,
  type DunningPolicy,
  type DunningPosition,
} from '../domain/dunning.js';
import { promiseKept, undisputedAmount } from '../domain/collections.js';
import { isSettledStatus } from '../domain/invoice-status.js';
import { parseIsoDate } from '../domain/payment-terms.js';
import { AmountOutstanding, DunningLevel, InvoiceNumber } from '../temporal/search-attributes.js';
import { documentWorkflowId, invoiceWorkflowId, orderWorkflowId } from '../temporal/workflow-ids.js';
import { acts } from './activities.js';
import { Attention, attended } from './attention.js';
import { documentDeliveryWorkflow } from './document-delivery.js';
import {
  expirePrepaymentSignal,
  invoiceProgressSignal,
  invoiceStateQuery,
  issueCreditNoteUpdate,
  paymentRecordedSignal,
  promiseToPayUpdate,
  raiseDisputeUpdate,
  resolveDisputeUpdate,
  retryStepSignal,
  reviseInvoiceUpdate,
  type CorrectionResult,
  type CreditNoteCommand,
  type InvoiceProgress,
  type InvoiceState,
  type DisputeCommand,
  type PromiseCommand,
  type ResolveDisputeCommand,
  type RevisionCommand,
} from './messages.js';
import { DunningHolds, type CarriedHolds } from './dunning-holds.js';
import { refusalOf } from './refusals.js';

export interface InvoiceWorkflowInput {
  invoiceId: string;
  orderId: string;
  /** The shipment invoiced; absent for an invoice of the whole order, issued before anything shipped. */
  shipmentId?: string;
  dunningPolicy: DunningPolicy;
  /** A prepayment invoice: no goods left, no debt to collect, so only the first level (a reminder) is sent. */
  prepayment?: boolean;
  /** The policy was resolved for the customer already (a run continued as new): keep it. */
  policyResolved?: boolean;
  /** Set when the workflow continued as new: the invoice was issued and delivered, dunning stands at this level. */
  continued?: { dueAtMs: number; dunningLevel: number; levelReachedAtMs?: number; holds?: CarriedHolds };
}

const DAY_MS = 86_400_000;

/**
 * The receivable of one invoice (`invoice:{id}`): issues it, has it delivered, waits for payments and, from the
 * due date, escalates through the dunning policy on durable timers; corrections (credit notes, a revision) are
 * Updates here, so the receivable changes in one place. After the last level it still re-reads the ledger daily,
 * so a payment whose signal was lost still closes it. It reports to its order at every change.
 */
export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceState> {
  const { invoiceId } = input;
  /** The order's policy until the customer's is known (see dunningPolicyFor); then that one, to the end. */
  let dunningPolicy = input.dunningPolicy;
  const state: InvoiceState = {
    status: 'issuing',
    dunningLevel: input.continued?.dunningLevel ?? 0,
    disputedAmount: 0,
  };
  const holds = new DunningHolds(input.continued?.holds);
  // Receivables started before letters were consolidated per customer keep one letter per level, in a burst
  // after downtime, until they close. Remove the old branch (and sendDunningLetter) once none of them runs.
  const consolidated = patched('customer-account-dunning');
  // Receivables started before policies were data keep the order's policy.
  const policyPerCustomer = patched('dunning-policy-per-customer');
  // Receivables started before Updates were serialized run them as they come. Remove with the old branch.
  const serialUpdates = patched('serial-receivable-updates');
  let levelReachedAtMs = input.continued?.levelReachedAtMs;
  /** The level a partial payment last pushed back: at most once per level, so paying cents cannot stall dunning. */
  let reanchoredLevel = -1;
  /** A broken promise: the next level goes out at once. */
  let escalateNow = false;
  let ledgerChanged = false;
  let number = '';

  const order = getExternalWorkflowHandle(orderWorkflowId(input.orderId));
  // A revised invoice may outlive an order that closed meanwhile (it simply is not told).
  const tellOrder = (progress: InvoiceProgress) => order.signal(invoiceProgressSignal, progress).catch(() => undefined);
  const publish = async () => {
    if (number) {
      upsertSearchAttributes([
        { key: InvoiceNumber, value: number },
        { key: DunningLevel, value: state.dunningLevel },
        { key: AmountOutstanding, value: state.balance ?? 0 },
      ]);
    }
    await tellOrder({
      invoiceId,
      number,
      status: state.status,
      dunningLevel: state.dunningLevel,
      balance: state.balance ?? 0,
      ...(state.attention ? { attention: state.attention } : {}),
    });
  };
  const attention = new Attention(async (reason) => {
    if (reason === undefined) delete state.attention;
    else state.attention = reason;
    await publish();
  });
  const steps = attended(acts, attention);
  const issuedAt = () => new Date(Date.now()).toISOString(); // workflow time: the same on replay

  // What changes the receivable (Updates, the prepayment's expiry, the closing) runs one at a time, each checked
  // again when its turn comes: two disputes validated at once must not both claim the same balance, and a dispute
  // being resolved by a credit note is not closed under it as the invoice settles.
  const receivable = new Mutex();
  const exclusive = <T>(run: () => Promise<T>): Promise<T> => (serialUpdates ? receivable.runExclusive(run) : run());
  /** An Update's handler, run in turn, once the invoice is issued, and validated again then. */
  const inTurn =
    <C, R>(validate: (command: C) => void, handle: (command: C) => Promise<R>) =>
    (command: C): Promise<R> =>
      exclusive(async () => {
        await condition(() => state.status !== 'issuing');
        validate(command);
        return handle(command);
      });

  setHandler(invoiceStateQuery, () => snapshot());
  const snapshot = (): InvoiceState => ({ ...state, ...holds.view(), ...(number ? { number } : {}) });
  setHandler(paymentRecordedSignal, () => {
    ledgerChanged = true;
  });
  setHandler(retryStepSignal, () => {
    attention.retry();
  });
  setHandler(expirePrepaymentSignal, ({ reason }) =>
    exclusive(async () => {
      await steps.creditUnpaidInvoice({ invoiceId, creditNoteId: uuid4(), reason, issuedAt: issuedAt() });
      ledgerChanged = true;
    }),
  );
  /** A correction is for an invoice not yet settled (one being issued is waited for), and says why. */
  const validCorrection = (command: { reason: string }) => {
    if (isSettledStatus(state.status)) {
      throw ApplicationFailure.nonRetryable(`Invoice ${number || invoiceId} is ${state.status}`, 'INVOICE_CLOSED');
    }
    if (!command.reason.trim()) {
      throw ApplicationFailure.nonRetryable('A correction needs a reason', 'REASON_REQUIRED', { field: 'reason' });
    }
  };
  setHandler(
    issueCreditNoteUpdate,
    inTurn(validCorrection, async (command: CreditNoteCommand): Promise<CorrectionResult> => {
      const result = await acts.issueCreditNote({ invoiceId, ...command, issuedAt: issuedAt() }).catch(rethrowRefusal);
      await deliver(command.creditNoteId);
      ledgerChanged = true;
      return result;
    }),
    { validator: validCorrection },
  );
  /** The invoice credited in full and a corrected one issued, with a receivable of its own. */
  const revise = async (command: RevisionCommand): Promise<CorrectionResult> => {
    const result = await acts
      .reviseInvoice({
        invoiceId,
        ...command,
        revisedWorkflowId: invoiceWorkflowId(command.revisedInvoiceId),
        issuedAt: issuedAt(),
      })
      .catch(rethrowRefusal);
    const revised = result.revised;
    // The order learns of the replacement before this invoice reports itself settled: it never completes between.
    await tellOrder({
      invoiceId: revised.id,
      number: revised.number,
      status: 'open',
      dunningLevel: 0,
      balance: revised.balance,
    });
    await startOnce(() =>
      startChild(invoiceWorkflow, {
        workflowId: invoiceWorkflowId(revised.id),
        args: [
          {
            invoiceId: revised.id,
            orderId: input.orderId,
            dunningPolicy,
            ...(input.shipmentId ? { shipmentId: input.shipmentId } : {}),
          },
        ],
        // It reports to the order itself; this invoice, credited, closes at once.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      }),
    );
    await deliver(command.creditNoteId);
    ledgerChanged = true;
    return result;
  };
  setHandler(reviseInvoiceUpdate, inTurn(validCorrection, revise), { validator: validCorrection });

  // Disputes and promises: the customer's word pauses dunning, for the disputed amount or until the promised day.
  const refuseUnlessOpen = () => {
    if (isSettledStatus(state.status)) {
      throw ApplicationFailure.nonRetryable(`Invoice ${number || invoiceId} is ${state.status}`, 'INVOICE_CLOSED');
    }
  };
  const claimable = () => undisputedAmount(state.balance ?? 0, holds.disputes.values());
  const validDispute = (command: DisputeCommand) => {
    refuseUnlessOpen();
    if (holds.disputes.has(command.disputeId)) return;
    if (state.balance !== undefined && command.amount > claimable()) {
      throw ApplicationFailure.nonRetryable(
        `Only ${claimable()} of invoice ${number} is owed and not yet disputed`,
        'DISPUTE_EXCEEDS_BALANCE',
        { field: 'amount' },
      );
    }
  };
  setHandler(
    raiseDisputeUpdate,
    inTurn(validDispute, async (command): Promise<InvoiceState> => {
      if (!holds.disputes.has(command.disputeId)) {
        await steps.openDispute({ invoiceId, ...command, openedAt: issuedAt() });
        holds.dispute(command.disputeId, command.amount);
        await publish();
      }
      return snapshot();
    }),
    { validator: validDispute },
  );
  const validResolution = (command: ResolveDisputeCommand) => {
    if (!holds.disputes.has(command.disputeId)) {
      throw ApplicationFailure.nonRetryable(`Dispute ${command.disputeId} is not open`, 'DISPUTE_NOT_OPEN');
    }
    if (command.resolution !== 'rejected') refuseUnlessOpen();
  };
  setHandler(
    resolveDisputeUpdate,
    inTurn(validResolution, async (command): Promise<InvoiceState> => {
      const disputed = holds.disputes.get(command.disputeId)!;
      const asked = { reason: command.note, actor: command.actor };
      let creditNoteId: string | undefined;
      if (command.resolution === 'credit_note') {
        creditNoteId = command.creditNoteId!;
        await acts
          .issueCreditNote({
            invoiceId,
            ...asked,
            creditNoteId,
            selection:
              command.lines && command.amount === undefined
                ? { lines: command.lines }
                : { amount: Math.min(command.amount ?? disputed, disputed, state.balance ?? disputed) },
            issuedAt: issuedAt(),
          })
          .catch(rethrowRefusal);
        await deliver(creditNoteId);
        ledgerChanged = true;
      } else if (command.resolution === 'revised_invoice') {
        creditNoteId = command.creditNoteId!;
        await revise({ ...asked, creditNoteId, ...command.revision! });
      } else {
        // Rejected: the amount is claimed again, and the customer gets the level's full notice period anew.
        levelReachedAtMs = Date.now();
      }
      await steps.resolveDispute({
        disputeId: command.disputeId,
        resolution: command.resolution,
        note: command.note,
        actor: command.actor,
        resolvedAt: issuedAt(),
        ...(creditNoteId ? { creditNoteId } : {}),
      });
      holds.resolve(command.disputeId);
      await publish();
      return snapshot();
    }),
    { validator: validResolution },
  );
  const validPromise = (command: PromiseCommand) => {
    refuseUnlessOpen();
    if (holds.promise?.promiseId === command.promiseId) return;
    if (holds.promise) {
      throw ApplicationFailure.nonRetryable(
        `Invoice ${number} already has an open promise to pay (${holds.promise.promiseId})`,
        'PROMISE_OPEN',
      );
    }
    if (Date.parse(command.waitUntil) <= Date.now()) {
      throw ApplicationFailure.nonRetryable('The promised date has passed', 'PROMISE_DATE_PASSED', {
        field: 'date',
      });
    }
    if (state.balance !== undefined && command.amount > state.balance) {
      throw ApplicationFailure.nonRetryable(
        `The promise (${command.amount}) is more than invoice ${number} owes (${state.balance})`,
        'PROMISE_EXCEEDS_BALANCE',
        { field: 'amount' },
      );
    }
  };
  setHandler(
    promiseToPayUpdate,
    inTurn(validPromise, async (command): Promise<InvoiceState> => {
      if (holds.promise?.promiseId !== command.promiseId) {
        await steps.recordPromise({ invoiceId, ...command });
        holds.promiseToPay(command, state.balance!);
        await publish();
      }
      return snapshot();
    }),
    { validator: validPromise },
  );

  // Issuing is idempotent: a run continued as new gets the invoice it issued back.
  const invoice = await steps.issueInvoice({
    invoiceId,
    orderId: input.orderId,
    ...(input.shipmentId ? { shipmentId: input.shipmentId } : {}),
    issuedAt: issuedAt(),
    workflowId: workflowInfo().workflowId,
  });
  const dueAtMs = input.continued?.dueAtMs ?? dunningAnchorMs(Date.now(), termsDays(invoice));
  if (!input.continued) await deliver(invoiceId);
  number = invoice.number;
  Object.assign(state, { balance: invoice.balance, status: 'open' });
  await publish();

  if (policyPerCustomer && !input.policyResolved) dunningPolicy = await steps.dunningPolicyFor({ invoiceId });
  const lastLevel = input.prepayment ? 1 : dunningPolicy.levels.length;
  const position = (): DunningPosition =>
    levelReachedAtMs === undefined
      ? { level: state.dunningLevel }
      : { level: state.dunningLevel, reachedAtMs: levelReachedAtMs };
  while (state.balance! > 0) {
    const promise = holds.promise;
    const next =
      !promise && state.dunningLevel < lastLevel ? nextDunningStep(dunningPolicy, dueAtMs, position()) : null;
    // Not over a few cents: below the level's minimum (and at nothing claimable) it waits for the ledger to change.
    const step = next && claimable() >= Math.max(1, next.level.minimumOverdue ?? 0) ? next : null;
    const wakeAtMs = promise ? promise.waitUntilMs : escalateNow ? Date.now() : step?.atMs;
    // With nothing to wait for, the ledger is still read once a day: a lost payment signal must not strand it.
    const wait = wakeAtMs === undefined ? DAY_MS : Math.max(wakeAtMs - Date.now(), 1);
    const woken = await condition(() => ledgerChanged || holds.changed, wait);
    holds.changed = false;
    if (ledgerChanged || wakeAtMs === undefined) {
      ledgerChanged = false;
      const balance = await steps.getInvoiceBalance({ invoiceId });
      if (balance !== state.balance) {
        // A partial payment gives the customer the level's notice period again, once per level.
        if (consolidated && balance > 0 && balance < state.balance! && reanchoredLevel !== state.dunningLevel) {
          reanchoredLevel = state.dunningLevel;
          levelReachedAtMs = Date.now();
        }
        state.balance = balance;
        await publish();
      }
      if (!woken && workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof invoiceWorkflow>({
          ...input,
          dunningPolicy,
          ...(policyPerCustomer ? { policyResolved: true } : {}),
          continued: {
            dueAtMs,
            dunningLevel: state.dunningLevel,
            ...(levelReachedAtMs === undefined ? {} : { levelReachedAtMs }),
            holds: holds.carried(),
          },
        });
      }
      continue;
    }
    if (woken) continue; // a dispute or promise changed what is due
    if (promise) {
      const balance = await steps.getInvoiceBalance({ invoiceId });
      const kept = promiseKept(promise, balance);
      await steps.settlePromise({ promiseId: promise.promiseId, outcome: kept ? 'kept' : 'broken', at: issuedAt() });
      holds.promise = undefined;
      state.balance = balance;
      escalateNow = !kept; // broken: the next level at once
      await publish();
      continue;
    }
    if (!step) continue;
    // Woken late (the engine was down across levels): only the latest level due is sent (domain/dunning.ts).
    const reachedAtMs = Date.now();
    const level =
      consolidated && !escalateNow
        ? latestDueLevel(dunningPolicy, dueAtMs, position(), reachedAtMs, lastLevel)!
        : step.level;
    escalateNow = false;
    const record = await steps.recordDunningLevel({
      invoiceId,
      level: level.level,
      name: level.name,
      policyId: dunningPolicy.id,
      ...(level.charges ? { charges: [...level.charges], reachedAt: new Date(reachedAtMs).toISOString() } : {}),
    });
    if (!record.recorded) {
      // Settled by a payment whose signal has not arrived yet: take the balance from the ledger.
      state.balance = record.amountOutstanding;
      continue;
    }
    if (consolidated && level.channel === 'agency') {
      // Handed over: the agency contacts the customer, our letters stop listing it; payments still close it here.
      await steps.handOverToAgency({ invoiceId });
      levelReachedAtMs = reachedAtMs;
    } else if (consolidated) {
      const next = level.level < lastLevel ? dunningPolicy.levels[level.level] : undefined;
      await steps.reportDunningLevel({
        invoiceId,
        level: level.level,
        name: level.name,
        nextName: next?.name ?? null,
        channel: level.channel ?? 'email',
        ...(level.template ? { template: level.template } : {}),
        ...(next?.template ? { nextTemplate: next.template } : {}),
      });
      levelReachedAtMs = reachedAtMs;
    } else {
      await steps.sendDunningLetter({
        invoiceId,
        level: level.level,
        name: level.name,
        amountOutstanding: record.amountOutstanding,
      });
    }
    state.dunningLevel = level.level;
    state.balance = record.amountOutstanding;
    await publish();
  }

  await exclusive(async () => {
    state.status = await steps.closeSettledInvoice({ invoiceId, closedAt: issuedAt() });
    holds.disputes.clear(); // closed with it
    if (holds.promise) {
      // Paid in full before the promise's wait ended: kept; credited away: there was nothing left to keep.
      const outcome = state.status === 'paid' ? 'kept' : 'cancelled';
      await steps.settlePromise({ promiseId: holds.promise.promiseId, outcome, at: issuedAt() });
      holds.promise = undefined;
    }
    await publish();
  });
  await condition(allHandlersFinished);
  return { ...state, number };
}

const termsDays = (invoice: { issueDate: string; dueDate: string }) =>
  Math.round((parseIsoDate(invoice.dueDate) - parseIsoDate(invoice.issueDate)) / DAY_MS);

/** Delivery of a document runs on its own: the receivable does not wait for it, and it outlives a quick payment. */
async function deliver(documentId: string): Promise<void> {
  await startOnce(() =>
    startChild(documentDeliveryWorkflow, {
      workflowId: documentWorkflowId(documentId),
      args: [{ invoiceId: documentId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    }),
  );
}

/** A child that outlives this workflow, started once whatever a retried Update asks. */
async function startOnce(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

function rethrowRefusal(err: unknown): never {
  throw refusalOf(err);
}
