import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { orders, shipments } from '../db/schema.js';
import { stuckShipments } from '../db/shipments.js';
import { ANY_ROLE } from './auth.js';
import { shipmentEventSignal } from '../workflows/messages.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { idParams } from './schemas.js';

const shipmentEvent = z.object({
  eventId: z.string().trim().min(1).max(200),
  type: z.enum(['dispatched', 'delivered']),
  trackingNumber: z.string().trim().min(1).max(100).optional(),
});

/** The warehouse/carrier webhook. Events go to the order's workflow as a signal, which drops repeated event ids. */
export const shipmentRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  app.post('/v1/shipments/:id/events', {
    schema: { tags: ['shipments'], params: idParams, body: shipmentEvent },
    config: { roles: ['integration'] },
  }, async (request, reply) => {
    const [row] = await deps.db.select({ workflowId: orders.workflowId })
      .from(shipments).innerJoin(orders, eq(orders.id, shipments.orderId))
      .where(eq(shipments.id, request.params.id));
    if (!row) throw new ApiError(404, 'NOT_FOUND', `No shipment with id ${request.params.id}`);
    const { trackingNumber, ...event } = request.body;
    await deps.temporal.workflow.getHandle(row.workflowId).signal(shipmentEventSignal, {
      shipmentId: request.params.id, ...event, ...(trackingNumber ? { trackingNumber } : {}),
    });
    return reply.code(202).send({ accepted: true, eventId: event.eventId });
  });

  app.get('/v1/shipments/stuck', {
    schema: { tags: ['shipments'] },
    config: { roles: ANY_ROLE },
  }, async () => ({ shipments: await stuckShipments(deps.db) }));
};
