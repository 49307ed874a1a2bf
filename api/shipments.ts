import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { signalIfOpen } from './signal.js';
import { eq } from 'drizzle-orm';
import { orders, shipments } from '../db/schema.js';
import { stuckShipments } from '../db/shipments.js';
import { SHIPMENT_EVENT_TYPES } from '../domain/shipment-status.js';
import { ANY_ROLE } from './auth.js';
import { shipmentEventSignal } from '../workflows/messages.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { idParams } from './schemas.js';

const shipmentEvent = z.object({
  eventId: z.string().trim().min(1).max(200),
  type: z.enum(SHIPMENT_EVENT_TYPES),
  trackingNumber: z.string().trim().min(1).max(100).optional(),
});

/**
 * The warehouse/carrier webhook. Each event goes to the shipment's workflow as a signal, which drops repeated
 * event ids and never moves a shipment back; shipments of older orders are followed by the order's workflow.
 */
export const shipmentRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/shipments/:id/events',
      {
        schema: { tags: ['shipments'], params: idParams, body: shipmentEvent },
        config: { roles: ['integration'] },
      },
      async (request, reply) => {
        const [row] = await deps.db
          .select({ status: shipments.status, workflowId: shipments.workflowId, orderWorkflowId: orders.workflowId })
          .from(shipments)
          .innerJoin(orders, eq(orders.id, shipments.orderId))
          .where(eq(shipments.id, request.params.id));
        if (!row) throw new ApiError(404, 'NOT_FOUND', `No shipment with id ${request.params.id}`);
        if (row.status === 'cancelled') {
          throw new ApiError(
            409,
            'SHIPMENT_CANCELLED',
            `Shipment ${request.params.id} was withdrawn; it must not be picked or dispatched`,
          );
        }
        const { trackingNumber, ...event } = request.body;
        // A delivered shipment's workflow has closed: a redelivered or late report has nothing left to change.
        await signalIfOpen(deps.temporal, row.workflowId ?? row.orderWorkflowId, shipmentEventSignal, {
          shipmentId: request.params.id,
          ...event,
          ...(trackingNumber ? { trackingNumber } : {}),
        });
        return reply.code(202).send({ accepted: true, eventId: event.eventId });
      },
    );

    app.get(
      '/v1/shipments/stuck',
      {
        schema: { tags: ['shipments'] },
        config: { roles: ANY_ROLE },
      },
      async () => ({ shipments: await stuckShipments(deps.db) }),
    );
  };
