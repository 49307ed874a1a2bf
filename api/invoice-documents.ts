import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../db/audit.js';
import { ensureInvoiceFiles, invoiceDeliveryStatus } from '../db/invoice-documents.js';
import { customers, invoices } from '../db/schema.js';
import { documentWorkflowId } from '../temporal/workflow-ids.js';
import type { documentDeliveryWorkflow } from '../workflows/document-delivery.js';
import { ANY_ROLE, principalOf } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { idParams } from './schemas.js';

// The documents of invoices and credit notes: downloads of the stored files, and delivering a failed one again.

const DOWNLOADS = {
  pdf: { contentType: 'application/pdf', disposition: 'inline', extension: 'pdf' },
  ubl: { contentType: 'application/xml; charset=utf-8', disposition: 'attachment', extension: 'xml' },
} as const;

export const invoiceDocumentRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    /** The stored document files of an invoice or credit note, with the customer's language for a first rendering. */
    const filesOf = async (invoiceId: string) => {
      const [row] = await deps.db
        .select({ id: invoices.id, number: invoices.number, document: invoices.document, language: customers.language })
        .from(invoices)
        .innerJoin(customers, eq(customers.id, invoices.customerId))
        .where(eq(invoices.id, invoiceId));
      if (!row) throw new ApiError(404, 'NOT_FOUND', `No invoice with id ${invoiceId}`);
      const files = await ensureInvoiceFiles(deps.db, row, row.language);
      if (!files)
        throw new ApiError(
          409,
          'NO_DOCUMENT',
          `Invoice ${row.number} was issued before invoices carried their document`,
        );
      return { number: row.number, ...files };
    };

    // The stored files, the very bytes every channel got: the PDF to read, the UBL for the customer's accounting.
    for (const [format, { contentType, disposition, extension }] of Object.entries(DOWNLOADS)) {
      app.get(
        `/v1/invoices/:id/${format}`,
        {
          schema: { tags: ['invoices'], params: idParams },
          config: { roles: ANY_ROLE },
        },
        async (request, reply) => {
          const files = await filesOf(request.params.id);
          return reply
            .type(contentType)
            .header('content-disposition', `${disposition}; filename="${files.number}.${extension}"`)
            .send(files[format as keyof typeof DOWNLOADS]);
        },
      );
    }

    /**
     * Delivers a document again after its delivery failed, typically once finance has corrected the customer's
     * invoicing details (PUT /v1/customers/:id/invoicing); on the customer's channel as it is now. Audited.
     */
    app.post(
      '/v1/invoices/:id/deliveries',
      {
        schema: {
          tags: ['invoices'],
          params: idParams,
          body: z.object({ reason: z.string().trim().min(1, 'a re-delivery needs a reason').max(1000) }),
        },
        config: { roles: ['finance'] },
      },
      async (request, reply) => {
        const [row] = await deps.db
          .select({
            id: invoices.id,
            number: invoices.number,
            document: invoices.document,
            channel: customers.invoiceChannel,
          })
          .from(invoices)
          .innerJoin(customers, eq(customers.id, invoices.customerId))
          .where(eq(invoices.id, request.params.id));
        if (!row) throw new ApiError(404, 'NOT_FOUND', `No invoice with id ${request.params.id}`);
        if (!row.document)
          throw new ApiError(
            409,
            'NO_DOCUMENT',
            `Invoice ${row.number} was issued before invoices carried their document`,
          );
        const current = (await invoiceDeliveryStatus(deps.db, row.id)).find((d) => d.channel === row.channel);
        if (current && current.status !== 'failed') {
          throw new ApiError(
            409,
            'NOT_FAILED',
            `${row.number} is ${current.status} on ${current.channel}; only a failed delivery is repeated`,
          );
        }
        // A run may still be winding down after the failure, or retrying it: this request replaces it. Its steps are
        // idempotent (the mail outbox, the access point's document id), so nothing goes out twice.
        await deps.temporal.workflow.start('documentDeliveryWorkflow', {
          workflowId: documentWorkflowId(row.id),
          taskQueue: deps.taskQueue,
          args: [{ invoiceId: row.id }] satisfies Parameters<typeof documentDeliveryWorkflow>,
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING,
        });
        await recordAudit(deps.db, {
          decisionKey: `redeliver:${randomUUID()}`,
          actor: principalOf(request).name,
          action: 'invoice.redeliver',
          entityType: 'invoice',
          entityId: row.id,
          reason: request.body.reason,
        });
        return reply.code(202).send({ id: row.id, channel: row.channel });
      },
    );
  };
