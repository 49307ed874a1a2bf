import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pingDatabase } from '../db/client.js';
import type { ApiDeps } from './deps.js';

/** 'ok' or a description of the failure. */
const probe = async (fn: () => Promise<unknown>): Promise<string> => {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    return `failing: ${(err as Error).message}`;
  }
};

/** Liveness and dependencies, without auth, for load balancers and orchestrators. */
export const healthRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/health', { schema: { tags: ['health'] }, config: { public: true } }, async (_request, reply) => {
      const [postgres, temporal] = await Promise.all([
        probe(() => pingDatabase(deps.db)),
        probe(() => deps.temporal.workflowService.getSystemInfo({})),
      ]);
      const healthy = postgres === 'ok' && temporal === 'ok';
      return reply
        .code(healthy ? 200 : 503)
        .send({ status: healthy ? 'ok' : 'degraded', checks: { postgres, temporal } });
    });
  };
