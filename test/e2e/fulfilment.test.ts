import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerWithProduct } from '../support/fixtures.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const getOrder = async (id: string) => (await stack.http('GET', `/v1/orders/${id}`)).body;

async function productInTwoWarehouses(stock: [number, number]) {
  const tag = randomUUID().slice(0, 6);
  const codes = [`a-${tag}`, `b-${tag}`];
  for (const code of codes)
    await stack.http('POST', '/v1/warehouses', {
      key: stack.keys.integration,
      body: { code, name: `DC ${code}`, country: 'NL' },
    });
  const sku = `SPLIT-${tag}`;
  await stack.http('POST', '/v1/products', {
    key: stack.keys.integration,
    body: {
      sku,
      name: 'Bannetons, set of 6',
      unitPrice: 1_000,
      currency: 'EUR',
      stock: [
        { warehouse: codes[0], quantity: stock[0] },
        { warehouse: codes[1], quantity: stock[1] },
      ],
    },
  });
  return { sku, codes: codes as [string, string] };
}

describe('fulfilment across warehouses', () => {
  it('splits an order no single warehouse can serve, ships from both and invoices each shipment as it leaves', async () => {
    const { customerId } = await customerWithProduct(stack);
    const {
      sku,
      codes: [a, b],
    } = await productInTwoWarehouses([3, 5]);
    const created = await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': randomUUID() },
      body: { customerId, lines: [{ sku, quantity: 6 }] },
    });

    const invoiced = await eventually(
      () => getOrder(created.body.id),
      (o) => o.status === 'awaiting_payment',
    );
    // The warehouse covering most goes first: 5 from b, the last 1 from a.
    expect(
      invoiced.shipments.map((s: any) => [s.warehouse, s.status === 'dispatched' || s.status === 'delivered']),
    ).toEqual([
      [b, true],
      [a, true],
    ]);
    expect(invoiced.invoices.map((i: any) => i.netTotal).sort()).toEqual([1_000, 5_000]);
    expect((await stack.http('GET', `/v1/products/${sku}`)).body.stock).toEqual([
      { warehouse: a, onHand: 2, reserved: 0, available: 2 },
      { warehouse: b, onHand: 0, reserved: 0, available: 0 },
    ]);

    for (const invoice of invoiced.invoices) {
      await stack.http('POST', '/v1/payments', {
        key: stack.keys.integration,
        body: {
          invoiceNumber: invoice.number,
          amount: invoice.total,
          currency: 'EUR',
          method: 'sepa_credit_transfer',
          externalId: randomUUID(),
        },
      });
    }
    expect(await stack.client.workflow.getHandle(`order:${created.body.id}`).result()).toBe('completed');
    const dispatchMails = stack.smtp.messages.filter(
      (m) => m.raw.includes(created.body.id) && m.raw.includes('verzonden'),
    );
    expect(dispatchMails).toHaveLength(2);
  });

  it('ship_partial: ships what is there, backorders the rest, and ships it when a stock receipt arrives', async () => {
    const { customerId } = await customerWithProduct(stack);
    const {
      sku,
      codes: [a, b],
    } = await productInTwoWarehouses([1, 2]);
    const created = await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': randomUUID() },
      body: { customerId, lines: [{ sku, quantity: 4 }] },
    });
    const orderId = created.body.id as string;

    const partial = await eventually(
      () => getOrder(orderId),
      (o) => o.invoices.length === 2,
    );
    expect(partial).toMatchObject({
      status: 'fulfilling',
      shippingPolicy: 'ship_partial',
      backorder: [{ sku, quantity: 1 }],
    });
    const notice = stack.smtp.messages.find((m) => m.raw.includes(orderId) && m.raw.includes('nalevering'));
    expect(notice?.raw).toContain(`1 x Bannetons, set of 6 (${sku})`);

    const receipt = await stack.http('POST', '/v1/stock/receipts', {
      key: stack.keys.integration,
      body: { receiptId: `r-${orderId}`, warehouse: a, lines: [{ sku, quantity: 5 }] },
    });
    expect(receipt.body).toEqual({ receiptId: `r-${orderId}`, duplicate: false, filledOrders: [orderId] });
    const all = await eventually(
      () => getOrder(orderId),
      (o) => o.status === 'awaiting_payment',
    );
    expect(all.backorder).toEqual([]);
    expect(all.shipments.map((s: any) => s.warehouse)).toEqual([b, a, a]);
    expect(all.invoices.map((i: any) => i.netTotal).sort()).toEqual([1_000, 1_000, 2_000]);
    expect((await stack.http('GET', `/v1/products/${sku}`)).body.stock).toEqual([
      { warehouse: a, onHand: 4, reserved: 0, available: 4 },
      { warehouse: b, onHand: 0, reserved: 0, available: 0 },
    ]);
    for (const invoice of all.invoices) {
      await stack.http('POST', '/v1/payments', {
        key: stack.keys.integration,
        body: {
          invoiceNumber: invoice.number,
          amount: invoice.total,
          currency: 'EUR',
          method: 'card',
          externalId: randomUUID(),
        },
      });
    }
    expect(await stack.client.workflow.getHandle(`order:${orderId}`).result()).toBe('completed');

    const again = await stack.http('POST', '/v1/stock/receipts', {
      key: stack.keys.integration,
      body: { receiptId: `r-${orderId}`, warehouse: a, lines: [{ sku, quantity: 5 }] },
    });
    expect(again).toEqual({ status: 200, body: { receiptId: `r-${orderId}`, duplicate: true, filledOrders: [] } });
    expect((await stack.http('GET', `/v1/products/${sku}`)).body.stock[0].onHand).toBe(4);
  });

  it('ship_complete: ships nothing until everything is there, then all of it from the warehouse holding it', async () => {
    const { customerId } = await customerWithProduct(stack);
    const {
      sku,
      codes: [a],
    } = await productInTwoWarehouses([2, 0]);
    const created = await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': randomUUID() },
      body: { customerId, lines: [{ sku, quantity: 3 }], shippingPolicy: 'ship_complete' },
    });
    const orderId = created.body.id as string;
    const waiting = await eventually(
      () => getOrder(orderId),
      (o) => o.backorder.length === 1 && stack.smtp.messages.some((m) => m.raw.includes(orderId)),
    );
    expect(waiting).toMatchObject({ status: 'fulfilling', shipments: [], backorder: [{ sku, quantity: 1 }] });

    await stack.http('POST', '/v1/stock/receipts', {
      key: stack.keys.integration,
      body: { receiptId: randomUUID(), warehouse: a, lines: [{ sku, quantity: 1 }] },
    });
    const shipped = await eventually(
      () => getOrder(orderId),
      (o) => o.status === 'awaiting_payment',
    );
    expect(shipped.shipments).toEqual([expect.objectContaining({ warehouse: a })]);
    expect(shipped.invoices).toEqual([expect.objectContaining({ netTotal: 3_000 })]);
  });

  it('gives received stock to backordered orders in the order they arrived', async () => {
    const { customerId } = await customerWithProduct(stack);
    const {
      sku,
      codes: [a],
    } = await productInTwoWarehouses([0, 0]);
    const place = async () =>
      (
        await stack.http('POST', '/v1/orders', {
          key: stack.keys.integration,
          headers: { 'idempotency-key': randomUUID() },
          body: { customerId, lines: [{ sku, quantity: 2 }] },
        })
      ).body.id as string;
    const first = await place();
    await eventually(
      () => getOrder(first),
      (o) => o.backorder.length === 1,
    );
    const second = await place();
    await eventually(
      () => getOrder(second),
      (o) => o.backorder.length === 1,
    );

    const receipt = await stack.http('POST', '/v1/stock/receipts', {
      key: stack.keys.integration,
      body: { receiptId: randomUUID(), warehouse: a, lines: [{ sku, quantity: 3 }] },
    });
    expect(receipt.body.filledOrders).toEqual([first, second]);
    expect(
      await eventually(
        () => getOrder(first),
        (o) => o.status === 'awaiting_payment',
      ),
    ).toMatchObject({ backorder: [], invoices: [{ netTotal: 2_000 }] });
    expect(
      await eventually(
        () => getOrder(second),
        (o) => o.invoices.length === 1,
      ),
    ).toMatchObject({ status: 'fulfilling', backorder: [{ sku, quantity: 1 }], invoices: [{ netTotal: 1_000 }] });
  });

  it('refuses a receipt for an unknown SKU or warehouse, booking nothing', async () => {
    const {
      sku,
      codes: [a],
    } = await productInTwoWarehouses([0, 0]);
    const noSku = await stack.http('POST', '/v1/stock/receipts', {
      key: stack.keys.integration,
      body: {
        receiptId: randomUUID(),
        warehouse: a,
        lines: [
          { sku, quantity: 1 },
          { sku: 'NOPE', quantity: 1 },
        ],
      },
    });
    expect(noSku.body.error).toMatchObject({ code: 'UNKNOWN_SKU', field: 'lines.1.sku' });
    const noWarehouse = await stack.http('POST', '/v1/stock/receipts', {
      key: stack.keys.integration,
      body: { receiptId: randomUUID(), warehouse: 'nowhere', lines: [{ sku, quantity: 1 }] },
    });
    expect(noWarehouse.body.error).toMatchObject({ code: 'UNKNOWN_WAREHOUSE', field: 'warehouse' });
    expect((await stack.http('GET', `/v1/products/${sku}`)).body.stock[0].onHand).toBe(0);
  });
});
