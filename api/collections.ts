import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditOf } from '../db/audit.js';
import {
  assignDispute,
  disputeReport,
  disputedLinesOf,
  getDispute,
  listDisputes,
  resolveDispute as resolveDisputeRow,
  type Dispute,
  type DisputedLine,
} from '../db/disputes.js';
import { waiveCharge } from '../db/dunning-charges.js';
import { invoiceViews, type InvoiceView } from '../db/invoices.js';
import {
  CALL_OUTCOMES,
  DISPUTE_REASONS,
  DISPUTE_RESOLUTIONS,
  disputeAge,
  promiseWaitUntilMs,
} from '../domain/collections.js';
import { parseIsoDuration } from '../domain/durations.js';
import { isoDate, parseIsoDate } from '../domain/payment-terms.js';
import { completeCollectionTask, getCollectionTask, worklist } from '../db/collection-tasks.js';
import { approveWriteOff, listWriteOffRequests, requestWriteOff, type WriteOffRequest } from '../db/write-offs.js';
import { promiseToPay, raiseDispute, resolveDispute, tellPaymentRecorded } from '../temporal/starts.js';
import { invoiceWorkflowId } from '../temporal/workflow-ids.js';
import { COLLECTION_ROLES, principalOf } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { stableId } from './idempotency.js';
import {
  creditedLines,
  idParams,
  idempotencyHeader,
  isoDateString,
  positiveMinorUnits,
  revisedLines,
} from './schemas.js';

// Disputes and promises to pay: the customer's word, taken by finance (or an integration for disputes), handed to
// the invoice's workflow as an Update, so dunning changes in the one place that owns it.

const note = z.string().trim().min(1, 'say why').max(2000);

const disputeBody = z
  .object({
    reasonCode: z.enum(DISPUTE_REASONS, { message: `must be one of ${DISPUTE_REASONS.join(', ')}` }),
    /** VAT included. */
    amount: positiveMinorUnits.optional(),
    /** Quantities of invoice lines: the amount is what a credit note for them would be. */
    lines: creditedLines.optional(),
    note,
    /** Who works it; the configured default owner otherwise. */
    owner: z.string().trim().min(1).max(200).optional(),
  })
  .refine((d) => (d.lines === undefined) !== (d.amount === undefined), {
    message: 'give either lines or amount',
    path: ['lines'],
  });

const resolutionBody = z
  .object({
    resolution: z.enum(DISPUTE_RESOLUTIONS, { message: `must be one of ${DISPUTE_RESOLUTIONS.join(', ')}` }),
    /** credit_note: credit less than the disputed amount (the rest is claimed again). */
    amount: positiveMinorUnits.optional(),
    /** revised_invoice: the corrected lines, as for POST /v1/invoices/:id/revisions. */
    lines: revisedLines.optional(),
    note,
  })
  .refine((r) => (r.resolution === 'revised_invoice') === (r.lines !== undefined), {
    message: 'a revised_invoice resolution takes the corrected lines, and only it does',
    path: ['lines'],
  })
  .refine((r) => r.amount === undefined || r.resolution === 'credit_note', {
    message: 'only a credit_note resolution takes an amount',
    path: ['amount'],
  });

const promiseBody = z.object({ date: isoDateString, amount: positiveMinorUnits, note });

const writeOffBody = z.object({
  reason: z.string().trim().min(1, 'say why it cannot be collected').max(2000),
  /** Absent: all that is owed. */
  amount: positiveMinorUnits.optional(),
});

const taskCompletion = z
  .object({
    outcome: z.enum(CALL_OUTCOMES, { message: `must be one of ${CALL_OUTCOMES.join(', ')}` }),
    note,
    /** What the customer promised on the call: recorded as POST /v1/invoices/:id/promises would. */
    promise: z
      .object({ invoiceId: z.uuid('must be a UUID'), date: isoDateString, amount: positiveMinorUnits })
      .optional(),
  })
  .refine((c) => (c.outcome === 'promised') === (c.promise !== undefined), {
    message: 'a promised outcome takes the promise, and only it does',
    path: ['promise'],
  });

