import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getCreditAccount, listCreditHolds, updateCreditAccount } from '../db/credit-control.js';
import { RISK_CLASSES } from '../domain/credit-control.js';
import { isoDate } from '../domain/payment-terms.js';
import { CREDIT_ROLES, principalOf } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { idParams, isoDateString, minorUnits } from './schemas.js';

const creditChange = z.object({
  creditLimit: minorUnits,
  /** A class set by hand holds against the daily review; `scored` gives the class back to the review. */
  riskClass: z.enum([...RISK_CLASSES, 'scored']),
  /** Until when a hand-set class holds (inclusive); absent: until finance sets `scored`. */
  riskClassUntil: isoDateString.optional(),
  blocked: z.boolean(),
  reason: z.string().trim().min(1, 'a credit change needs a reason').max(1000),
});

/** Credit control: a customer's credit account and the queue of held orders. Finance only. */
export const creditRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const accountOr404 = async (customerId: string) => {
      const account = await getCreditAccount(deps.db, customerId, isoDate(Date.now()));
      if (!account) throw new ApiError(404, 'NOT_FOUND', `No customer with id ${customerId}`);
      return account;
    };

    app.get(
      '/v1/customers/:id/credit',
      {
        schema: { tags: ['credit'], params: idParams },
        config: { roles: CREDIT_ROLES },
      },
      async (request) => accountOr404(request.params.id),
    );

    app.put(
      '/v1/customers/:id/credit',
      {
        schema: { tags: ['credit'], params: idParams, body: creditChange },
        config: { roles: CREDIT_ROLES },
      },
      async (request) => {
        const { reason, ...change } = request.body;
        const updated = await updateCreditAccount(deps.db, {
          customerId: request.params.id,
          change,
          reason,
          actor: principalOf(request).name,
          decisionKey: `credit-account:${randomUUID()}`,
        });
        if (!updated) throw new ApiError(404, 'NOT_FOUND', `No customer with id ${request.params.id}`);
        return accountOr404(request.params.id);
      },
    );

    app.get(
      '/v1/credit/holds',
      {
        schema: {
          tags: ['credit'],
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        },
        config: { roles: CREDIT_ROLES },
      },
      async (request) => ({ holds: await listCreditHolds(deps.db, request.query.limit) }),
    );
  };
