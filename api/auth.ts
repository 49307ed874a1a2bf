import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, type Principal, type Role } from '../db/api-keys.js';
import type { Db } from '../db/client.js';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on the route (admin always is). Omit on public routes. */
    roles?: readonly Role[];
    public?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Bearer API keys on every route that is not explicitly public; the route's config names the roles allowed. */
export function registerAuth(app: FastifyInstance, db: Db): void {
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public || request.url.startsWith('/docs')) return;
    const header = request.headers.authorization;
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!key) throw new ApiError(401, 'UNAUTHENTICATED', 'Send an API key as Authorization: Bearer <key>');
    const principal = await authenticate(db, key);
    if (!principal) throw new ApiError(401, 'UNAUTHENTICATED', 'Unknown or revoked API key');
    const roles = config.roles;
    if (principal.role !== 'admin' && (!roles || !roles.includes(principal.role))) {
      throw new ApiError(
        403,
        'FORBIDDEN',
        `Role ${principal.role} may not ${request.method} ${request.routeOptions.url ?? request.url}`,
      );
    }
    request.principal = principal;
  });
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route is not authenticated');
  return request.principal;
}

export const ANY_ROLE: readonly Role[] = ['integration', 'finance', 'admin'];
