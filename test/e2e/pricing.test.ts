import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { requestHash } from '../../db/orders.js';
import { ensureWarehouse } from '../../db/products.js';
import { idempotencyKeys, orders } from '../../db/schema.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
const tag = randomUUID().slice(0, 8);
const listId = `acme-${tag}`;
const bolts = `BOLT-${tag}`; // list price 1250, breaks from 1, 10 and 100
const nuts = `NUT-${tag}`; // list price 500, not on the price list
const kroner = `KR-${tag}`; // priced in NOK

beforeAll(async () => {
  stack = await startStack();
  await ensureWarehouse(stack.db, { code: 'main', name: 'Main warehouse', country: 'NL' });
  for (const [sku, unitPrice, currency] of [
    [bolts, 1250, 'EUR'],
    [nuts, 500, 'EUR'],
    [kroner, 9900, 'NOK'],
  ] as const) {
    const res = await stack.http('POST', '/v1/products', {
      key: stack.keys.integration,
      body: { sku, name: `Product ${sku}`, unitPrice, currency, stock: [{ warehouse: 'main', quantity: 10_000 }] },
    });
    if (res.status !== 201) throw new Error(`product: ${JSON.stringify(res.body)}`);
  }
});
afterAll(async () => {
  await stack?.close();
});

const acme = () => ({
  name: 'ACME contract 2026',
  currency: 'EUR',
  prices: [
    { sku: bolts, minQuantity: 100, unitPrice: 800 },
    { sku: bolts, minQuantity: 1, unitPrice: 1200 },
    { sku: bolts, minQuantity: 10, unitPrice: 1000 },
  ],
});

const putList = (id: string, body: unknown, key = stack.keys.finance) =>
  stack.http('PUT', `/v1/price-lists/${id}`, { key, body });

