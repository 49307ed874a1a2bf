import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../db/api-keys.js';
import { startStack, type Stack } from '../support/stack.js';

// Generated from the routes as the app registered them, so a new route cannot be left out: every role outside a
// route's list (admin may do everything) is refused with 403 before the route does anything.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** A path with its parameters filled in (a UUID where one is expected: refused before it is looked up). */
const concrete = (url: string) => url.replace(/:id\b/g, randomUUID()).replace(/:[a-zA-Z]+/g, 'x');

describe('roles on every route', () => {
  it('refuses every role outside each route’s list with 403', async () => {
    const routes = stack.app.routeAccess.filter((r) => !r.public);
    expect(routes.length).toBeGreaterThan(60);
    const allowedSomewhere = new Set<string>();
    const failures: string[] = [];
    for (const route of routes) {
      for (const role of ROLES) {
        if (role === 'admin' || route.roles?.includes(role)) {
          allowedSomewhere.add(role);
          continue;
        }
        const res = await stack.http(route.method, concrete(route.url), {
          key: stack.keys[role],
          ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { body: {} } : {}),
        });
        if (res.status !== 403 || res.body?.error?.code !== 'FORBIDDEN') {
          failures.push(`${role} ${route.method} ${route.url}: ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Each role may do something: a role no route lists would be a typo in a list.
    expect([...allowedSomewhere].sort()).toEqual([...ROLES].sort());
  });

  it('lists the public routes: health, signing in and the console page and assets, nothing else', () => {
    expect(stack.app.routeAccess.filter((r) => r.public).map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /health',
      'POST /v1/session',
      'GET /console',
      'GET /console/assets/:version/:name',
      'GET /console/*',
    ]);
  });
});
