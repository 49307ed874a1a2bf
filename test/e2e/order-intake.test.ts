import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { ensureWarehouse } from '../../db/products.js';
import { idempotencyKeys, orders } from '../../db/schema.js';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let customerId: string;
let sku: string;
beforeAll(async () => {
  stack = await startStack();
  ({ customerId, sku } = await customerWithProduct(stack));
});
afterAll(async () => {
  await stack?.close();
});

const postOrder = (body: unknown, options: { key?: string | null; idempotencyKey?: string | null } = {}) =>
  stack.http('POST', '/v1/orders', {
    key: options.key === undefined ? stack.keys.integration : options.key,
    body,
    headers: options.idempotencyKey === null ? {} : { 'idempotency-key': options.idempotencyKey ?? randomUUID() },
  });

const workflowsOf = async (customer: string) => {
  let n = 0;
  for await (const _ of stack.client.workflow.list({
    query: `CustomerId = "${customer}" AND WorkflowType = "orderWorkflow"`,
  }))
    n++;
  return n;
};
const orderCount = async () => (await stack.db.select({ n: count() }).from(orders))[0]!.n;
const keyCount = async () => (await stack.db.select({ n: count() }).from(idempotencyKeys))[0]!.n;

describe('POST /v1/orders idempotency', () => {
  it('turns 10 concurrent requests with one Idempotency-Key into one order and one workflow', async () => {
    const { customerId: fresh, sku: freshSku } = await customerWithProduct(stack);
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => postOrder(orderBody(fresh, freshSku, 2), { idempotencyKey: key })),
    );

    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect((await stack.db.select({ n: count() }).from(orders).where(eq(orders.customerId, fresh)))[0]!.n).toBe(1);
    await eventually(
      () => workflowsOf(fresh),
      (n) => n >= 1,
    );
    await new Promise((r) => setTimeout(r, 1000)); // visibility is eventually consistent: give a second order time to show
    expect(await workflowsOf(fresh)).toBe(1);
  });

  it('refuses the same key with a different body with 409 and writes nothing', async () => {
    const key = randomUUID();
    expect((await postOrder(orderBody(customerId, sku, 1), { idempotencyKey: key })).status).toBe(201);
    const before = await orderCount();
    const reused = await postOrder(orderBody(customerId, sku, 2), { idempotencyKey: key });
    expect(reused.status).toBe(409);
    expect(reused.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    expect(await orderCount()).toBe(before);
  });
});

