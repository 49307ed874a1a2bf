import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { shipmentEvents } from '../../db/schema.js';
import { shipmentStateQuery } from '../../workflows/messages.js';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { recordHistory } from '../support/record-history.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

// The warehouse stand-in waits ten minutes before it reports anything: every event here is sent by the test,
// through the public webhook, as a warehouse or carrier would send it.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ dispatchDelayMs: 600_000 });
});
afterAll(async () => {
  await stack?.close();
});

const getOrder = async (id: string) => (await stack.http('GET', `/v1/orders/${id}`)).body;
const report = (shipmentId: string, body: Record<string, unknown>) =>
  stack.http('POST', `/v1/shipments/${shipmentId}/events`, { key: stack.keys.integration, body });

async function requestedShipment() {
  const { customerId, sku } = await customerWithProduct(stack, { unitPrice: 1_250, stock: 20 });
  const created = await stack.http('POST', '/v1/orders', {
    key: stack.keys.integration,
    headers: { 'idempotency-key': randomUUID() },
    body: orderBody(customerId, sku, 2),
  });
  const orderId = created.body.id as string;
  const order = await eventually(
    () => getOrder(orderId),
    (o) => o.shipments[0]?.status === 'requested',
  );
  return { orderId, shipmentId: order.shipments[0].id as string };
}

describe('shipment workflow', () => {
  it('is a child of its order, moved booked → picked → packed → dispatched → delivered by warehouse events', async () => {
    const { orderId, shipmentId } = await requestedShipment();
    const handle = stack.client.workflow.getHandle(`shipment:${shipmentId}`);
    const described = await handle.describe();
    expect(described).toMatchObject({ type: 'shipmentWorkflow', parentExecution: { workflowId: `order:${orderId}` } });

    for (const type of ['picked', 'packed'] as const) {
      expect((await report(shipmentId, { eventId: `${shipmentId}:${type}`, type })).status).toBe(202);
      await eventually(
        () => getOrder(orderId),
        (o) => o.shipments[0].status === type,
      );
    }
    expect(await handle.query(shipmentStateQuery)).toEqual({ status: 'packed', stuck: false });
    expect((await getOrder(orderId)).invoices).toEqual([]);

    await report(shipmentId, { eventId: `${shipmentId}:dispatched`, type: 'dispatched', trackingNumber: 'TRK-77' });
    const invoiced = await eventually(
      () => getOrder(orderId),
      (o) => o.invoices.length === 1,
    );
    expect(invoiced.shipments[0]).toMatchObject({ status: 'dispatched', trackingNumber: 'TRK-77' });
    expect(invoiced.invoices[0].netTotal).toBe(2_500);
    const mail = await eventually(
      () => Promise.resolve(stack.smtp.messages.find((m) => m.raw.includes(orderId) && m.raw.includes('verzonden'))),
      Boolean,
    );
    expect(mail!.raw).toContain('TRK-77');

    await report(shipmentId, { eventId: `${shipmentId}:delivered`, type: 'delivered' });
    expect(await handle.result()).toBe('delivered');
    expect((await getOrder(orderId)).shipments[0]).toMatchObject({
      status: 'delivered',
      deliveredAt: expect.any(String),
    });
  });

  it('drops repeated events, and a late report never moves a shipment back', async () => {
    const { orderId, shipmentId } = await requestedShipment();
    await report(shipmentId, { eventId: 'wh-2', type: 'packed' });
    await report(shipmentId, { eventId: 'wh-2', type: 'packed' });
    await report(shipmentId, { eventId: 'wh-1', type: 'picked' }); // sent first, arrives last
    await eventually(
      async () =>
        (await stack.db.select().from(shipmentEvents).where(eq(shipmentEvents.shipmentId, shipmentId))).length === 2,
      Boolean,
    );
    expect((await getOrder(orderId)).shipments[0].status).toBe('packed');

    // The carrier's delivery scan arrives before the warehouse's dispatch report: the goods have left either way.
    await report(shipmentId, { eventId: 'carrier-9', type: 'delivered', trackingNumber: 'TRK-9' });
    const delivered = await eventually(
      () => getOrder(orderId),
      (o) => o.shipments[0].status === 'delivered' && o.invoices.length === 1,
    );
    expect(delivered.shipments[0]).toMatchObject({ dispatchedAt: expect.any(String), trackingNumber: 'TRK-9' });
    expect(await stack.client.workflow.getHandle(`shipment:${shipmentId}`).result()).toBe('delivered');

    const late = await report(shipmentId, { eventId: 'wh-3', type: 'dispatched' });
    expect(late.status).toBe(202);
    expect((await getOrder(orderId)).shipments[0].status).toBe('delivered');
    const dispatchMails = stack.smtp.messages.filter((m) => m.raw.includes(orderId) && m.raw.includes('verzonden'));
    expect(dispatchMails).toHaveLength(1);
    await recordHistory(stack.client, `shipment:${shipmentId}`, 'shipment-events-out-of-order');
  });

  it('refuses events for a withdrawn shipment and unknown event types', async () => {
    const { orderId, shipmentId } = await requestedShipment();
    await stack.http('POST', `/v1/orders/${orderId}/cancel`, {
      key: stack.keys.integration,
      body: { reason: 'Duplicate order' },
    });
    expect(await stack.client.workflow.getHandle(`shipment:${shipmentId}`).result()).toBe('cancelled');
    await recordHistory(stack.client, `shipment:${shipmentId}`, 'shipment-withdrawn');
    const late = await report(shipmentId, { eventId: 'wh-late', type: 'picked' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('SHIPMENT_CANCELLED');

    const bad = await report(shipmentId, { eventId: 'x', type: 'shipped' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'type' });
  });
});
