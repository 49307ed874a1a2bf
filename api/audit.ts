import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { searchAudit } from '../db/audit.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { isoDateString } from './schemas.js';

const auditQuery = z.object({
  subject: z.string().min(1).max(200).optional(),
  actor: z.string().min(1).max(320).optional(),
  from: isoDateString.optional(),
  to: isoDateString.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.coerce.number().int().min(0).optional(),
});

/** The audit log for auditors (admin only): every human decision and sign-in, who, when and why. */
export const auditRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/audit',
      { schema: { tags: ['audit'], querystring: auditQuery }, config: { roles: ['admin'] } },
      async (request) => {
        const q = request.query;
        if (q.from && q.to && q.to < q.from)
          throw new ApiError(400, 'VALIDATION_FAILED', 'to: must not be before from', 'to');
        return searchAudit(deps.db, q);
      },
    );
  };
