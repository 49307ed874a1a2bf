import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getPriceList, putPriceList } from '../db/price-lists.js';
import { ANY_ROLE } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { currency, minorUnits, sku } from './schemas.js';

const priceListParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
});

const priceList = z.object({
  name: z.string().trim().min(1).max(200),
  currency,
  prices: z
    .array(
      z.object({
        sku,
        minQuantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000),
        unitPrice: minorUnits,
      }),
    )
    .max(10_000),
});

export const priceListRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    // PUT replaces the whole list, so repeating a request changes nothing; 201 when it created the list.
    app.put(
      '/v1/price-lists/:id',
      {
        schema: { tags: ['price lists'], params: priceListParams, body: priceList },
        config: { roles: ['finance'] },
      },
      async (request, reply) => {
        const { priceList: view, created } = await putPriceList(deps.db, { id: request.params.id, ...request.body });
        return reply.code(created ? 201 : 200).send(view);
      },
    );

    app.get(
      '/v1/price-lists/:id',
      {
        schema: { tags: ['price lists'], params: priceListParams },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const view = await getPriceList(deps.db, request.params.id);
        if (!view) throw new ApiError(404, 'NOT_FOUND', `No price list with id ${request.params.id}`);
        return view;
      },
    );
  };
