import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditLog } from '../../db/schema.js';
import { createUser, SIGN_IN_LIMIT, type UserRole } from '../../db/users.js';
import { customerWithProduct } from '../support/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

// People sign in to the console with a password: a session cookie (HttpOnly, SameSite=Strict, Secure), a CSRF
// token for every state-changing request, a lock after repeated failures, roles as the API's, decisions audited
// under the person's name. Driven over HTTP as a browser would, cookies by hand.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const PASSWORD = 'correct horse battery staple';

async function user(role: UserRole) {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.nl`;
  await createUser(stack.db, { email: email.toUpperCase(), name: `A ${role}`, role, password: PASSWORD });
  return email;
}

async function request(
  method: string,
  path: string,
  opts: { cookie?: string; csrf?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...(opts.csrf ? { 'x-csrf-token': opts.csrf } : {}),
      ...opts.headers,
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function signedIn(email: string, password = PASSWORD) {
  const res = await request('POST', '/v1/session', { body: { email, password } });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { ...res, setCookie, cookie: setCookie.split(';')[0]!, csrf: res.body?.csrfToken as string };
}

describe('console sign-in', () => {
  it('signs in with a session cookie, refuses a state change without the CSRF token, audits under the name', async () => {
    const email = await user('finance');
    expect(await request('POST', '/v1/session', { body: { email, password: 'wrong password!' } })).toMatchObject({
      status: 401,
      body: { error: { code: 'SIGN_IN_FAILED' } },
    });
    expect(
      (await request('POST', '/v1/session', { body: { email: 'nobody@example.nl', password: PASSWORD } })).body,
    ).toMatchObject({ error: { code: 'SIGN_IN_FAILED' } });

    const session = await signedIn(email);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ email, role: 'finance' });
    expect(session.setCookie).toMatch(/^o2c_session=[\w-]{40,};/);
    expect(session.setCookie).toMatch(/HttpOnly/);
    expect(session.setCookie).toMatch(/SameSite=Strict/);
    expect(session.setCookie).toMatch(/Secure/);
    expect(session.body.csrfToken).toMatch(/^[\w-]{40,}$/);

    const me = await request('GET', '/v1/session', { cookie: session.cookie });
    expect(me.body).toMatchObject({ principal: { name: email, role: 'finance' }, csrfToken: session.csrf });
    expect((await request('GET', '/v1/disputes', { cookie: session.cookie })).status).toBe(200);

    const { customerId } = await customerWithProduct(stack);
    const policy = `console-${randomUUID().slice(0, 8)}`;
    const body = {
      appliesTo: { customerId },
      levels: [{ level: 1, name: 'reminder', offset: 'P10D' }],
      reason: 'console',
    };
    const forged = await request('PUT', `/v1/dunning-policies/${policy}`, { cookie: session.cookie, body });
    expect([forged.status, forged.body.error.code]).toEqual([403, 'CSRF_TOKEN_INVALID']);
    const wrongToken = await request('PUT', `/v1/dunning-policies/${policy}`, {
      cookie: session.cookie,
      csrf: 'x'.repeat(43),
      body,
    });
    expect(wrongToken.status).toBe(403);
    expect((await request('GET', `/v1/dunning-policies/${policy}`, { cookie: session.cookie })).status).toBe(404);
    const put = await request('PUT', `/v1/dunning-policies/${policy}`, {
      cookie: session.cookie,
      csrf: session.csrf,
      body,
    });
    expect(put.status).toBe(201);
    const audited = await stack.db
      .select({ actor: auditLog.actor })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'dunning_policy'), eq(auditLog.entityId, policy)));
    expect(audited).toEqual([{ actor: email }]);

    // What an auditor reads (admin only): by actor, by subject, a page at a time.
    const today = new Date().toISOString().slice(0, 10);
    const byActor = await stack.http('GET', `/v1/audit?actor=${encodeURIComponent(email)}&from=${today}&to=${today}`);
    expect(byActor.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'user.sign_in_failed',
      'user.sign_in',
      'dunning_policy.create',
    ]);
    const bySubject = await stack.http('GET', `/v1/audit?subject=dunning_policy:${policy}`);
    expect(bySubject.body.entries).toEqual([expect.objectContaining({ actor: email, entityId: policy })]);
    const first = await stack.http('GET', `/v1/audit?actor=${encodeURIComponent(email)}&limit=2`);
    expect(first.body.entries).toHaveLength(2);
    const rest = await stack.http(
      'GET',
      `/v1/audit?actor=${encodeURIComponent(email)}&limit=2&after=${first.body.next}`,
    );
    expect(rest.body.entries.map((e: { action: string }) => e.action)).toEqual(['dunning_policy.create']);
    expect(rest.body.next).toBeUndefined();
    expect((await stack.http('GET', '/v1/audit', { key: stack.keys.finance })).status).toBe(403);

    // A session places no orders: those come from systems, with an API key scoping their idempotency keys.
    const admin = await signedIn(await user('admin'));
    const order = await request('POST', '/v1/orders', {
      cookie: admin.cookie,
      csrf: admin.csrf,
      headers: { 'idempotency-key': randomUUID() },
      body: { customerId: randomUUID(), lines: [{ sku: 'BASKET-25', quantity: 1 }] },
    });
    expect([order.status, order.body.error.message]).toEqual([403, 'Orders are placed with an API key']);

    const out = await request('DELETE', '/v1/session', { cookie: session.cookie, csrf: session.csrf });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/o2c_session=;/);
    expect((await request('GET', '/v1/disputes', { cookie: session.cookie })).body.error.code).toBe('UNAUTHENTICATED');
  });

  it('gives each role what its work needs and refuses the rest', async () => {
    const collector = await signedIn(await user('collector'));
    const credit = await signedIn(await user('credit_controller'));
    expect((await request('GET', '/v1/collections/worklist', { cookie: collector.cookie })).status).toBe(200);
    expect((await request('GET', '/v1/disputes', { cookie: collector.cookie })).status).toBe(200);
    expect((await request('GET', '/v1/credit/holds', { cookie: collector.cookie })).status).toBe(403);
    expect((await request('GET', '/v1/reports/kpis', { cookie: collector.cookie })).status).toBe(403);
    const writeOff = await request('POST', `/v1/invoices/${randomUUID()}/write-off`, {
      cookie: collector.cookie,
      csrf: collector.csrf,
      body: { reason: 'not mine to decide' },
    });
    expect(writeOff.status).toBe(403);
    expect((await request('GET', '/v1/credit/holds', { cookie: credit.cookie })).status).toBe(200);
    expect((await request('GET', '/v1/disputes', { cookie: credit.cookie })).status).toBe(403);
  });

  it(`locks an account after ${SIGN_IN_LIMIT} failed sign-ins in a row, even to the right password`, async () => {
    const email = await user('finance');
    for (let i = 1; i < SIGN_IN_LIMIT; i++) expect((await signedIn(email, `wrong-${i}-password`)).status).toBe(401);
    const locking = await signedIn(email, 'wrong-last-password');
    expect([locking.status, locking.body.error.code]).toEqual([429, 'ACCOUNT_LOCKED']);
    const locked = await signedIn(email);
    expect([locked.status, locked.body.error.code]).toEqual([429, 'ACCOUNT_LOCKED']);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    const trail = await stack.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.actor, email));
    expect(trail.map((t) => t.action).sort()).toEqual(
      [...Array(SIGN_IN_LIMIT - 1).fill('user.sign_in_failed'), 'user.locked'].sort(),
    );
  });

  it('creates a user from the command line with a generated password, stored only as an argon2id hash', async () => {
    const email = `cli-${randomUUID().slice(0, 8)}@example.nl`;
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'scripts/users.ts', 'create', '--email', email, '--role', 'collector', '--name', 'Kim'],
      { env: { ...process.env, DATABASE_URL: inject('databaseUrl') } },
    );
    const password = stdout.trim();
    expect(password).toMatch(/^[\w-]{24}$/);
    const session = await signedIn(email, password);
    expect(session.body.user).toMatchObject({ email, name: 'Kim', role: 'collector' });
    const [stored] = await stack.db.execute<{ password_hash: string }>(
      `select password_hash from users where email = '${email}'`,
    );
    expect(stored!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});
