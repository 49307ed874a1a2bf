import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { invoiceViews, type InvoiceView } from '../db/invoices.js';
import { issueCreditNote, reviseInvoice } from '../temporal/starts.js';
import { principalOf } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { stableId } from './idempotency.js';
import { creditedLines, idParams, idempotencyHeader, positiveMinorUnits, revisedLines } from './schemas.js';

// Corrections of issued invoices: never an edit, always a credit note (and, for a revision, a new invoice). The
// invoice's own workflow issues them (an Update), so the receivable, the documents' delivery and the order follow
// even if this process dies after asking.

const creditNote = z
  .object({
    reason: z.string().trim().min(1, 'a credit note needs a reason').max(1000),
    lines: creditedLines.optional(),
    /** Including VAT; for invoices with a single VAT rate. */
    amount: positiveMinorUnits.optional(),
  })
  .refine((c) => (c.lines === undefined) !== (c.amount === undefined), {
    message: 'give either lines or amount',
    path: ['lines'],
  });

const revision = z.object({
  reason: z.string().trim().min(1, 'a revision needs a reason').max(1000),
  lines: revisedLines,
});

export const invoiceCorrectionRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    /**
     * A correction asked before (same Idempotency-Key) is answered as it was; otherwise the invoice must be open,
     * for its workflow to take the correction.
     */
    const prepare = async (invoiceId: string, creditNoteId: string) => {
      const [invoice] = await invoiceViews(deps.db, { invoiceId });
      if (!invoice) throw new ApiError(404, 'NOT_FOUND', `No invoice with id ${invoiceId}`);
      const [issued] = await invoiceViews(deps.db, { invoiceId: creditNoteId });
      if (issued) {
        if (issued.correctsInvoiceId !== invoiceId) {
          throw new ApiError(
            409,
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was already used for another invoice',
            'Idempotency-Key',
          );
        }
        return { invoice, issued };
      }
      if (invoice.type !== 'invoice') {
        throw new ApiError(
          422,
          'NOT_AN_INVOICE',
          `${invoice.number} is a credit note; correct the invoice it corrects`,
        );
      }
      if (invoice.status !== 'open') {
        throw new ApiError(
          409,
          'INVOICE_CLOSED',
          `Invoice ${invoice.number} is ${invoice.status}: nothing is open to correct`,
        );
      }
      return { invoice, issued: undefined };
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
        const creditNoteId = stableId('credit-note', request.params.id, request.headers['idempotency-key']);
        const { invoice, issued } = await prepare(request.params.id, creditNoteId);
        if (issued) return reply.code(200).send({ creditNote: issued, invoice });
        const result = await issueCreditNote(deps, invoice.id, {
          creditNoteId,
          selection: lines ? { lines } : { amount: amount! },
          reason,
          actor: principalOf(request).name,
        });
        return reply.code(result.created ? 201 : 200).send({ creditNote: result.creditNote, invoice: result.invoice });
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
        const creditNoteId = stableId('credit-note', request.params.id, key);
        const revisedInvoiceId = stableId('revision', request.params.id, key);
        const { invoice, issued } = await prepare(request.params.id, creditNoteId);
        if (issued) {
          const [revised] = await invoiceViews(deps.db, { invoiceId: revisedInvoiceId });
          return reply.code(200).send({ creditNote: issued, invoice, revised: revised as InvoiceView });
        }
        const result = await reviseInvoice(deps, invoice.id, {
          creditNoteId,
          revisedInvoiceId,
          changes: request.body.lines,
          reason: request.body.reason,
          actor: principalOf(request).name,
        });
        return reply.code(result.created ? 201 : 200).send(result);
      },
    );
  };
