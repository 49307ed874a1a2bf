import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../../db/schema.js';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { eventually, startStack, TEST_PEPPOL_RECEIVER, type Stack } from '../support/stack.js';

// The access point is down for its first four submissions: more than the HTTP client's own three attempts, so
// the delivery activity fails once and Temporal retries it.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ peppolFailFirst: 4 });
});
afterAll(async () => {
  await stack?.close();
});

describe('document delivery when the access point is down', () => {
  it('records the failed attempt with its reason, then Temporal retries it until delivered, transmitting once', async () => {
    const { customerId, sku } = await customerWithProduct(stack);
    const [scheme, id] = TEST_PEPPOL_RECEIVER.split(':') as [string, string];
    // The fixture's customer is on e-mail; this one receives its invoices over Peppol.
    await stack.db
      .update(customers)
      .set({ invoiceChannel: 'peppol', peppolScheme: scheme, peppolId: id })
      .where(eq(customers.id, customerId));

    const created = await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': randomUUID() },
      body: orderBody(customerId, sku, 2),
    });
    const order = await eventually(
      async () => (await stack.http('GET', `/v1/orders/${created.body.id}`)).body,
      (o) => o.invoices.length === 1,
    );
    const invoiceId = order.invoices[0].id as string;

    const failed = await eventually(
      async () => (await stack.http('GET', `/v1/invoices/${invoiceId}`)).body,
      (i) => i.deliveries[0]?.status === 'failed',
    );
    expect(failed.deliveries[0]).toMatchObject({
      channel: 'peppol',
      attempts: 1,
      failureReason: expect.stringContaining('HTTP 503'),
    });

    const delivered = await eventually(
      async () => (await stack.http('GET', `/v1/invoices/${invoiceId}`)).body,
      (i) => i.deliveries[0]?.status === 'delivered',
      60_000,
    );
    expect(delivered.deliveries[0]).toMatchObject({ attempts: 2, failureReason: null, providerId: expect.any(String) });
    expect([...stack.peppol.received.keys()]).toEqual([invoiceId]);
    expect(stack.peppol.requests.filter((r) => r.method === 'POST').length).toBe(5); // 4 refused, 1 taken
  });
});
