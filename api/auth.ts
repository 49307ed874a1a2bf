import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, ROLES, type Principal, type Role } from '../db/api-keys.js';
import type { Db } from '../db/client.js';
import { csrfMatches, sessionOf } from '../db/users.js';
import { ApiError } from './errors.js';

/** The console's session cookie (HttpOnly, SameSite=Strict, Secure; see api/session.ts). */
export const SESSION_COOKIE = 'o2c_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on the route (admin always is). Omit on public routes. */
    roles?: readonly Role[];
    public?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** The CSRF token of the console session the request came with (none with an API key). */
    csrfToken?: string;
  }
  interface FastifyInstance {
    /** Every route with who may call it, as registered (a test proves each role outside a list gets 403). */
    routeAccess: RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  roles?: readonly Role[];
  public?: boolean;
}

/**
 * Every route that is not explicitly public needs a principal: a Bearer API key (systems), or a console session
 * cookie (people), whose state-changing requests must carry the session's CSRF token in X-CSRF-Token. The
 * route's config names the roles allowed.
 */
export function registerAuth(app: FastifyInstance, db: Db): void {
  const routeAccess: RouteAccess[] = [];
  app.decorate('routeAccess', routeAccess);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const { roles, public: open } = route.config ?? {};
      routeAccess.push({ method, url: route.url, ...(roles ? { roles } : {}), ...(open ? { public: true } : {}) });
    }
  });
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public || request.url.startsWith('/docs')) return;
    const { principal, csrfToken } = await principalFrom(db, request);
    const roles = config.roles;
    if (principal.role !== 'admin' && (!roles || !roles.includes(principal.role))) {
      throw new ApiError(
        403,
        'FORBIDDEN',
        `Role ${principal.role} may not ${request.method} ${request.routeOptions.url ?? request.url}`,
      );
    }
    request.principal = principal;
    if (csrfToken) request.csrfToken = csrfToken;
  });
}

async function principalFrom(db: Db, request: FastifyRequest): Promise<{ principal: Principal; csrfToken?: string }> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const key = header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const principal = key ? await authenticate(db, key) : undefined;
    if (!principal) throw new ApiError(401, 'UNAUTHENTICATED', 'Unknown or revoked API key');
    return { principal };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) {
    throw new ApiError(401, 'UNAUTHENTICATED', 'Send an API key as Authorization: Bearer <key>, or sign in');
  }
  const session = await sessionOf(db, token);
  if (!session) throw new ApiError(401, 'UNAUTHENTICATED', 'The session has ended; sign in again');
  const sent = request.headers['x-csrf-token'];
  if (
    !SAFE_METHODS.has(request.method) &&
    !csrfMatches(typeof sent === 'string' ? sent : undefined, session.csrfToken)
  ) {
    throw new ApiError(403, 'CSRF_TOKEN_INVALID', "Send the session's CSRF token as X-CSRF-Token", 'x-csrf-token');
  }
  return session;
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route is not authenticated');
  return request.principal;
}

export const ANY_ROLE: readonly Role[] = ROLES;
/** Credit holds, decisions and credit accounts. */
export const CREDIT_ROLES: readonly Role[] = ['finance', 'credit_controller'];
/** The worklist, calls, promises and disputes. */
export const COLLECTION_ROLES: readonly Role[] = ['finance', 'collector'];
