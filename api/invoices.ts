import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../db/audit.js';
import { issueCreditNote, reviseInvoice } from '../db/credit-notes.js';
import { getCustomer } from '../db/customers.js';
import { ensureInvoiceFiles, invoiceDeliveryStatus } from '../db/invoice-documents.js';
import { getInvoiceLines, invoiceViews, listInvoices } from '../db/invoices.js';
import { customers, invoices, orders } from '../db/schema.js';
import { documentWorkflowId, invoiceWorkflowId } from '../temporal/workflow-ids.js';
import type { documentDeliveryWorkflow } from '../workflows/document-delivery.js';
import type { invoiceWorkflow } from '../workflows/invoice.js';
import { creditNoteIssuedSignal, invoiceProgressSignal } from '../workflows/messages.js';
import { customerStatement } from '../domain/aging.js';
import { INVOICE_STATUSES } from '../domain/invoice-status.js';
import { isoDate } from '../domain/payment-terms.js';
import { ANY_ROLE, principalOf } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { idParams, positiveMinorUnits } from './schemas.js';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

const listQuery = z.object({
  customerId: z.uuid('must be a UUID').optional(),
  status: z.enum(INVOICE_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.uuid('must be the id of the last invoice of the previous page').optional(),
});

const creditNote = z.object({
  reason: z.string().trim().min(1, 'a credit note needs a reason').max(1000),
  lines: z.array(z.object({
    lineNo: z.number().int().min(1),
    quantity: z.number().int('must be a whole number').min(1, 'must be at least 1'),
  })).min(1, 'name at least one line').max(500).optional(),
  /** Including VAT; for invoices with a single VAT rate. */
  amount: positiveMinorUnits.optional(),
}).refine((c) => (c.lines === undefined) !== (c.amount === undefined), { message: 'give either lines or amount', path: ['lines'] });

const revision = z.object({
  reason: z.string().trim().min(1, 'a revision needs a reason').max(1000),
  lines: z.array(z.object({
    lineNo: z.number().int().min(1),
    quantity: z.number().int('must be a whole number').min(0).optional(),
    unitPrice: z.number().int('must be an integer amount in minor units').min(0).optional(),
    discountBp: z.number().int().min(0).max(10_000).optional(),
  })).min(1, 'name at least one corrected line').max(500),
});

const DOWNLOADS = {
  pdf: { contentType: 'application/pdf', disposition: 'inline', extension: 'pdf' },
  ubl: { contentType: 'application/xml; charset=utf-8', disposition: 'attachment', extension: 'xml' },
} as const;

const idempotencyHeader = z.object({
  'idempotency-key': z.string({ message: 'the Idempotency-Key header is required' }).min(1).max(255),
});

/** A stable id per invoice, purpose and Idempotency-Key, so a retried request finds what the first one issued. */
function stableId(purpose: string, invoiceId: string, key: string): string {
  const h = createHash('sha256').update(`${purpose}:${invoiceId}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const invoiceRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  /** Starts a workflow unless it ran already: a retried request heals a crash between the commit and the start. */
  const startOnce = async (type: 'invoiceWorkflow' | 'documentDeliveryWorkflow', workflowId: string, args: unknown[]) => {
    try {
      await deps.temporal.workflow.start(type, {
        workflowId, taskQueue: deps.taskQueue, args,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING, workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };
  /** A credit note is delivered to the customer, and the invoice's receivable re-reads its balance. */
  const afterCredit = async (creditNoteId: string, invoiceId: string) => {
    await startOnce('documentDeliveryWorkflow', documentWorkflowId(creditNoteId), [{ invoiceId: creditNoteId }] satisfies Parameters<typeof documentDeliveryWorkflow>);
    const [receivable] = await deps.db.select({ workflowId: invoices.workflowId }).from(invoices).where(eq(invoices.id, invoiceId));
    try {
      await deps.temporal.workflow.getHandle(receivable!.workflowId).signal(creditNoteIssuedSignal, { creditNoteId });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // the invoice's workflow has closed: nothing waits on it
    }
  };

  /** The stored document files of an invoice or credit note, with the customer's language for a first rendering. */
  const filesOf = async (invoiceId: string) => {
    const [row] = await deps.db.select({ id: invoices.id, number: invoices.number, document: invoices.document, language: customers.language })
      .from(invoices).innerJoin(customers, eq(customers.id, invoices.customerId)).where(eq(invoices.id, invoiceId));
    if (!row) throw new ApiError(404, 'NOT_FOUND', `No invoice with id ${invoiceId}`);
    const files = await ensureInvoiceFiles(deps.db, row, row.language);
    if (!files) throw new ApiError(409, 'NO_DOCUMENT', `Invoice ${row.number} was issued before invoices carried their document`);
    return { number: row.number, ...files };
  };

  app.get('/v1/invoices', {
    schema: { tags: ['invoices'], querystring: listQuery },
    config: { roles: ANY_ROLE },
  }, async (request) => listInvoices(deps.db, { ...request.query, today: isoDate(Date.now()) }));

  app.get('/v1/invoices/:id', {
    schema: { tags: ['invoices'], params: idParams },
    config: { roles: ANY_ROLE },
  }, async (request) => {
    const [invoice] = await invoiceViews(deps.db, { invoiceId: request.params.id });
    if (!invoice) throw new ApiError(404, 'NOT_FOUND', `No invoice with id ${request.params.id}`);
    const [lines, deliveries] = await Promise.all([getInvoiceLines(deps.db, invoice.id), invoiceDeliveryStatus(deps.db, invoice.id)]);
    return { ...invoice, lines: lines.map(({ invoiceId: _, ...line }) => line), deliveries };
  });

  // The stored files, the very bytes every channel got: the PDF to read, the UBL for the customer's accounting.
  for (const [format, { contentType, disposition, extension }] of Object.entries(DOWNLOADS)) {
    app.get(`/v1/invoices/:id/${format}`, {
      schema: { tags: ['invoices'], params: idParams },
      config: { roles: ANY_ROLE },
    }, async (request, reply) => {
      const files = await filesOf(request.params.id);
      return reply.type(contentType).header('content-disposition', `${disposition}; filename="${files.number}.${extension}"`).send(files[format as keyof typeof DOWNLOADS]);
    });
  }

  /**
   * Delivers a document again after its delivery failed, typically once finance has corrected the customer's
   * invoicing details (PUT /v1/customers/:id/invoicing); on the customer's channel as it is now. Audited.
   */
  app.post('/v1/invoices/:id/deliveries', {
    schema: { tags: ['invoices'], params: idParams, body: z.object({ reason: z.string().trim().min(1, 'a re-delivery needs a reason').max(1000) }) },
    config: { roles: ['finance'] },
  }, async (request, reply) => {
    const [row] = await deps.db.select({ id: invoices.id, number: invoices.number, document: invoices.document, channel: customers.invoiceChannel })
      .from(invoices).innerJoin(customers, eq(customers.id, invoices.customerId)).where(eq(invoices.id, request.params.id));
    if (!row) throw new ApiError(404, 'NOT_FOUND', `No invoice with id ${request.params.id}`);
    if (!row.document) throw new ApiError(409, 'NO_DOCUMENT', `Invoice ${row.number} was issued before invoices carried their document`);
    const current = (await invoiceDeliveryStatus(deps.db, row.id)).find((d) => d.channel === row.channel);
    if (current && current.status !== 'failed') {
      throw new ApiError(409, 'NOT_FAILED', `${row.number} is ${current.status} on ${current.channel}; only a failed delivery is repeated`);
    }
    try {
      await deps.temporal.workflow.start('documentDeliveryWorkflow', {
        workflowId: documentWorkflowId(row.id), taskQueue: deps.taskQueue, args: [{ invoiceId: row.id }] satisfies Parameters<typeof documentDeliveryWorkflow>,
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ApiError(409, 'DELIVERY_IN_PROGRESS', `${row.number} is being delivered right now`);
      throw err;
    }
    await recordAudit(deps.db, {
      decisionKey: `redeliver:${randomUUID()}`, actor: principalOf(request).name, action: 'invoice.redeliver', entityType: 'invoice', entityId: row.id, reason: request.body.reason,
    });
    return reply.code(202).send({ id: row.id, channel: row.channel });
  });

  /** A correction: never an edit, always a credit note that references the invoice; the receivable follows at once. */
  app.post('/v1/invoices/:id/credit-notes', {
    schema: { tags: ['invoices'], params: idParams, body: creditNote, headers: idempotencyHeader },
    config: { roles: ['finance'] },
  }, async (request, reply) => {
    const { lines, amount, reason } = request.body;
    const { creditNote: issued, invoice, created } = await issueCreditNote(deps.db, {
      creditNoteId: stableId('credit-note', request.params.id, request.headers['idempotency-key']),
      invoiceId: request.params.id,
      selection: lines ? { lines } : { amount: amount! },
      reason,
      actor: principalOf(request).name,
      issueDate: isoDate(Date.now()),
    });
    await afterCredit(issued.id, invoice.id);
    return reply.code(created ? 201 : 200).send({ creditNote: issued, invoice });
  });

  /**
   * A revised invoice: the invoice credited in full and a corrected one issued in its place, with a receivable
   * (InvoiceWorkflow) of its own that reports to the order, so the order completes only when the new one is paid.
   */
  app.post('/v1/invoices/:id/revisions', {
    schema: { tags: ['invoices'], params: idParams, body: revision, headers: idempotencyHeader },
    config: { roles: ['finance'] },
  }, async (request, reply) => {
    const key = request.headers['idempotency-key'];
    const revisedInvoiceId = stableId('revision', request.params.id, key);
    const { creditNote: issued, invoice, revised, created } = await reviseInvoice(deps.db, {
      invoiceId: request.params.id,
      creditNoteId: stableId('credit-note', request.params.id, key),
      revisedInvoiceId,
      revisedWorkflowId: invoiceWorkflowId(revisedInvoiceId),
      changes: request.body.lines,
      reason: request.body.reason,
      actor: principalOf(request).name,
      issueDate: isoDate(Date.now()),
    });
    const [order] = await deps.db.select({ workflowId: orders.workflowId }).from(orders).where(eq(orders.id, invoice.orderId));
    // The order learns of the new invoice before the old one reports itself settled, so it never completes in between.
    try {
      await deps.temporal.workflow.getHandle(order!.workflowId).signal(invoiceProgressSignal, {
        invoiceId: revised.id, number: revised.number, status: 'open', dunningLevel: 0, balance: revised.balance,
      });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    await startOnce('invoiceWorkflow', invoiceWorkflowId(revised.id), [{
      invoiceId: revised.id, orderId: revised.orderId, dunningPolicy: deps.orderPolicy.dunningPolicy, reportTo: order!.workflowId,
    }] satisfies Parameters<typeof invoiceWorkflow>);
    await afterCredit(issued.id, invoice.id);
    return reply.code(created ? 201 : 200).send({ creditNote: issued, invoice, revised });
  });

  /** Open items with days overdue and aging buckets (current, 1-30, 31-60, 61-90, 90+), per currency. */
  app.get('/v1/customers/:id/statement', {
    schema: { tags: ['invoices', 'customers'], params: idParams, querystring: z.object({ asOf: isoDay.optional() }) },
    config: { roles: ANY_ROLE },
  }, async (request) => {
    const customer = await getCustomer(deps.db, request.params.id);
    if (!customer) throw new ApiError(404, 'NOT_FOUND', `No customer with id ${request.params.id}`);
    const open = await invoiceViews(deps.db, { customerId: customer.id, status: 'open' });
    const statement = customerStatement(
      open.map((i) => ({ invoiceId: i.id, invoiceNumber: i.number, issueDate: i.issueDate, dueDate: i.dueDate, total: i.total, balance: i.balance, currency: i.currency, paymentReference: i.paymentReference })),
      request.query.asOf ?? isoDate(Date.now()),
    );
    return { customerId: customer.id, customerName: customer.name, ...statement };
  });
};
