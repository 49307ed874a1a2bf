import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerWithProduct } from '../support/fixtures.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

// Exposure is counted on one basis in every bucket: gross, after discounts, as the customer will owe it.
// The warehouse takes a minute to dispatch, so orders stay in fulfilment while their exposure is read.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ dispatchDelayMs: 60_000 });
});
afterAll(async () => {
  await stack?.close();
});

const getOrder = async (id: string) => (await stack.http('GET', `/v1/orders/${id}`)).body;
const exposureOf = async (customerId: string) =>
  (await stack.http('GET', `/v1/customers/${customerId}/credit`, { key: stack.keys.finance })).body.exposure;
const placeOrder = async (body: unknown) =>
  (
    await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': randomUUID() },
      body,
    })
  ).body.id as string;

describe('credit exposure', () => {
  it('values an order in fulfilment as the customer will owe it: after line and order discounts, VAT included', async () => {
    const { customerId, sku } = await customerWithProduct(stack, { unitPrice: 1_000 });
    const orderId = await placeOrder({
      customerId,
      lines: [{ sku, quantity: 10, discountBp: 1_000 }],
      discountBp: 500,
    });
    await eventually(
      () => getOrder(orderId),
      (o) => o.shipments[0]?.status === 'requested',
    );
    // 10 x 10.00 less 10 % less 5 % = 85.50 net; 21 % VAT 17.96: 103.46 owed once invoiced.
    expect(await exposureOf(customerId)).toMatchObject({
      notDue: 0,
      overdue: 0,
      uninvoicedShipments: 0,
      openOrders: 10_346,
    });
  });

  it('counts a revised invoice once: never negative, and the customer’s next order is still decided', async () => {
    const { customerId, sku } = await customerWithProduct(stack, { unitPrice: 1_000 });
    const orderId = await placeOrder({ customerId, lines: [{ sku, quantity: 4 }], invoicing: 'on_order' });
    const {
      invoices: [wrong],
    } = await eventually(
      () => getOrder(orderId),
      (o) => o.invoices.length === 1 && o.shipments[0]?.status === 'requested',
    );
    const revised = await stack.http('POST', `/v1/invoices/${wrong.id}/revisions`, {
      key: stack.keys.finance,
      headers: { 'idempotency-key': randomUUID() },
      body: { reason: 'Three ordered, not four', lines: [{ lineNo: 1, quantity: 3 }] },
    });
    expect(revised.status).toBe(201);
    await eventually(
      () => getOrder(orderId),
      (o) => o.invoices.some((i: any) => i.id === wrong.id && i.status === 'credited'),
    );

    // The order is invoiced in full (by the replacement): nothing of it is an open order any more.
    expect(await exposureOf(customerId)).toMatchObject({
      notDue: 3_630,
      overdue: 0,
      uninvoicedShipments: 0,
      openOrders: 0,
    });
    const next = await placeOrder({ customerId, lines: [{ sku, quantity: 1 }] });
    expect(
      await eventually(
        () => getOrder(next),
        (o) => o.status !== 'received',
        15_000,
      ),
    ).toMatchObject({
      creditDecision: { outcome: 'approve', inputs: { exposure: { notDue: 3_630, openOrders: 0 } } },
    });
  });
});
