import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { signIn, signOut } from '../db/users.js';
import { ANY_ROLE, principalOf, SESSION_COOKIE } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';

const SESSION_COOKIE_OPTIONS = { httpOnly: true, sameSite: 'strict', secure: true, path: '/' } as const;

/** Signing in and out of the console: a session cookie for the browser, its CSRF token for the page. */
export const sessionRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/session',
      {
        schema: {
          tags: ['session'],
          body: z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) }),
        },
        config: { public: true },
      },
      async (request, reply) => {
        const result = await signIn(deps.db, request.body.email, request.body.password);
        if (!result.ok && result.reason === 'locked') {
          reply.header('retry-after', String(result.retryAfterSeconds));
          throw new ApiError(429, 'ACCOUNT_LOCKED', 'Too many failed sign-ins; try again later');
        }
        if (!result.ok) throw new ApiError(401, 'SIGN_IN_FAILED', 'Wrong e-mail address or password');
        return reply
          .setCookie(SESSION_COOKIE, result.token, SESSION_COOKIE_OPTIONS)
          .send({ user: result.user, csrfToken: result.csrfToken });
      },
    );

    app.get('/v1/session', { schema: { tags: ['session'] }, config: { roles: ANY_ROLE } }, async (request) => {
      const { csrfToken } = request;
      return { principal: principalOf(request), ...(csrfToken ? { csrfToken } : {}) };
    });

    app.delete(
      '/v1/session',
      { schema: { tags: ['session'] }, config: { roles: ANY_ROLE } },
      async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await signOut(deps.db, token);
        return reply.clearCookie(SESSION_COOKIE, SESSION_COOKIE_OPTIONS).code(204).send();
      },
    );
  };
