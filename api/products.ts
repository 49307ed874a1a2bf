import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createProduct, getProduct } from '../db/products.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { ANY_ROLE } from './auth.js';
import { currency, minorUnits, sku } from './schemas.js';
import { PRODUCT_VAT_RATES, SUPPLY_KINDS } from '../domain/vat-determination.js';

const newProduct = z.object({
  sku,
  name: z.string().trim().min(1).max(200),
  unitPrice: minorUnits,
  currency,
  /** Which of the seller country's VAT rates applies; `exempt` for exempt supplies. */
  vatRate: z.enum(PRODUCT_VAT_RATES).default('standard'),
  /** Goods cross EU borders as intra-community supplies, services as reverse charge. */
  supply: z.enum(SUPPLY_KINDS).default('goods'),
  stock: z
    .array(
      z.object({
        warehouse: z.string().trim().min(1).max(32),
        quantity: z.number().int().min(0).max(1_000_000_000),
      }),
    )
    .max(100)
    .refine((s) => new Set(s.map((x) => x.warehouse)).size === s.length, 'each warehouse at most once')
    .default([]),
});

export const productRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/products',
      {
        schema: { tags: ['products'], body: newProduct },
        config: { roles: ['integration'] },
      },
      async (request, reply) => reply.code(201).send(await createProduct(deps.db, request.body)),
    );

    app.get(
      '/v1/products/:sku',
      {
        schema: { tags: ['products'], params: z.object({ sku }) },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const product = await getProduct(deps.db, request.params.sku);
        if (!product) throw new ApiError(404, 'NOT_FOUND', `No product with SKU ${request.params.sku}`);
        return product;
      },
    );
  };
