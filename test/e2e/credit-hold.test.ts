import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerId, OrderStatus } from '../../temporal/search-attributes.js';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { recordHistory } from '../support/record-history.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

// A credit hold waits for finance for a configured time; here 3 seconds, so the timeout path runs for real.
let stack: Stack;
// An unpaid prepayment invoice expires with its order after 8 seconds.
beforeAll(async () => {
  stack = await startStack({ orderPolicy: { creditHoldTimeoutMs: 3_000, prepaymentExpiryMs: 8_000 } });
});
afterAll(async () => {
  await stack?.close();
});

const getOrder = async (id: string) => (await stack.http('GET', `/v1/orders/${id}`)).body;

async function heldOrder(key: string) {
  const { customerId, sku } = await customerWithProduct(stack, { creditLimit: 2_000, unitPrice: 1_000 });
  const created = await stack.http('POST', '/v1/orders', {
    key: stack.keys.integration,
    headers: { 'idempotency-key': key },
    body: orderBody(customerId, sku, 2),
  });
  await eventually(
    () => getOrder(created.body.id),
    (o) => o.status === 'credit_hold',
  );
  return { orderId: created.body.id as string, customerId, sku };
}

describe('credit hold outcomes', () => {
  it('rejects: the order ends rejected with the reason, nothing is reserved or shipped, the decision is audited', async () => {
    const { orderId, customerId, sku } = await heldOrder('reject-1');
    const res = await stack.http('POST', `/v1/orders/${orderId}/credit-decision`, {
      key: stack.keys.finance,
      body: { decision: 'reject', reason: 'Two invoices 60 days overdue' },
    });
    expect(res.body).toEqual({ id: orderId, status: 'rejected' });
    const handle = stack.client.workflow.getHandle(`order:${orderId}`);
    expect(await handle.result()).toBe('rejected');
    const order = await getOrder(orderId);
    expect(order).toMatchObject({
      status: 'rejected',
      statusReason: 'Two invoices 60 days overdue',
      shipments: [],
      invoices: [],
    });
    expect((await stack.http('GET', `/v1/products/${sku}`)).body.stock[0]).toMatchObject({ reserved: 0 });
    const audit = await stack.db.query.auditLog.findFirst({ where: (a, { eq }) => eq(a.entityId, orderId) });
    expect(audit).toMatchObject({
      actor: 'test-finance',
      action: 'credit.reject',
      reason: 'Two invoices 60 days overdue',
    });
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect([attributes.get(CustomerId), attributes.get(OrderStatus)]).toEqual([customerId, 'rejected']);
  });

  it('cancels an order whose hold is not decided in time, and refuses a late decision with 409', async () => {
    const { orderId } = await heldOrder('timeout-1');
    const handle = stack.client.workflow.getHandle(`order:${orderId}`);
    expect(await handle.result()).toBe('cancelled');
    expect(await getOrder(orderId)).toMatchObject({
      status: 'cancelled',
      statusReason: 'credit hold not decided in time',
    });
    const audit = await stack.db.query.auditLog.findFirst({ where: (a, { eq }) => eq(a.entityId, orderId) });
    expect(audit).toMatchObject({ actor: 'system', action: 'credit.hold.expired' });
    const late = await stack.http('POST', `/v1/orders/${orderId}/credit-decision`, {
      key: stack.keys.finance,
      body: { decision: 'approve', reason: 'too late' },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('NOT_ON_CREDIT_HOLD');
  });

  it('requires prepayment: invoices at once, ships only after that invoice is paid, and completes with one invoice', async () => {
    const { orderId, sku } = await heldOrder('prepay-1');
    const decided = await stack.http('POST', `/v1/orders/${orderId}/credit-decision`, {
      key: stack.keys.finance,
      body: { decision: 'require_prepayment', reason: 'New customer, no bureau data yet' },
    });
    expect(decided.body).toEqual({ id: orderId, status: 'awaiting_prepayment', exposure: 2_420, headroom: 2_000 });
    const waiting = await eventually(
      () => getOrder(orderId),
      (o) => o.invoices.length === 1,
    );
    expect(waiting).toMatchObject({
      status: 'awaiting_prepayment',
      shipments: [],
      invoices: [{ total: 2_420, balance: 2_420, status: 'open' }],
    }); // incl. 21 % VAT
    expect((await stack.http('GET', `/v1/products/${sku}`)).body.stock[0]).toMatchObject({
      reserved: 0,
      onHand: 1_000,
    });

    const [invoice] = waiting.invoices;
    await stack.http('POST', '/v1/payments', {
      key: stack.keys.integration,
      body: {
        invoiceNumber: invoice.number,
        amount: 2_420,
        currency: 'EUR',
        method: 'sepa_credit_transfer',
        externalId: `prepay-${invoice.number}`,
      },
    });
    expect(await stack.client.workflow.getHandle(`order:${orderId}`).result()).toBe('completed');
    const done = await getOrder(orderId);
    expect(done).toMatchObject({
      status: 'completed',
      shipments: [{ status: expect.stringMatching(/dispatched|delivered/) }],
      invoices: [{ number: invoice.number, status: 'paid' }],
    });
    expect((await stack.http('GET', `/v1/products/${sku}`)).body.stock[0]).toMatchObject({ reserved: 0, onHand: 998 });
  });

  it('a prepayment invoice credited in full is not paid: the order ends cancelled, nothing ships, the customer is told', async () => {
    const { orderId, sku } = await heldOrder('prepay-credited-1');
    await stack.http('POST', `/v1/orders/${orderId}/credit-decision`, {
      key: stack.keys.finance,
      body: { decision: 'require_prepayment', reason: 'New customer' },
    });
    const {
      invoices: [invoice],
    } = await eventually(
      () => getOrder(orderId),
      (o) => o.invoices.length === 1,
    );
    const credited = await stack.http('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      key: stack.keys.finance,
      headers: { 'idempotency-key': `credit-${orderId}` },
      body: { reason: 'Customer withdrew the order', amount: invoice.total },
    });
    expect(credited.status).toBe(201);

    expect(await stack.client.workflow.getHandle(`order:${orderId}`).result()).toBe('cancelled');
    const order = await getOrder(orderId);
    expect(order).toMatchObject({
      status: 'cancelled',
      shipments: [],
      invoices: [{ id: invoice.id, status: 'credited', balance: 0 }, { type: 'credit_note' }],
    });
    expect((await stack.http('GET', `/v1/products/${sku}`)).body.stock[0]).toMatchObject({
      reserved: 0,
      onHand: 1_000,
    });
    expect(stack.smtp.messages.some((m) => m.raw.includes(orderId) && m.raw.includes('geannuleerd'))).toBe(true);
    await recordHistory(stack.client, `order:${orderId}`, 'order-prepayment-credited');
  });

  it('an unpaid prepayment invoice expires with the order: credited by the system, the order cancelled, the customer told', async () => {
    const { orderId } = await heldOrder('prepay-expired-1');
    await stack.http('POST', `/v1/orders/${orderId}/credit-decision`, {
      key: stack.keys.finance,
      body: { decision: 'require_prepayment', reason: 'New customer' },
    });
    expect(await stack.client.workflow.getHandle(`order:${orderId}`).result()).toBe('cancelled');
    const order = await getOrder(orderId);
    expect(order).toMatchObject({
      status: 'cancelled',
      statusReason: expect.stringContaining('prepayment not received'),
      shipments: [],
      invoices: [
        { type: 'invoice', status: 'credited', balance: 0 },
        { type: 'credit_note', total: order.invoices[0].total },
      ],
    });
    const audit = await stack.db.query.auditLog.findFirst({
      where: (a, { and, eq }) => and(eq(a.entityId, order.invoices[0].id), eq(a.action, 'invoice.credit')),
    });
    expect(audit).toMatchObject({ actor: 'system', reason: expect.stringContaining('prepayment not received') });
    expect(stack.smtp.messages.some((m) => m.raw.includes(orderId) && m.raw.includes('geannuleerd'))).toBe(true);
  });

  it('requires a reason for a credit decision', async () => {
    const { orderId } = await heldOrder('reason-1');
    const res = await stack.http('POST', `/v1/orders/${orderId}/credit-decision`, {
      key: stack.keys.finance,
      body: { decision: 'approve', reason: '  ' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
  });
});
