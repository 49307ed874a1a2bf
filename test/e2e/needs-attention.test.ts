import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { customers } from '../../db/schema.js';
import { OrderStatus } from '../../temporal/search-attributes.js';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { recordHistory } from '../support/record-history.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

// A bug or bad data is not retried forever in silence: the order says it needs attention, and why, until an
// operator has fixed the cause and asks it to retry.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ dispatchDelayMs: 2_000 });
});
afterAll(async () => {
  await stack?.close();
});

const getOrder = async (id: string) => (await stack.http('GET', `/v1/orders/${id}`)).body;

describe('an order that meets a bug or bad data', () => {
  it('needs attention with the reason in the API and the search attribute, and carries on once fixed and retried', async () => {
    const { customerId, sku } = await customerWithProduct(stack, { unitPrice: 1_000 });
    const created = await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': randomUUID() },
      body: orderBody(customerId, sku, 2),
    });
    const orderId = created.body.id as string;
    await eventually(
      () => getOrder(orderId),
      (o) => o.status === 'fulfilling',
    );
    // The customer's address is lost before the goods leave (say a faulty import): no invoice can be made now.
    await stack.db
      .update(customers)
      .set({ street: null, city: null, postalCode: null })
      .where(eq(customers.id, customerId));

    const stuck = await eventually(
      () => getOrder(orderId),
      (o) => o.status === 'needs_attention',
      20_000,
    );
    expect(stuck.statusReason).toMatch(/address/i);
    const handle = stack.client.workflow.getHandle(`order:${orderId}`);
    expect((await handle.describe()).typedSearchAttributes.get(OrderStatus)).toBe('needs_attention');

    expect(
      (await stack.http('POST', `/v1/orders/${orderId}/retry`, { key: stack.keys.integration, body: {} })).status,
    ).toBe(403);
    const fixed = await stack.http('PUT', `/v1/customers/${customerId}/invoicing`, {
      key: stack.keys.finance,
      body: {
        vatId: 'NL987654321B01',
        address: { street: 'Dorpsstraat 5', city: 'Utrecht', postalCode: '3512 AB' },
        reason: 'Address from the customer',
      },
    });
    expect(fixed.status).toBe(200);
    const retried = await stack.http('POST', `/v1/orders/${orderId}/retry`, {
      key: stack.keys.admin,
      body: { reason: 'Customer address completed' },
    });
    expect(retried.status).toBe(200);
    const order = await eventually(
      () => getOrder(orderId),
      (o) => o.status === 'awaiting_payment',
      20_000,
    );
    expect(order).toMatchObject({ statusReason: null, invoices: [{ status: 'open', total: 2_420 }] });
    const again = await stack.http('POST', `/v1/orders/${orderId}/retry`, {
      key: stack.keys.admin,
      body: { reason: 'twice' },
    });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'NOTHING_TO_RETRY' } } });
    const invoiceId = order.invoices[0].id as string;
    await stack.http('POST', '/v1/payments', {
      key: stack.keys.integration,
      body: {
        invoiceNumber: order.invoices[0].number,
        amount: 2_420,
        currency: 'EUR',
        method: 'card',
        externalId: randomUUID(),
      },
    });
    expect(await handle.result()).toBe('completed');
    await recordHistory(stack.client, `order:${orderId}`, 'order-needs-attention-retried');
    await recordHistory(stack.client, `invoice:${invoiceId}`, 'invoice-needs-attention-retried');
  });
});
