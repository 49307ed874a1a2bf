import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { invoices } from '../../db/schema.js';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const getOrder = async (id: string) => (await stack.http('GET', `/v1/orders/${id}`)).body;
const placeOrder = async (customerId: string, sku: string, quantity: number) =>
  (
    await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': randomUUID() },
      body: orderBody(customerId, sku, quantity),
    })
  ).body.id as string;
const settled = (status: string) => status !== 'received';

describe('credit control', () => {
  it('never approves more than the limit when 20 orders of one customer arrive at once', async () => {
    const { customerId, sku } = await customerWithProduct(stack, { creditLimit: 12_100, unitPrice: 1_000, stock: 100 });
    // Each order owes 10.00 + 21 % VAT = 12.10: a limit of 121.00 takes exactly ten.
    const ids = await Promise.all(Array.from({ length: 20 }, () => placeOrder(customerId, sku, 1)));
    const orders = await Promise.all(
      ids.map((id) =>
        eventually(
          () => getOrder(id),
          (o) => settled(o.status),
        ),
      ),
    );
    const approved = orders.filter((o) => o.creditDecision.outcome === 'approve');
    expect(approved.reduce((sum, o) => sum + o.total, 0)).toBe(10_000);
    expect(approved).toHaveLength(10);
    expect(orders.filter((o) => o.status === 'credit_hold')).toHaveLength(10);

    const holds = (
      await stack.http('GET', '/v1/credit/holds?limit=200', { key: stack.keys.finance })
    ).body.holds.filter((h: any) => h.customerId === customerId);
    expect(holds).toHaveLength(10);
    expect(holds[0]).toMatchObject({
      reasons: ['OVER_LIMIT'],
      creditLimit: 12_100,
      total: 1_000,
      currency: 'EUR',
      score: 60,
    });
    const heldSince = holds.map((h: any) => h.heldSince);
    expect([...heldSince].sort()).toEqual(heldSince); // oldest first
  });

  it('holds new orders of a customer with an invoice overdue beyond the tolerance, saying why', async () => {
    const { customerId, sku } = await customerWithProduct(stack, { creditLimit: 1_000_000, unitPrice: 1_000 });
    const first = await placeOrder(customerId, sku, 1);
    const invoiced = await eventually(
      () => getOrder(first),
      (o) => o.status === 'awaiting_payment',
    );
    // The invoice fell due 30 days ago (the tolerance is 14 days).
    await stack.db
      .update(invoices)
      .set({ dueDate: sql`current_date - 30` })
      .where(eq(invoices.id, invoiced.invoices[0].id));

    const second = await placeOrder(customerId, sku, 1);
    const held = await eventually(
      () => getOrder(second),
      (o) => settled(o.status),
    );
    expect(held).toMatchObject({
      status: 'credit_hold',
      creditDecision: { outcome: 'hold', reasons: ['OVERDUE_ITEMS'], inputs: { oldestOverdueDays: 30 } },
    });
    const account = await stack.http('GET', `/v1/customers/${customerId}/credit`, { key: stack.keys.finance });
    expect(account.body).toMatchObject({
      oldestOverdueDays: 30,
      exposure: { overdue: 1_210, notDue: 0, openOrders: 0 },
    });
  });

  it('changes the credit account with an audited reason; a blocked customer’s orders are held; beyond the hard limit an order is refused', async () => {
    const { customerId, sku } = await customerWithProduct(stack, { creditLimit: 10_000, unitPrice: 1_000 });
    const put = (key: string, body: unknown) => stack.http('PUT', `/v1/customers/${customerId}/credit`, { key, body });

    expect(
      (await put(stack.keys.integration, { creditLimit: 50_000, riskClass: 'low', blocked: true, reason: 'x' })).status,
    ).toBe(403);
    const noReason = await put(stack.keys.finance, { creditLimit: 50_000, riskClass: 'low', blocked: true });
    expect(noReason.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });

    const changed = await put(stack.keys.finance, {
      creditLimit: 50_000,
      riskClass: 'low',
      blocked: true,
      reason: 'Annual review; blocked pending new guarantee',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ creditLimit: 50_000, riskClass: 'low', blocked: true, headroom: 50_000 });
    const audit = await stack.db.query.auditLog.findFirst({
      where: (a, { and, eq }) => and(eq(a.entityId, customerId), eq(a.action, 'credit.account.update')),
    });
    expect(audit).toMatchObject({
      actor: 'test-finance',
      reason: 'Annual review; blocked pending new guarantee',
      details: {
        old: { creditLimit: 10_000, riskClass: 'medium', blocked: false },
        new: { creditLimit: 50_000, riskClass: 'low', blocked: true },
      },
    });

    const blocked = await placeOrder(customerId, sku, 1);
    expect(
      await eventually(
        () => getOrder(blocked),
        (o) => settled(o.status),
      ),
    ).toMatchObject({ status: 'credit_hold', creditDecision: { reasons: ['BLOCKED'], score: 0 } });

    await put(stack.keys.finance, {
      creditLimit: 50_000,
      riskClass: 'low',
      blocked: false,
      reason: 'Guarantee received',
    });
    const tooBig = await placeOrder(customerId, sku, 101); // exposure 101,000 > 200% of 50,000
    const refused = await eventually(
      () => getOrder(tooBig),
      (o) => settled(o.status),
    );
    expect(refused).toMatchObject({
      status: 'rejected',
      statusReason: expect.stringContaining('hard credit limit'),
      creditDecision: { outcome: 'reject' },
    });
    expect(await stack.client.workflow.getHandle(`order:${tooBig}`).result()).toBe('rejected');
  });

  it('re-checks exposure when finance approves a hold: shows it, and refuses beyond the hard limit', async () => {
    const { customerId, sku } = await customerWithProduct(stack, { creditLimit: 10_000, unitPrice: 1_000 });
    const [first, second] = [await placeOrder(customerId, sku, 10), await placeOrder(customerId, sku, 10)];
    for (const id of [first, second])
      await eventually(
        () => getOrder(id),
        (o) => o.status === 'credit_hold',
      );
    const approve = (orderId: string) =>
      stack.http('POST', `/v1/orders/${orderId}/credit-decision`, {
        key: stack.keys.finance,
        body: { decision: 'approve', reason: 'Long-standing customer' },
      });

    // Each was held alone at 121.00 (100.00 + VAT) on a 100.00 limit; approved, the first counts for the second.
    const approved = await approve(first);
    expect(approved).toMatchObject({ status: 200, body: { status: 'fulfilling', exposure: 12_100, headroom: 10_000 } });
    const refused = await approve(second);
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'EXPOSURE_BEYOND_HARD_LIMIT' } } });
    expect(refused.body.error.message).toContain('242.00');
    expect(await getOrder(second)).toMatchObject({ status: 'credit_hold' });
  });
});
