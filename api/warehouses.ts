import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createWarehouse, listWarehouses } from '../db/products.js';
import { ANY_ROLE } from './auth.js';
import type { ApiDeps } from './deps.js';

const newWarehouse = z.object({
  code: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes only'),
  name: z.string().trim().min(1).max(200),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as NL'),
});

export const warehouseRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/warehouses',
      {
        schema: { tags: ['warehouses'], body: newWarehouse },
        config: { roles: ['integration'] },
      },
      async (request, reply) => reply.code(201).send(await createWarehouse(deps.db, request.body)),
    );

    app.get(
      '/v1/warehouses',
      {
        schema: { tags: ['warehouses'] },
        config: { roles: ANY_ROLE },
      },
      async () => ({ warehouses: await listWarehouses(deps.db) }),
    );
  };
