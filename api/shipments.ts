import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getShipment, stuckShipments } from '../db/shipments.js';
import { SHIPMENT_EVENT_TYPES } from '../domain/shipment-status.js';
import { tellShipmentEvent } from '../temporal/starts.js';
import { shipmentWorkflowId } from '../temporal/workflow-ids.js';
import { ANY_ROLE } from './auth.js';
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
 * event ids and never moves a shipment back.
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
        const row = await getShipment(deps.db, request.params.id);
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
        await tellShipmentEvent(deps, shipmentWorkflowId(row.id), {
          shipmentId: row.id,
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
