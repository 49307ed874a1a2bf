import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordAudit } from '../db/audit.js';
import { documentWithParties, ensureInvoiceFiles, invoiceDeliveryStatus } from '../db/invoice-documents.js';
import { redeliverDocument } from '../temporal/starts.js';
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
    const documentOr404 = async (invoiceId: string) => {
      const row = await documentWithParties(deps.db, invoiceId);
      if (!row) throw new ApiError(404, 'NOT_FOUND', `No invoice with id ${invoiceId}`);
      if (!row.invoice.document) {
        throw new ApiError(
          409,
          'NO_DOCUMENT',
          `Invoice ${row.invoice.number} was issued before invoices carried their document`,
        );
      }
      return row;
    };
    const filesOf = async (invoiceId: string) => {
      const { invoice, customer } = await documentOr404(invoiceId);
      return { number: invoice.number, ...(await ensureInvoiceFiles(deps.db, invoice, customer.language))! };
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
          const content = files[format as keyof typeof DOWNLOADS];
          if (!content) {
            throw new ApiError(
              409,
              'NO_UBL',
              `${files.number} has no UBL: its customer has no electronic address, so it gets the PDF alone`,
            );
          }
          return reply
            .type(contentType)
            .header('content-disposition', `${disposition}; filename="${files.number}.${extension}"`)
            .send(content);
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
        const { invoice, customer } = await documentOr404(request.params.id);
        const row = { id: invoice.id, number: invoice.number, channel: customer.invoiceChannel };
        const current = (await invoiceDeliveryStatus(deps.db, row.id)).find((d) => d.channel === row.channel);
        if (current && current.status !== 'failed') {
          throw new ApiError(
            409,
            'NOT_FAILED',
            `${row.number} is ${current.status} on ${current.channel}; only a failed delivery is repeated`,
          );
        }
        await redeliverDocument(deps, row.id);
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