describe('POST /v1/orders bad input', () => {
  const invalid: [string, () => unknown, string][] = [
    ['customerId not a UUID', () => ({ customerId: 'cust-1', lines: [{ sku, quantity: 1 }] }), 'customerId'],
    ['customerId missing', () => ({ lines: [{ sku, quantity: 1 }] }), 'customerId'],
    ['lines empty', () => ({ customerId, lines: [] }), 'lines'],
    ['lines missing', () => ({ customerId }), 'lines'],
    ['quantity zero', () => ({ customerId, lines: [{ sku, quantity: 0 }] }), 'lines.0.quantity'],
    ['quantity negative', () => ({ customerId, lines: [{ sku, quantity: -3 }] }), 'lines.0.quantity'],
    ['quantity fractional', () => ({ customerId, lines: [{ sku, quantity: 1.5 }] }), 'lines.0.quantity'],
    ['quantity a string', () => ({ customerId, lines: [{ sku, quantity: '2' }] }), 'lines.0.quantity'],
    ['sku empty', () => ({ customerId, lines: [{ sku: '', quantity: 1 }] }), 'lines.0.sku'],
    ['sku with spaces', () => ({ customerId, lines: [{ sku: 'A B', quantity: 1 }] }), 'lines.0.sku'],
    [
      'second line broken',
      () => ({
        customerId,
        lines: [
          { sku, quantity: 1 },
          { sku, quantity: 0 },
        ],
      }),
      'lines.1.quantity',
    ],
    [
      'externalRef too long',
      () => ({ customerId, lines: [{ sku, quantity: 1 }], externalRef: 'x'.repeat(101) }),
      'externalRef',
    ],
  ];

  it.each(invalid)('%s -> 400 naming the field, nothing written', async (_name, body, field) => {
    const [orders0, keys0] = [await orderCount(), await keyCount()];
    const res = await postOrder(body());
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect(res.body.error.message).toContain(field);
    expect([await orderCount(), await keyCount()]).toEqual([orders0, keys0]);
  });

  it('answers 422 for an order no invoice can be made for (goods and services across the EU border), starting nothing', async () => {
    await ensureWarehouse(stack.db, { code: 'main', name: 'Main warehouse', country: 'NL' });
    const customer = await stack.http('POST', '/v1/customers', {
      key: stack.keys.finance,
      body: {
        name: 'Nordlys Kafé AS',
        country: 'NO',
        currency: 'EUR',
        email: 'post@nordlys.example',
        language: 'nb',
        creditLimit: 1_000_000,
        paymentTermsDays: 30,
        vatId: 'NO923609016MVA',
        address: { street: 'Bryggen 2', city: 'Bergen', postalCode: '5003' },
      },
    });
    const goods = `SKU-${randomUUID().slice(0, 8)}`;
    const service = `SKU-${randomUUID().slice(0, 8)}`;
    for (const [sku, supply] of [
      [goods, 'goods'],
      [service, 'services'],
    ] as const) {
      await stack.http('POST', '/v1/products', {
        key: stack.keys.integration,
        body: {
          sku,
          name: `Test ${supply}`,
          unitPrice: 1_000,
          currency: 'EUR',
          supply,
          stock: [{ warehouse: 'main', quantity: 5 }],
        },
      });
    }
    const key = randomUUID();
    const res = await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': key },
      body: {
        customerId: customer.body.id,
        lines: [
          { sku: goods, quantity: 1 },
          { sku: service, quantity: 1 },
        ],
      },
    });
    expect(res).toMatchObject({ status: 422, body: { error: { code: 'NOT_INVOICEABLE', field: 'lines' } } });
    expect(res.body.error.message).toMatch(/outside the scope of VAT/);
    expect(await stack.db.select().from(orders).where(eq(orders.customerId, customer.body.id))).toEqual([]);
  });

  it('requires the Idempotency-Key header', async () => {
    const res = await postOrder(orderBody(customerId, sku), { idempotencyKey: null });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'idempotency-key' });
  });

  it('answers 422 for an unknown customer and for an unknown SKU, writing nothing and starting no workflow', async () => {
    const unknownCustomer = randomUUID();
    const [orders0, keys0] = [await orderCount(), await keyCount()];
    const noCustomer = await postOrder(orderBody(unknownCustomer, sku));
    expect(noCustomer.status).toBe(422);
    expect(noCustomer.body.error).toMatchObject({ code: 'UNKNOWN_CUSTOMER', field: 'customerId' });

    const { customerId: fresh } = await customerWithProduct(stack);
    const noSku = await postOrder({
      customerId: fresh,
      lines: [
        { sku, quantity: 1 },
        { sku: 'NO-SUCH-SKU', quantity: 1 },
      ],
    });
    expect(noSku.status).toBe(422);
    expect(noSku.body.error).toMatchObject({ code: 'UNKNOWN_SKU', field: 'lines.1.sku' });

    expect([await orderCount(), await keyCount()]).toEqual([orders0, keys0]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await workflowsOf(unknownCustomer)).toBe(0);
    expect(await workflowsOf(fresh)).toBe(0);
  });

  it('answers 401 without a key or with an unknown one, and 403 for a role that may not order', async () => {
    const [orders0] = [await orderCount()];
    const noKey = await postOrder(orderBody(customerId, sku), { key: null });
    expect(noKey.status).toBe(401);
    expect(noKey.body.error.code).toBe('UNAUTHENTICATED');
    expect((await postOrder(orderBody(customerId, sku), { key: 'o2c_not-a-real-key' })).status).toBe(401);
    const finance = await postOrder(orderBody(customerId, sku), { key: stack.keys.finance });
    expect(finance.status).toBe(403);
    expect(finance.body.error.code).toBe('FORBIDDEN');
    expect(await orderCount()).toBe(orders0);
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await fetch(`${stack.apiUrl}/v1/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.keys.integration}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: '{"customerId":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_REQUEST');
  });
});

describe('other endpoints reject bad input', () => {
  it.each([
    [
      '/v1/customers',
      'finance',
      {
        name: 'X',
        country: 'Netherlands',
        currency: 'EUR',
        email: 'a@b.example',
        language: 'nl',
        creditLimit: 0,
        paymentTermsDays: 30,
      },
      'country',
    ],
    [
      '/v1/customers',
      'finance',
      {
        name: 'X',
        country: 'NL',
        currency: 'XXX',
        email: 'a@b.example',
        language: 'nl',
        creditLimit: 0,
        paymentTermsDays: 30,
      },
      'currency',
    ],
    [
      '/v1/customers',
      'finance',
      {
        name: 'X',
        country: 'NL',
        currency: 'EUR',
        email: 'not-an-email',
        language: 'nl',
        creditLimit: 0,
        paymentTermsDays: 30,
      },
      'email',
    ],
    [
      '/v1/customers',
      'finance',
      {
        name: 'X',
        country: 'NL',
        currency: 'EUR',
        email: 'a@b.example',
        language: 'nl',
        creditLimit: 10.5,
        paymentTermsDays: 30,
      },
      'creditLimit',
    ],
    ['/v1/products', 'integration', { sku: 'P-1', name: 'X', unitPrice: -1, currency: 'EUR', stock: [] }, 'unitPrice'],
    [
      '/v1/products',
      'integration',
      { sku: 'P-1', name: 'X', unitPrice: 100, currency: 'EUR', stock: [{ warehouse: 'main', quantity: -1 }] },
      'stock.0.quantity',
    ],
    [
      '/v1/payments',
      'integration',
      { invoiceNumber: 'INV-1', amount: 0, currency: 'EUR', method: 'card', externalId: 'x' },
      'amount',
    ],
    [
      '/v1/payments',
      'integration',
      { invoiceNumber: 'INV-1', amount: 100, currency: 'EUR', method: 'bitcoin', externalId: 'x' },
      'method',
    ],
  ] as const)('POST %s by %s -> 400 naming the field', async (path, role, body, field) => {
    const res = await stack.http('POST', path, { key: stack.keys[role], body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
  });

  it('keeps a payment for an unknown invoice as an exception (money received is never refused) and answers 404 for events of an unknown shipment', async () => {
    const payment = await stack.http('POST', '/v1/payments', {
      key: stack.keys.integration,
      body: {
        invoiceNumber: 'INV-1999-999999',
        amount: 100,
        currency: 'EUR',
        method: 'card',
        externalId: randomUUID(),
      },
    });
    expect(payment).toMatchObject({ status: 201, body: { matchStatus: 'exception', applied: 0, unapplied: 100 } });
    const event = await stack.http('POST', `/v1/shipments/${randomUUID()}/events`, {
      key: stack.keys.integration,
      body: { eventId: 'e1', type: 'dispatched' },
    });
    expect(event.status).toBe(404);
  });

  it('creates and lists warehouses, refusing a duplicate code and a bad country', async () => {
    const code = `wh-${randomUUID().slice(0, 8)}`;
    const created = await stack.http('POST', '/v1/warehouses', {
      key: stack.keys.integration,
      body: { code, name: 'Oslo DC', country: 'NO' },
    });
    expect(created).toEqual({ status: 201, body: { code, name: 'Oslo DC', country: 'NO' } });
    expect(
      (
        await stack.http('POST', '/v1/warehouses', {
          key: stack.keys.integration,
          body: { code, name: 'Again', country: 'NO' },
        })
      ).body.error,
    ).toMatchObject({ code: 'WAREHOUSE_EXISTS', field: 'code' });
    expect(
      (
        await stack.http('POST', '/v1/warehouses', {
          key: stack.keys.integration,
          body: { code: 'x1', name: 'X', country: 'Norway' },
        })
      ).body.error,
    ).toMatchObject({ code: 'VALIDATION_FAILED', field: 'country' });
    const list = await stack.http('GET', '/v1/warehouses', { key: stack.keys.finance });
    expect(list.body.warehouses).toEqual(
      expect.arrayContaining([{ code, name: 'Oslo DC', country: 'NO' }, expect.objectContaining({ code: 'main' })]),
    );
  });

  it('lets only finance and admin create customers, and keeps /health public', async () => {
    const res = await stack.http('POST', '/v1/customers', {
      key: stack.keys.integration,
      body: {
        name: 'X',
        country: 'NL',
        currency: 'EUR',
        email: 'a@b.example',
        language: 'nl',
        creditLimit: 0,
        paymentTermsDays: 30,
      },
    });
    expect(res.status).toBe(403);
    const health = await stack.http('GET', '/health', { key: null });
    expect(health).toEqual({ status: 200, body: { status: 'ok', checks: { postgres: 'ok', temporal: 'ok' } } });
    const docs = await stack.http('GET', '/docs/json', { key: null });
    expect(docs.status).toBe(200);
    expect(docs.body.openapi).toBe('3.1.0');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/v1/orders', '/v1/payments', '/v1/orders/{id}/credit-decision']),
    );
  });
});
