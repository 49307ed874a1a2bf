import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { tellStockReserved } from '../temporal/starts.js';
import { receiveStock } from '../db/stock-receipts.js';
import type { ApiDeps } from './deps.js';
import { sku } from './schemas.js';

const stockReceipt = z.object({
  receiptId: z.string().trim().min(1).max(200),
  warehouse: z.string().trim().min(1).max(32),
  lines: z
    .array(z.object({ sku, quantity: z.number().int().min(1, 'must be at least 1').max(1_000_000_000) }))
    .min(1)
    .max(500),
});

/** Goods received (from the warehouse or purchasing). Backordered orders get them first, oldest first. */
export const stockRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/stock/receipts',
      {
        schema: { tags: ['stock'], body: stockReceipt },
        config: { roles: ['integration'] },
      },
      async (request, reply) => {
        const result = await receiveStock(deps.db, request.body);
        for (const order of result.filled) await tellStockReserved(deps, order.workflowId, request.body.receiptId);
        return reply.code(result.duplicate ? 200 : 201).send({
          receiptId: request.body.receiptId,
          duplicate: result.duplicate,
          filledOrders: result.filled.map((f) => f.orderId),
        });
      },
    );
  };
