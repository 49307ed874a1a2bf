import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerWithProduct } from '../support/fixtures.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });

const getOrder = async (id: string) => (await stack.http('GET', `/v1/orders/${id}`)).body;

async function productInTwoWarehouses(stock: [number, number]) {
  const tag = randomUUID().slice(0, 6);
  const codes = [`a-${tag}`, `b-${tag}`];
  for (const code of codes) await stack.http('POST', '/v1/warehouses', { key: stack.keys.integration, body: { code, name: `DC ${code}`, country: 'NL' } });
  const sku = `SPLIT-${tag}`;
  await stack.http('POST', '/v1/products', {
    key: stack.keys.integration,
    body: { sku, name: 'Bannetons, set of 6', unitPrice: 1_000, currency: 'EUR', stock: [{ warehouse: codes[0], quantity: stock[0] }, { warehouse: codes[1], quantity: stock[1] }] },
  });
  return { sku, codes: codes as [string, string] };
}

describe('fulfilment across warehouses', () => {
  it('splits an order no single warehouse can serve, ships from both and invoices each shipment as it leaves', async () => {
    const { customerId } = await customerWithProduct(stack);
    const { sku, codes: [a, b] } = await productInTwoWarehouses([3, 5]);
    const created = await stack.http('POST', '/v1/orders', { key: stack.keys.integration, headers: { 'idempotency-key': randomUUID() }, body: { customerId, lines: [{ sku, quantity: 6 }] } });

    const invoiced = await eventually(() => getOrder(created.body.id), (o) => o.status === 'awaiting_payment');
    // The warehouse covering most goes first: 5 from b, the last 1 from a.
    expect(invoiced.shipments.map((s: any) => [s.warehouse, s.status === 'dispatched' || s.status === 'delivered'])).toEqual([[b, true], [a, true]]);
    expect(invoiced.invoices.map((i: any) => i.total).sort()).toEqual([1_000, 5_000]);
    expect((await stack.http('GET', `/v1/products/${sku}`)).body.stock).toEqual([
      { warehouse: a, onHand: 2, reserved: 0, available: 2 },
      { warehouse: b, onHand: 0, reserved: 0, available: 0 },
    ]);

    for (const invoice of invoiced.invoices) {
      await stack.http('POST', '/v1/payments', { key: stack.keys.integration, body: { invoiceNumber: invoice.number, amount: invoice.total, currency: 'EUR', method: 'sepa_credit_transfer', externalId: randomUUID() } });
    }
    expect(await stack.client.workflow.getHandle(`order:${created.body.id}`).result()).toBe('completed');
    const dispatchMails = stack.smtp.messages.filter((m) => m.raw.includes(created.body.id) && m.raw.includes('verzonden'));
    expect(dispatchMails).toHaveLength(2);
  });

  it('cancels an order the warehouses together cannot serve, reserving nothing', async () => {
    const { customerId } = await customerWithProduct(stack);
    const { sku } = await productInTwoWarehouses([1, 2]);
    const created = await stack.http('POST', '/v1/orders', { key: stack.keys.integration, headers: { 'idempotency-key': randomUUID() }, body: { customerId, lines: [{ sku, quantity: 4 }] } });
    expect(await stack.client.workflow.getHandle(`order:${created.body.id}`).result()).toBe('cancelled');
    expect(await getOrder(created.body.id)).toMatchObject({ status: 'cancelled', statusReason: 'not enough stock in the warehouses', shipments: [] });
    expect((await stack.http('GET', `/v1/products/${sku}`)).body.stock.map((s: any) => s.reserved)).toEqual([0, 0]);
  });
});
