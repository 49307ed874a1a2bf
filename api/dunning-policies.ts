import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getDunningPolicy, listDunningPolicies, putDunningPolicy } from '../db/dunning-policies.js';
import { CUSTOMER_SEGMENTS, DUNNING_ANCHORS, DUNNING_CHANNELS, SEGMENT_DUNNING_POLICIES } from '../domain/dunning.js';
import { DUNNING_CHARGE_KINDS } from '../domain/dunning-charges.js';
import { LETTER_TEMPLATES } from '../domain/letters.js';
import { parseIsoDuration } from '../domain/durations.js';
import { principalOf } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { minorUnits } from './schemas.js';

// Dunning policies as data: per segment, or for one customer. A receivable is dunned by the policy in force when it
// was issued; changing a policy changes the invoices issued after.

const duration = z.string().refine(
  (d) => {
    try {
      return parseIsoDuration(d) > 0;
    } catch {
      return false;
    }
  },
  { message: 'must be a positive ISO 8601 duration of days, hours, minutes or seconds, e.g. P14D' },
);

const policyBody = z.object({
  appliesTo: z.union([
    z.object({ segment: z.enum(CUSTOMER_SEGMENTS, { message: `must be one of ${CUSTOMER_SEGMENTS.join(', ')}` }) }),
    z.object({ customerId: z.uuid('must be a UUID') }),
  ]),
  levels: z
    .array(
      z.object({
        level: z.number().int().min(1),
        name: z.string().trim().min(1).max(64),
        offset: duration,
        anchor: z.enum(DUNNING_ANCHORS).optional(),
        minimumOverdue: minorUnits.optional(),
        channel: z.enum(DUNNING_CHANNELS).optional(),
        charges: z.array(z.enum(DUNNING_CHARGE_KINDS)).max(DUNNING_CHARGE_KINDS.length).optional(),
        notice: duration.optional(),
        template: z.enum(LETTER_TEMPLATES).optional(),
      }),
    )
    .min(1)
    .max(12),
  reason: z.string().trim().min(1, 'a change needs a reason').max(1000),
});

const policyParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, dash and underscore'),
});

export const dunningPolicyRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.put(
      '/v1/dunning-policies/:id',
      { schema: { tags: ['collections'], params: policyParams, body: policyBody }, config: { roles: ['finance'] } },
      async (request, reply) => {
        const { policy, created } = await putDunningPolicy(
          deps.db,
          request.params.id,
          request.body,
          principalOf(request).name,
        );
        return reply.code(created ? 201 : 200).send(policy);
      },
    );

    /** The stored policies, and the built-in one each segment falls back to without a stored one. */
    app.get(
      '/v1/dunning-policies',
      { schema: { tags: ['collections'] }, config: { roles: ['finance'] } },
      async () => ({ policies: await listDunningPolicies(deps.db), builtIn: SEGMENT_DUNNING_POLICIES }),
    );

    app.get(
      '/v1/dunning-policies/:id',
      { schema: { tags: ['collections'], params: policyParams }, config: { roles: ['finance'] } },
      async (request) => {
        const policy = await getDunningPolicy(deps.db, request.params.id);
        if (!policy) throw new ApiError(404, 'NOT_FOUND', `No dunning policy ${request.params.id}`);
        return policy;
      },
    );
  };