async function customer(priceListId?: string, currency = 'EUR') {
  const res = await stack.http('POST', '/v1/customers', {
    key: stack.keys.finance,
    body: {
      name: 'ACME Fasteners B.V.',
      country: 'NL',
      currency,
      email: `ap-${randomUUID().slice(0, 8)}@acme.example`,
      language: 'en',
      creditLimit: 10_000_000,
      paymentTermsDays: 30,
      ...(priceListId ? { priceListId } : {}),
      vatId: 'NL987654321B01',
      address: { street: 'Industrieweg 4', city: 'Eindhoven', postalCode: '5651 GH' },
    },
  });
  if (res.status !== 201) throw new Error(`customer: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

const postOrder = (body: unknown, idempotencyKey: string = randomUUID()) =>
  stack.http('POST', '/v1/orders', {
    key: stack.keys.integration,
    body,
    headers: { 'idempotency-key': idempotencyKey },
  });

async function placedOrder(body: unknown) {
  const res = await postOrder(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (await stack.http('GET', `/v1/orders/${res.body.id}`)).body;
}

const counts = async () => [
  (await stack.db.select({ n: count() }).from(orders))[0]!.n,
  (await stack.db.select({ n: count() }).from(idempotencyKeys))[0]!.n,
];

describe('price lists', () => {
  it('PUT creates a price list (201), a repeat replaces it with the same content (200), GET reads it back sorted', async () => {
    const created = await putList(listId, acme());
    expect(created.status).toBe(201);
    const expected = {
      id: listId,
      name: 'ACME contract 2026',
      currency: 'EUR',
      prices: [
        { sku: bolts, minQuantity: 1, unitPrice: 1200 },
        { sku: bolts, minQuantity: 10, unitPrice: 1000 },
        { sku: bolts, minQuantity: 100, unitPrice: 800 },
      ],
    };
    expect(created.body).toEqual(expected);
    expect(await putList(listId, acme())).toEqual({ status: 200, body: expected });
    expect(await stack.http('GET', `/v1/price-lists/${listId}`, { key: stack.keys.integration })).toEqual({
      status: 200,
      body: expected,
    });
  });

  it('PUT replaces the whole list: prices left out are gone', async () => {
    const id = `short-${tag}`;
    await putList(id, acme());
    const replaced = await putList(id, {
      name: 'Shorter',
      currency: 'EUR',
      prices: [{ sku: nuts, minQuantity: 5, unitPrice: 450 }],
    });
    expect(replaced).toEqual({
      status: 200,
      body: { id, name: 'Shorter', currency: 'EUR', prices: [{ sku: nuts, minQuantity: 5, unitPrice: 450 }] },
    });
  });

  it('GET of an unknown list is 404', async () => {
    const res = await stack.http('GET', '/v1/price-lists/no-such-list');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it.each([
    ['id with a space', 'bad%20id', acme, 'id'],
    ['id with a symbol', 'bad!id', acme, 'id'],
    ['name missing', 'x1', () => ({ ...acme(), name: undefined }), 'name'],
    ['currency unknown', 'x1', () => ({ ...acme(), currency: 'XYZ' }), 'currency'],
    ['prices missing', 'x1', () => ({ name: 'X', currency: 'EUR' }), 'prices'],
    [
      'minQuantity zero',
      'x1',
      () => ({ ...acme(), prices: [{ sku: bolts, minQuantity: 0, unitPrice: 1 }] }),
      'prices.0.minQuantity',
    ],
    [
      'minQuantity fractional',
      'x1',
      () => ({ ...acme(), prices: [{ sku: bolts, minQuantity: 1.5, unitPrice: 1 }] }),
      'prices.0.minQuantity',
    ],
    [
      'unitPrice negative',
      'x1',
      () => ({ ...acme(), prices: [{ sku: bolts, minQuantity: 1, unitPrice: -1 }] }),
      'prices.0.unitPrice',
    ],
    [
      'unitPrice fractional',
      'x1',
      () => ({ ...acme(), prices: [{ sku: bolts, minQuantity: 1, unitPrice: 9.99 }] }),
      'prices.0.unitPrice',
    ],
    [
      'sku with spaces',
      'x1',
      () => ({ ...acme(), prices: [{ sku: 'A B', minQuantity: 1, unitPrice: 1 }] }),
      'prices.0.sku',
    ],
  ] as const)('PUT with %s -> 400 naming the field', async (_name, id, body, field) => {
    const res = await putList(id, body());
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect(res.body.error.message).toContain(field);
  });

  it.each([
    [
      'a repeated (sku, minQuantity)',
      () => ({ ...acme(), prices: [...acme().prices, { sku: bolts, minQuantity: 10, unitPrice: 1 }] }),
      'DUPLICATE_PRICE',
      'prices',
    ],
    [
      'an unknown SKU',
      () => ({ ...acme(), prices: [acme().prices[0], { sku: 'NO-SUCH-SKU', minQuantity: 1, unitPrice: 1 }] }),
      'UNKNOWN_SKU',
      'prices.1.sku',
    ],
    [
      'a SKU priced in another currency',
      () => ({ ...acme(), prices: [{ sku: kroner, minQuantity: 1, unitPrice: 9000 }] }),
      'CURRENCY_MISMATCH',
      'prices.0.sku',
    ],
  ] as const)('PUT with %s -> 422 naming the field, the stored list unchanged', async (_name, body, code, field) => {
    const res = await putList(listId, body());
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code, field });
    expect((await stack.http('GET', `/v1/price-lists/${listId}`)).body.prices).toHaveLength(3);
  });

  it('only finance (and admin) may PUT; any role may GET; no key is 401', async () => {
    const forbidden = await putList(listId, acme(), stack.keys.integration);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    expect((await putList(listId, acme(), stack.keys.admin)).status).toBe(200);
    expect((await stack.http('GET', `/v1/price-lists/${listId}`, { key: stack.keys.finance })).status).toBe(200);
    expect((await stack.http('GET', `/v1/price-lists/${listId}`, { key: null })).status).toBe(401);
  });
});

describe('orders priced from the customer price list', () => {
  it('charges the highest break the quantity reaches, else the list price', async () => {
    await putList(listId, acme());
    const customerId = await customer(listId);
    const order = await placedOrder({
      customerId,
      lines: [
        { sku: bolts, quantity: 9 },
        { sku: bolts, quantity: 10 },
        { sku: bolts, quantity: 250 },
        { sku: nuts, quantity: 3 },
      ],
    });
    expect(order.lines).toEqual([
      { lineNo: 1, sku: bolts, quantity: 9, unitPrice: 1200, discountBp: 0, lineTotal: 10_800 },
      { lineNo: 2, sku: bolts, quantity: 10, unitPrice: 1000, discountBp: 0, lineTotal: 10_000 },
      { lineNo: 3, sku: bolts, quantity: 250, unitPrice: 800, discountBp: 0, lineTotal: 200_000 },
      { lineNo: 4, sku: nuts, quantity: 3, unitPrice: 500, discountBp: 0, lineTotal: 1_500 },
    ]);
    expect(order).toMatchObject({ discountBp: 0, total: 222_300, currency: 'EUR', invoicing: 'on_shipment' });
  });

  it('a customer without a price list pays list prices', async () => {
    const order = await placedOrder({ customerId: await customer(), lines: [{ sku: bolts, quantity: 250 }] });
    expect(order.lines[0]).toMatchObject({ unitPrice: 1250, lineTotal: 312_500 });
    expect(order.total).toBe(312_500);
  });

  it('takes line discounts off each line and the order discount once off their sum, each rounded half away from zero', async () => {
    const customerId = await customer(listId);
    const order = await placedOrder({
      customerId,
      lines: [
        { sku: bolts, quantity: 100, discountBp: 1250 },
        { sku: nuts, quantity: 3, discountBp: 333 },
      ],
      discountBp: 200,
      invoicing: 'on_order',
    });
    expect(order.lines).toEqual([
      // 100 x 800 = 80000, 12.5 % = 10000
      { lineNo: 1, sku: bolts, quantity: 100, unitPrice: 800, discountBp: 1250, lineTotal: 70_000 },
      // 3 x 500 = 1500, 3.33 % = 49.95 -> 50
      { lineNo: 2, sku: nuts, quantity: 3, unitPrice: 500, discountBp: 333, lineTotal: 1_450 },
    ]);
    // 71450 - 2 % (1429) = 70021
    expect(order).toMatchObject({ discountBp: 200, total: 70_021, invoicing: 'on_order' });
  });

  it('uses the price list as it is when the order arrives', async () => {
    const id = `changing-${tag}`;
    await putList(id, { name: 'Changing', currency: 'EUR', prices: [{ sku: nuts, minQuantity: 1, unitPrice: 400 }] });
    const customerId = await customer(id);
    expect((await placedOrder({ customerId, lines: [{ sku: nuts, quantity: 2 }] })).total).toBe(800);
    await putList(id, { name: 'Changing', currency: 'EUR', prices: [{ sku: nuts, minQuantity: 1, unitPrice: 450 }] });
    expect((await placedOrder({ customerId, lines: [{ sku: nuts, quantity: 2 }] })).total).toBe(900);
  });

  it('refuses a price list in another currency than the customer: at creation, and when the list changed since', async () => {
    const id = `nok-${tag}`;
    expect(
      (
        await putList(id, {
          name: 'Norway',
          currency: 'NOK',
          prices: [{ sku: kroner, minQuantity: 1, unitPrice: 9000 }],
        })
      ).status,
    ).toBe(201);
    await expect(customer(id, 'EUR')).rejects.toThrow(/CURRENCY_MISMATCH.*priceListId/);

    const changing = `euro-then-kroner-${tag}`;
    expect((await putList(changing, { name: 'Euro first', currency: 'EUR', prices: [] })).status).toBe(201);
    const customerId = await customer(changing, 'EUR');
    expect(
      (
        await putList(changing, {
          name: 'Now in kroner',
          currency: 'NOK',
          prices: [{ sku: kroner, minQuantity: 1, unitPrice: 9000 }],
        })
      ).status,
    ).toBe(200);
    const before = await counts();
    const res = await postOrder({ customerId, lines: [{ sku: nuts, quantity: 1 }] });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'CURRENCY_MISMATCH', field: 'customerId' });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['order discountBp above 100 %', { discountBp: 10_001 }, 'discountBp'],
    ['order discountBp negative', { discountBp: -1 }, 'discountBp'],
    ['line discountBp fractional', { lines: [{ sku: 'X', quantity: 1, discountBp: 2.5 }] }, 'lines.0.discountBp'],
    ['line discountBp a string', { lines: [{ sku: 'X', quantity: 1, discountBp: '100' }] }, 'lines.0.discountBp'],
    ['invoicing unknown', { invoicing: 'monthly' }, 'invoicing'],
  ] as const)('POST /v1/orders with %s -> 400 naming the field', async (_name, patch, field) => {
    const res = await postOrder({ customerId: randomUUID(), lines: [{ sku: nuts, quantity: 1 }], ...patch });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect(res.body.error.message).toContain(field);
  });

  it('refuses an order too large to price in minor units with 422 naming the line, writing nothing', async () => {
    const sku = `HUGE-${tag}`;
    await stack.http('POST', '/v1/products', {
      key: stack.keys.integration,
      body: { sku, name: 'Gold bar', unitPrice: 5e15, currency: 'EUR' },
    });
    const before = await counts();
    const res = await postOrder({ customerId: await customer(), lines: [{ sku, quantity: 2 }] });
    expect(res).toMatchObject({
      status: 422,
      body: { error: { code: 'AMOUNT_OUT_OF_RANGE', field: 'lines.0.lineTotal' } },
    });
    expect(await counts()).toEqual(before);
  });

  it('counts discounts and invoicing in the Idempotency-Key check', async () => {
    const customerId = await customer(listId);
    const body = { customerId, lines: [{ sku: bolts, quantity: 10, discountBp: 500 }], discountBp: 100 };
    const key = randomUUID();
    const first = await postOrder(body, key);
    expect(first.status).toBe(201);
    expect(await postOrder(body, key)).toMatchObject({ status: 200, body: { id: first.body.id } });
    for (const other of [
      { ...body, discountBp: 200 },
      { ...body, lines: [{ sku: bolts, quantity: 10, discountBp: 600 }] },
      { ...body, invoicing: 'on_order' },
    ]) {
      const reused = await postOrder(other, key);
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
  });

  it('hashes a request without the new fields (or with their defaults) as before they existed', () => {
    const order = { customerId: randomUUID(), lines: [{ sku: bolts, quantity: 2 }], externalRef: 'PO-1' };
    const before = createHash('sha256')
      .update(JSON.stringify({ c: order.customerId, l: [[bolts, 2]], r: 'PO-1', s: 'ship_partial' }))
      .digest('hex');
    expect(requestHash(order)).toBe(before);
    expect(
      requestHash({
        ...order,
        lines: [{ sku: bolts, quantity: 2, discountBp: 0 }],
        discountBp: 0,
        invoicing: 'on_shipment',
      }),
    ).toBe(before);
  });
});
