import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { issueCreditNote, reviseInvoice } from '../db/credit-notes.js';
import { invoices, orders } from '../db/schema.js';
import { isoDate } from '../domain/payment-terms.js';
import { documentWorkflowId, invoiceWorkflowId } from '../temporal/workflow-ids.js';
import type { documentDeliveryWorkflow } from '../workflows/document-delivery.js';
import type { invoiceWorkflow } from '../workflows/invoice.js';
import { creditNoteIssuedSignal, invoiceProgressSignal } from '../workflows/messages.js';
import { principalOf } from './auth.js';
import { signalIfOpen } from './signal.js';
import type { ApiDeps } from './deps.js';
import { idParams, idempotencyHeader, positiveMinorUnits } from './schemas.js';

// Corrections of issued invoices: never an edit, always a credit note (and, for a revision, a new invoice).

const creditNote = z
  .object({
    reason: z.string().trim().min(1, 'a credit note needs a reason').max(1000),
    lines: z
      .array(
        z.object({
          lineNo: z.number().int().min(1),
          quantity: z.number().int('must be a whole number').min(1, 'must be at least 1'),
        }),
      )
      .min(1, 'name at least one line')
      .max(500)
      .optional(),
    /** Including VAT; for invoices with a single VAT rate. */
    amount: positiveMinorUnits.optional(),
  })
  .refine((c) => (c.lines === undefined) !== (c.amount === undefined), {
    message: 'give either lines or amount',
    path: ['lines'],
  });

const revision = z.object({
  reason: z.string().trim().min(1, 'a revision needs a reason').max(1000),
  lines: z
    .array(
      z.object({
        lineNo: z.number().int().min(1),
        quantity: z.number().int('must be a whole number').min(0).optional(),
        unitPrice: z.number().int('must be an integer amount in minor units').min(0).optional(),
        discountBp: z.number().int().min(0).max(10_000).optional(),
      }),
    )
    .min(1, 'name at least one corrected line')
    .max(500),
});

/** A stable id per invoice, purpose and Idempotency-Key, so a retried request finds what the first one issued. */
function stableId(purpose: string, invoiceId: string, key: string): string {
  const h = createHash('sha256').update(`${purpose}:${invoiceId}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const invoiceCorrectionRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    /** Starts a workflow unless it ran already: a retried request heals a crash between the commit and the start. */
    const startOnce = async (
      type: 'invoiceWorkflow' | 'documentDeliveryWorkflow',
      workflowId: string,
      args: unknown[],
    ) => {
      try {
        await deps.temporal.workflow.start(type, {
          workflowId,
          taskQueue: deps.taskQueue,
          args,
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    };
    /** A credit note is delivered to the customer, and the invoice's receivable re-reads its balance. */
    const afterCredit = async (creditNoteId: string, invoiceId: string) => {
      await startOnce('documentDeliveryWorkflow', documentWorkflowId(creditNoteId), [
        { invoiceId: creditNoteId },
      ] satisfies Parameters<typeof documentDeliveryWorkflow>);
      const [receivable] = await deps.db
        .select({ workflowId: invoices.workflowId })
        .from(invoices)
        .where(eq(invoices.id, invoiceId));
      await signalIfOpen(deps.temporal, receivable!.workflowId, creditNoteIssuedSignal, { creditNoteId });
    };

    /** A correction: never an edit, always a credit note that references the invoice; the receivable follows at once. */
    app.post(
      '/v1/invoices/:id/credit-notes',
      {
        schema: { tags: ['invoices'], params: idParams, body: creditNote, headers: idempotencyHeader },
        config: { roles: ['finance'] },
      },
      async (request, reply) => {
        const { lines, amount, reason } = request.body;
        const {
          creditNote: issued,
          invoice,
          created,
        } = await issueCreditNote(deps.db, {
          creditNoteId: stableId('credit-note', request.params.id, request.headers['idempotency-key']),
          invoiceId: request.params.id,
          selection: lines ? { lines } : { amount: amount! },
          reason,
          actor: principalOf(request).name,
          issueDate: isoDate(Date.now()),
        });
        await afterCredit(issued.id, invoice.id);
        return reply.code(created ? 201 : 200).send({ creditNote: issued, invoice });
      },
    );

    /**
     * A revised invoice: the invoice credited in full and a corrected one issued in its place, with a receivable
     * (InvoiceWorkflow) of its own that reports to the order, so the order completes only when the new one is paid.
     */
    app.post(
      '/v1/invoices/:id/revisions',
      {
        schema: { tags: ['invoices'], params: idParams, body: revision, headers: idempotencyHeader },
        config: { roles: ['finance'] },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        const revisedInvoiceId = stableId('revision', request.params.id, key);
        const {
          creditNote: issued,
          invoice,
          revised,
          created,
        } = await reviseInvoice(deps.db, {
          invoiceId: request.params.id,
          creditNoteId: stableId('credit-note', request.params.id, key),
          revisedInvoiceId,
          revisedWorkflowId: invoiceWorkflowId(revisedInvoiceId),
          changes: request.body.lines,
          reason: request.body.reason,
          actor: principalOf(request).name,
          issueDate: isoDate(Date.now()),
        });
        const [order] = await deps.db
          .select({ workflowId: orders.workflowId })
          .from(orders)
          .where(eq(orders.id, invoice.orderId));
        // The order learns of the new invoice before the old one reports itself settled, so it never completes in between.
        await signalIfOpen(deps.temporal, order!.workflowId, invoiceProgressSignal, {
          invoiceId: revised.id,
          number: revised.number,
          status: 'open',
          dunningLevel: 0,
          balance: revised.balance,
        });
        await startOnce('invoiceWorkflow', invoiceWorkflowId(revised.id), [
          {
            invoiceId: revised.id,
            orderId: revised.orderId,
            dunningPolicy: deps.orderPolicy.dunningPolicy,
            reportTo: order!.workflowId,
          },
        ] satisfies Parameters<typeof invoiceWorkflow>);
        await afterCredit(issued.id, invoice.id);
        return reply.code(created ? 201 : 200).send({ creditNote: issued, invoice, revised });
      },
    );
  };
