import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { orderActivity } from '../db/activity.js';
import { createOrder, getOrderView } from '../db/orders.js';
import { SHIPPING_POLICIES } from '../domain/fulfilment-plan.js';
import { INVOICING_POLICIES } from '../domain/invoicing-policy.js';
import { CREDIT_DECISIONS } from '../domain/order-status.js';
import { cancelOrder, decideCredit, retryOrder, startOrder } from '../temporal/starts.js';
import { orderWorkflowId } from '../temporal/workflow-ids.js';
import { ANY_ROLE, CREDIT_ROLES, principalOf } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { idParams, idempotencyHeader, sku } from './schemas.js';

/** A discount in basis points: 250 is 2.5 %, 10000 all of it. */
const discountBp = z
  .number()
  .int('must be a whole number of basis points')
  .min(0, 'must be at least 0')
  .max(10_000, 'must be at most 10000 (100 %)');

const newOrder = z.object({
  customerId: z.uuid('must be a UUID'),
  lines: z
    .array(
      z.object({
        sku,
        quantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000),
        discountBp: discountBp.optional(),
      }),
    )
    .min(1, 'an order needs at least one line')
    .max(500),
  externalRef: z.string().trim().min(1).max(100).optional(),
  shippingPolicy: z.enum(SHIPPING_POLICIES).optional(),
  discountBp: discountBp.optional(),
  invoicing: z.enum(INVOICING_POLICIES, { message: `must be one of ${INVOICING_POLICIES.join(', ')}` }).optional(),
});

const reasonBody = (message: string) => z.object({ reason: z.string().trim().min(1, message).max(1000) });

const creditDecision = z.object({
  decision: z.enum(CREDIT_DECISIONS),
  reason: z.string().trim().min(1, 'a decision needs a reason').max(1000),
});

export const orderRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const orderOr404 = async (id: string) => {
      const view = await getOrderView(db, id);
      if (!view) throw new ApiError(404, 'NOT_FOUND', `No order with id ${id}`);
      return view;
    };

    app.post(
      '/v1/orders',
      {
        schema: { tags: ['orders'], body: newOrder, headers: idempotencyHeader },
        config: { roles: ['integration'] },
      },
      async (request, reply) => {
        const { keyId } = principalOf(request);
        // Idempotency keys are scoped per API key: orders come from systems, not from a console session.
        if (!keyId) throw new ApiError(403, 'FORBIDDEN', 'Orders are placed with an API key');
        const { orderId, created } = await createOrder(db, {
          order: request.body,
          apiKeyId: keyId,
          idempotencyKey: request.headers['idempotency-key'],
          newId: randomUUID(),
          workflowIdFor: orderWorkflowId,
          defaultLegalEntity: deps.invoicing.defaultLegalEntity,
        });
        const { shippingPolicy, invoicing } = request.body;
        const workflowId = await startOrder(deps, {
          orderId,
          customerId: request.body.customerId,
          ...deps.orderPolicy,
          ...(shippingPolicy ? { shippingPolicy } : {}),
          ...(invoicing ? { invoicing } : {}),
        });
        const view = await getOrderView(db, orderId);
        return reply.code(created ? 201 : 200).send({ id: orderId, status: view!.status, workflowId });
      },
    );

    app.get(
      '/v1/orders/:id',
      {
        schema: { tags: ['orders'], params: idParams },
        config: { roles: ANY_ROLE },
      },
      async (request) => orderOr404(request.params.id),
    );

    /** What followed the order, newest first: invoices, payments, letters, calls, disputes, promises (db/activity.ts). */
    app.get(
      '/v1/orders/:id/activity',
      {
        schema: {
          tags: ['orders'],
          params: idParams,
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) }),
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const events = await orderActivity(deps.db, request.params.id, request.query.limit);
        if (!events) throw new ApiError(404, 'NOT_FOUND', `No order with id ${request.params.id}`);
        return { events };
      },
    );

    /** The workflow decides (on hold? still within the hard limit?) and answers with the exposure it approved on. */
    app.post(
      '/v1/orders/:id/credit-decision',
      {
        schema: { tags: ['orders', 'credit'], params: idParams, body: creditDecision },
        config: { roles: CREDIT_ROLES },
      },
      async (request) => {
        const view = await orderOr404(request.params.id);
        if (view.status !== 'credit_hold') {
          throw new ApiError(
            409,
            'NOT_ON_CREDIT_HOLD',
            `Order ${view.id} is not on credit hold (status: ${view.status})`,
          );
        }
        const result = await decideCredit(deps, view.id, { ...request.body, actor: principalOf(request).name });
        return { id: view.id, ...result };
      },
    );

    /** The workflow decides (dispatched? invoiced?) and answers once reservations and the shipment are undone. */
    app.post(
      '/v1/orders/:id/cancel',
      {
        schema: { tags: ['orders'], params: idParams, body: reasonBody('a cancellation needs a reason') },
        config: { roles: ['integration', 'finance'] },
      },
      async (request) => {
        const view = await orderOr404(request.params.id);
        const result = await cancelOrder(deps, view.id, {
          reason: request.body.reason,
          actor: principalOf(request).name,
        });
        return { id: view.id, status: result.status };
      },
    );

    /** An operator mended what the order (or one of its shipments or invoices) waited for: try the step again. */
    app.post(
      '/v1/orders/:id/retry',
      {
        schema: { tags: ['orders'], params: idParams, body: reasonBody('a retry needs a reason') },
        config: { roles: ['admin'] },
      },
      async (request) => {
        const view = await orderOr404(request.params.id);
        const result = await retryOrder(deps, view.id, {
          reason: request.body.reason,
          actor: principalOf(request).name,
        });
        return { id: view.id, status: result.status };
      },
    );
  };
