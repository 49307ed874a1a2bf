import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getInvoiceLines, invoiceViews } from '../db/invoices.js';
import { ANY_ROLE } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { idParams } from './schemas.js';

export const invoiceRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  app.get('/v1/invoices/:id', {
    schema: { tags: ['invoices'], params: idParams },
    config: { roles: ANY_ROLE },
  }, async (request) => {
    const [invoice] = await invoiceViews(deps.db, { invoiceId: request.params.id });
    if (!invoice) throw new ApiError(404, 'NOT_FOUND', `No invoice with id ${request.params.id}`);
    const lines = await getInvoiceLines(deps.db, invoice.id);
    return { ...invoice, lines: lines.map(({ invoiceId: _, ...line }) => line) };
  });
};
