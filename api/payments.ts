import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { tellPaymentRecorded } from '../temporal/starts.js';
import { invoiceBalance } from '../db/invoices.js';
import { recordPayment } from '../db/payments.js';
import type { ApiDeps } from './deps.js';
import { currency, positiveMinorUnits } from './schemas.js';

export const PAYMENT_METHODS = ['card', 'sepa_credit_transfer', 'sepa_direct_debit', 'ach', 'wire', 'cheque'] as const;

const newPayment = z.object({
  invoiceNumber: z.string().trim().min(1).max(64),
  amount: positiveMinorUnits,
  currency,
  method: z.enum(PAYMENT_METHODS),
  externalId: z.string().trim().min(1).max(200),
});

/** Payments reported by the payment provider or bank integration. Idempotent by externalId. */
export const paymentRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/payments',
      {
        schema: { tags: ['payments'], body: newPayment },
        config: { roles: ['integration'] },
      },
      async (request, reply) => {
        const recorded = await recordPayment(deps.db, request.body);
        // Signalled on every request, so a retry after a lost signal still wakes the invoice workflow. An invoice
        // already settled and closed is not told: the cash stays unapplied.
        await tellPaymentRecorded(deps, recorded.invoiceWorkflowId, recorded.paymentId);
        return reply.code(recorded.duplicate ? 200 : 201).send({
          id: recorded.paymentId,
          invoiceNumber: request.body.invoiceNumber,
          applied: recorded.applied,
          unapplied: recorded.unapplied,
          invoiceBalance: await invoiceBalance(deps.db, recorded.invoiceId),
          currency: request.body.currency,
        });
      },
    );
  };
