import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

// The warehouse stand-in takes a minute to dispatch, so orders sit in `fulfilling` with a requested shipment;
// dispatches in these tests come from the webhook, as the warehouse would send them.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ dispatchDelayMs: 60_000, orderPolicy: { shipmentStuckAfterMs: 1_500 } });
});
afterAll(async () => {
  await stack?.close();
});

const getOrder = async (id: string) => (await stack.http('GET', `/v1/orders/${id}`)).body;
const stockOf = async (sku: string) => (await stack.http('GET', `/v1/products/${sku}`)).body.stock[0];
const cancel = (
  orderId: string,
  body: unknown = { reason: 'Customer ordered twice by mistake' },
  key = stack.keys.integration,
) => stack.http('POST', `/v1/orders/${orderId}/cancel`, { key, body });

async function fulfillingOrder(options: { creditLimit?: number } = {}) {
  const { customerId, sku } = await customerWithProduct(stack, {
    creditLimit: options.creditLimit ?? 1_000_000,
    unitPrice: 1_000,
    stock: 50,
  });
  const created = await stack.http('POST', '/v1/orders', {
    key: stack.keys.integration,
    headers: { 'idempotency-key': randomUUID() },
    body: orderBody(customerId, sku, 5),
  });
  const orderId = created.body.id as string;
  const order = await eventually(
    () => getOrder(orderId),
    (o) => o.shipments[0]?.status === 'requested',
  );
  return { orderId, customerId, sku, shipmentId: order.shipments[0].id as string };
}

/** The warehouse dispatches and the cancel follows at once; the cancel must be refused. */
async function dispatchedWhileCancelling(options: { holdReport: boolean }) {
  const order = await fulfillingOrder();
  await stack.warehouse.dispatch(order.shipmentId, options);
  const res = await cancel(order.orderId);
  expect(res.status).toBe(409);
  expect(res.body.error).toMatchObject({
    code: 'ALREADY_DISPATCHED',
    message: expect.stringContaining('can no longer be cancelled'),
  });
  return order;
}

describe('order cancellation', () => {
  it('before dispatch: releases the stock, withdraws the shipment at the warehouse, frees the credit and audits who and why', async () => {
    const { orderId, customerId, sku, shipmentId } = await fulfillingOrder();
    expect(await stockOf(sku)).toMatchObject({ onHand: 50, reserved: 5 });
    expect(
      (await stack.http('GET', `/v1/customers/${customerId}/credit`, { key: stack.keys.finance })).body.exposure
        .openOrders,
    ).toBe(6_050);

    const res = await cancel(orderId);
    expect(res).toEqual({ status: 200, body: { id: orderId, status: 'cancelled' } });
    expect(await stockOf(sku)).toMatchObject({ onHand: 50, reserved: 0, available: 50 });
    expect(stack.warehouse.cancelled.has(shipmentId)).toBe(true);
    expect(await getOrder(orderId)).toMatchObject({
      status: 'cancelled',
      statusReason: 'Customer ordered twice by mistake',
      shipments: [{ status: 'cancelled' }],
      invoices: [],
    });
    expect(
      (await stack.http('GET', `/v1/customers/${customerId}/credit`, { key: stack.keys.finance })).body.exposure
        .openOrders,
    ).toBe(0);
    expect(await stack.client.workflow.getHandle(`order:${orderId}`).result()).toBe('cancelled');
    const audit = await stack.db.query.auditLog.findFirst({
      where: (a, { and, eq }) => and(eq(a.entityId, orderId), eq(a.action, 'order.cancel')),
    });
    expect(audit).toMatchObject({ actor: 'test-integration', reason: 'Customer ordered twice by mistake' });

    const again = await cancel(orderId);
    expect(again.status).toBe(409);
    const notice = stack.smtp.messages.find((m) => m.raw.includes(orderId) && m.raw.includes('geannuleerd'));
    expect(notice?.raw).toContain('Customer ordered twice by mistake');
  });

  it('flags a shipment the warehouse has not dispatched in time, visibly in the API', async () => {
    const { orderId, shipmentId } = await fulfillingOrder();
    const order = await eventually(
      () => getOrder(orderId),
      (o) => o.shipments[0].stuckSince !== null,
      10_000,
    );
    expect(order.shipments[0]).toMatchObject({ id: shipmentId, status: 'requested', stuckSince: expect.any(String) });
    const stuck = await stack.http('GET', '/v1/shipments/stuck', { key: stack.keys.finance });
    expect(stuck.body.shipments).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: shipmentId, orderId, warehouse: 'main' })]),
    );
    await cancel(orderId); // once withdrawn it leaves the queue
    expect((await stack.http('GET', '/v1/shipments/stuck')).body.shipments.map((s: any) => s.id)).not.toContain(
      shipmentId,
    );
  });

  // Goods that left the warehouse are never cancelled, whichever the workflow hears first: the dispatch report
  // or the cancel. The warehouse's answer to the withdrawal decides.
  it('after dispatch: refuses with 409 and a clear message, and the order carries on', async () => {
    const { orderId, sku } = await dispatchedWhileCancelling({ holdReport: false });
    await eventually(
      () => getOrder(orderId),
      (o) => o.status === 'awaiting_payment',
    );
    expect(await stockOf(sku)).toMatchObject({ onHand: 45, reserved: 0 });
  });

  it('dispatched, but the report still on its way: the warehouse refuses the withdrawal, 409, and the late report carries the order on', async () => {
    const { orderId, sku, shipmentId } = await dispatchedWhileCancelling({ holdReport: true });
    expect(await getOrder(orderId)).toMatchObject({ status: 'fulfilling', shipments: [{ status: 'requested' }] });
    expect(await stockOf(sku)).toMatchObject({ onHand: 50, reserved: 5 });
    await stack.warehouse.report(shipmentId, 'dispatched');
    await eventually(
      () => getOrder(orderId),
      (o) => o.status === 'awaiting_payment',
    );
    expect(await stockOf(sku)).toMatchObject({ onHand: 45, reserved: 0 });
    expect(stack.warehouse.cancelled.has(shipmentId)).toBe(false);
  });

  it('on credit hold: cancels without anything to undo', async () => {
    const { customerId, sku } = await customerWithProduct(stack, { creditLimit: 2_000, unitPrice: 1_000, stock: 50 });
    const created = await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': randomUUID() },
      body: orderBody(customerId, sku, 2),
    });
    await eventually(
      () => getOrder(created.body.id),
      (o) => o.status === 'credit_hold',
    );
    expect((await cancel(created.body.id, { reason: 'Customer withdrew' }, stack.keys.finance)).body).toEqual({
      id: created.body.id,
      status: 'cancelled',
    });
    const late = await stack.http('POST', `/v1/orders/${created.body.id}/credit-decision`, {
      key: stack.keys.finance,
      body: { decision: 'approve', reason: 'x' },
    });
    expect(late.status).toBe(409);
  });

  it('needs a reason', async () => {
    const { orderId } = await fulfillingOrder();
    const res = await cancel(orderId, {});
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
  });
});