const queueQuery = z.object({
  status: z.enum(['open', 'resolved']).default('open'),
  owner: z.string().optional(),
  reasonCode: z.enum(DISPUTE_REASONS).optional(),
  /** Only disputes open at least this many days. */
  minAgeDays: z.coerce.number().int().min(0).optional(),
  overdue: z.enum(['true', 'false']).optional(),
});

export const collectionRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const engine = deps;
    const iso = (t: string | null) => (t === null ? null : new Date(t).toISOString());
    const view = <D extends Dispute>(d: D) => ({
      ...d,
      openedAt: iso(d.openedAt),
      slaDueAt: iso(d.slaDueAt),
      resolvedAt: iso(d.resolvedAt),
      ...disputeAge(d, Date.now()),
    });

    /** The invoice a command is about: it must exist, be an invoice, and be open. */
    const openInvoice = async (invoiceId: string): Promise<InvoiceView> => {
      const [invoice] = await invoiceViews(deps.db, { invoiceId });
      if (!invoice) throw new ApiError(404, 'NOT_FOUND', `No invoice with id ${invoiceId}`);
      if (invoice.type !== 'invoice') throw new ApiError(422, 'NOT_AN_INVOICE', `${invoice.number} is a credit note`);
      if (invoice.status !== 'open') {
        throw new ApiError(409, 'INVOICE_CLOSED', `Invoice ${invoice.number} is ${invoice.status}`);
      }
      return invoice;
    };

    app.post(
      '/v1/invoices/:id/disputes',
      {
        schema: { tags: ['collections'], params: idParams, body: disputeBody, headers: idempotencyHeader },
        config: { roles: ['finance', 'collector', 'integration'] },
      },
      async (request, reply) => {
        const disputeId = stableId('dispute', request.params.id, request.headers['idempotency-key']);
        const known = await getDispute(deps.db, disputeId);
        if (known) return reply.code(200).send({ dispute: view(known) });
        const invoice = await openInvoice(request.params.id);
        const { reasonCode, note: why, owner } = request.body;
        const byLines = request.body.lines ? await disputedLinesOf(deps.db, invoice.id, request.body.lines) : undefined;
        const amount = byLines?.amount ?? request.body.amount!;
        const sla = parseIsoDuration(deps.collections.disputeSla[reasonCode]);
        const state = await raiseDispute(engine, invoice.id, {
          disputeId,
          reasonCode,
          amount,
          ...(byLines ? { lines: byLines.lines } : {}),
          note: why,
          owner: owner ?? deps.collections.disputeOwner,
          actor: principalOf(request).name,
          slaDueAt: new Date(Date.now() + sla).toISOString(),
        });
        return reply.code(201).send({ dispute: view((await getDispute(deps.db, disputeId))!), invoice: state });
      },
    );

    app.get(
      '/v1/disputes',
      { schema: { tags: ['collections'], querystring: queueQuery }, config: { roles: COLLECTION_ROLES } },
      async (request) => {
        const q = request.query;
        const rows = (
          await listDisputes(deps.db, {
            status: q.status,
            ...(q.owner ? { owner: q.owner } : {}),
            ...(q.reasonCode ? { reasonCode: q.reasonCode } : {}),
          })
        ).map(view);
        return {
          disputes: rows.filter(
            (d) =>
              (q.minAgeDays === undefined || d.ageDays >= q.minAgeDays) &&
              (q.overdue === undefined || d.overdue === (q.overdue === 'true')),
          ),
        };
      },
    );

    app.get(
      '/v1/disputes/report',
      {
        schema: {
          tags: ['collections'],
          querystring: z.object({ from: isoDateString, to: isoDateString }),
        },
        config: { roles: ['finance'] },
      },
      async (request) => {
        const { from, to } = request.query;
        if (to < from) throw new ApiError(400, 'VALIDATION_FAILED', 'to: must not be before from', 'to');
        const dayAfter = isoDate(parseIsoDate(to) + 86_400_000); // `to` is the last day counted
        return { from, to, ...(await disputeReport(deps.db, { from, to: dayAfter })) };
      },
    );

    app.get(
      '/v1/disputes/:id',
      { schema: { tags: ['collections'], params: idParams }, config: { roles: COLLECTION_ROLES } },
      async (request) => {
        const dispute = await getDispute(deps.db, request.params.id);
        if (!dispute) throw new ApiError(404, 'NOT_FOUND', `No dispute with id ${request.params.id}`);
        return { dispute: view(dispute), history: await auditOf(deps.db, 'dispute', dispute.id) };
      },
    );

    app.put(
      '/v1/disputes/:id/owner',
      {
        schema: {
          tags: ['collections'],
          params: idParams,
          body: z.object({ owner: z.string().trim().min(1).max(200), reason: note }),
        },
        config: { roles: COLLECTION_ROLES },
      },
      async (request) => ({
        dispute: view(
          await assignDispute(deps.db, {
            disputeId: request.params.id,
            ...request.body,
            actor: principalOf(request).name,
          }),
        ),
      }),
    );

    app.post(
      '/v1/disputes/:id/resolve',
      {
        schema: { tags: ['collections'], params: idParams, body: resolutionBody },
        config: { roles: ['finance'] },
      },
      async (request) => {
        const dispute = await getDispute(deps.db, request.params.id);
        if (!dispute) throw new ApiError(404, 'NOT_FOUND', `No dispute with id ${request.params.id}`);
        if (dispute.status !== 'open') return { dispute: view(dispute) }; // resolved before: answered as it was
        const { resolution, amount, lines, note: why } = request.body;
        const actor = principalOf(request).name;
        const [invoice] = await invoiceViews(deps.db, { invoiceId: dispute.invoiceId });
        if (invoice!.status !== 'open') {
          // Settled meanwhile: nothing is left to credit or claim, so it can only be closed as rejected.
          if (resolution !== 'rejected') {
            throw new ApiError(409, 'INVOICE_CLOSED', `Invoice ${invoice!.number} is ${invoice!.status}`);
          }
          await resolveDisputeRow(deps.db, {
            disputeId: dispute.id,
            resolution,
            note: why,
            actor,
            resolvedAt: new Date().toISOString(),
          });
        } else {
          // One resolution per dispute: its credit note and revised invoice ids follow from the dispute's.
          await resolveDispute(engine, dispute.invoiceId, {
            disputeId: dispute.id,
            resolution,
            note: why,
            actor,
            ...(resolution === 'rejected' ? {} : { creditNoteId: stableId('dispute-credit-note', dispute.id, '') }),
            ...(amount !== undefined ? { amount } : {}),
            ...(dispute.lines && resolution === 'credit_note'
              ? { lines: (dispute.lines as DisputedLine[]).map(({ lineNo, quantity }) => ({ lineNo, quantity })) }
              : {}),
            ...(lines
              ? { revision: { revisedInvoiceId: stableId('dispute-revision', dispute.id, ''), changes: lines } }
              : {}),
          });
        }
        return { dispute: view((await getDispute(deps.db, dispute.id))!) };
      },
    );

    app.get(
      '/v1/collections/worklist',
      { schema: { tags: ['collections'] }, config: { roles: COLLECTION_ROLES } },
      async () => ({ tasks: await worklist(deps.db, Date.now()) }),
    );

    app.post(
      '/v1/collections/tasks/:id/complete',
      {
        schema: { tags: ['collections'], params: idParams, body: taskCompletion },
        config: { roles: COLLECTION_ROLES },
      },
      async (request) => {
        const task = await getCollectionTask(deps.db, request.params.id);
        if (!task) throw new ApiError(404, 'NOT_FOUND', `No collection task ${request.params.id}`);
        const { outcome, note: why, promise } = request.body;
        const actor = principalOf(request).name;
        if (promise && task.status === 'open') {
          const items = task.items as { invoiceId: string }[];
          if (!items.some((i) => i.invoiceId === promise.invoiceId)) {
            throw new ApiError(
              422,
              'NOT_ON_TASK',
              'The promise must be for an invoice the call was about',
              'promise.invoiceId',
            );
          }
          await openInvoice(promise.invoiceId);
          await promiseToPay(engine, promise.invoiceId, {
            promiseId: stableId('call-promise', task.id, promise.invoiceId),
            promisedDate: promise.date,
            amount: promise.amount,
            note: why,
            actor,
            waitUntil: new Date(promiseWaitUntilMs(promise.date, deps.collections.promiseGrace)).toISOString(),
          });
        }
        return { task: await completeCollectionTask(deps.db, { taskId: task.id, outcome, note: why, actor }) };
      },
    );

    app.post(
      '/v1/invoices/:id/promises',
      {
        schema: { tags: ['collections'], params: idParams, body: promiseBody, headers: idempotencyHeader },
        config: { roles: COLLECTION_ROLES },
      },
      async (request, reply) => {
        const invoice = await openInvoice(request.params.id);
        const promiseId = stableId('promise', invoice.id, request.headers['idempotency-key']);
        const { date, amount, note: why } = request.body;
        const waitUntil = new Date(promiseWaitUntilMs(date, deps.collections.promiseGrace)).toISOString();
        const state = await promiseToPay(engine, invoice.id, {
          promiseId,
          promisedDate: date,
          amount,
          note: why,
          actor: principalOf(request).name,
          waitUntil,
        });
        return reply.code(201).send({ promise: { id: promiseId, date, amount, waitUntil }, invoice: state });
      },
    );
    /** An applied write-off changes the invoice's ledger: its workflow re-reads it and closes when nothing is owed. */
    const applied = async (request: WriteOffRequest) => {
      if (request.status === 'applied') {
        await tellPaymentRecorded(engine, invoiceWorkflowId(request.invoiceId), `write-off:${request.id}`);
      }
      return request;
    };

    app.post(
      '/v1/invoices/:id/write-off',
      {
        schema: { tags: ['collections'], params: idParams, body: writeOffBody, headers: idempotencyHeader },
        config: { roles: ['finance'] },
      },
      async (request, reply) => {
        const writeOff = await applied(
          await requestWriteOff(deps.db, {
            requestId: stableId('write-off', request.params.id, request.headers['idempotency-key']),
            invoiceId: request.params.id,
            ...request.body,
            actor: principalOf(request).name,
            approvalAbove: deps.collections.writeOffApprovalAbove,
          }),
        );
        return reply.code(writeOff.status === 'applied' ? 201 : 202).send({ writeOff });
      },
    );

    app.get(
      '/v1/write-offs',
      {
        schema: {
          tags: ['collections'],
          querystring: z.object({ status: z.enum(['pending_approval', 'applied', 'rejected']).optional() }),
        },
        config: { roles: ['finance'] },
      },
      async (request) => ({ writeOffs: await listWriteOffRequests(deps.db, request.query.status) }),
    );

    app.post(
      '/v1/write-offs/:id/approve',
      {
        schema: {
          tags: ['collections'],
          params: idParams,
          body: z.object({ note: z.string().trim().max(2000).optional() }),
        },
        config: { roles: ['admin'] },
      },
      async (request) => {
        const { note: why } = request.body;
        return {
          writeOff: await applied(
            await approveWriteOff(deps.db, {
              requestId: request.params.id,
              actor: principalOf(request).name,
              ...(why ? { note: why } : {}),
            }),
          ),
        };
      },
    );

    app.post(
      '/v1/dunning-charges/:id/waive',
      {
        schema: {
          tags: ['collections'],
          params: idParams,
          body: z.object({ reason: z.string().trim().min(1, 'a waiver needs a reason').max(2000) }),
        },
        config: { roles: ['finance'] },
      },
      async (request) => ({
        charge: await waiveCharge(deps.db, request.params.id, {
          reason: request.body.reason,
          actor: principalOf(request).name,
        }),
      }),
    );
  };
