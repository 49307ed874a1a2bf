import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createCustomer, getCustomer } from '../db/customers.js';
import { LETTER_LANGUAGES } from '../domain/letters.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { ANY_ROLE } from './auth.js';
import { currency, idParams, minorUnits } from './schemas.js';

const newCustomer = z.object({
  name: z.string().trim().min(1).max(200),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as NL'),
  currency,
  email: z.email(),
  language: z.enum(LETTER_LANGUAGES, { message: `must be one of ${LETTER_LANGUAGES.join(', ')}` }),
  creditLimit: minorUnits,
  paymentTermsDays: z.number().int().min(0).max(365),
});

export const customerRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  app.post('/v1/customers', {
    schema: { tags: ['customers'], body: newCustomer },
    config: { roles: ['finance'] },
  }, async (request, reply) => reply.code(201).send(await createCustomer(deps.db, request.body)));

  app.get('/v1/customers/:id', {
    schema: { tags: ['customers'], params: idParams },
    config: { roles: ANY_ROLE },
  }, async (request) => {
    const customer = await getCustomer(deps.db, request.params.id);
    if (!customer) throw new ApiError(404, 'NOT_FOUND', `No customer with id ${request.params.id}`);
    return customer;
  });
};
