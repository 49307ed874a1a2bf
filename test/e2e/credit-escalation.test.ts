import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

// Hold policy in seconds: remind the escalation contact after 1 s, auto-approve after 4 s.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    orderPolicy: { creditHoldTimeoutMs: 4_000, creditHoldEscalationMs: 1_000, creditHoldExpiryAction: 'approve' },
  });
});
afterAll(async () => {
  await stack?.close();
});

const getOrder = async (id: string) => (await stack.http('GET', `/v1/orders/${id}`)).body;
const auditOf = (orderId: string) =>
  stack.db.query.auditLog.findMany({
    where: (a, { eq }) => eq(a.entityId, orderId),
    orderBy: (a, { asc }) => asc(a.id),
  });

describe('undecided credit holds', () => {
  it('reminds the escalation contact, then decides by policy, auditing each step', async () => {
    const { customerId, sku } = await customerWithProduct(stack, { creditLimit: 2_000, unitPrice: 1_000 });
    const created = await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': randomUUID() },
      body: orderBody(customerId, sku, 2),
    });
    const orderId = created.body.id as string;
    await eventually(
      () => getOrder(orderId),
      (o) => o.status === 'credit_hold',
    );

    const reminder = await eventually(
      () =>
        Promise.resolve(
          stack.smtp.messages.find((m) => m.to.includes('credit-control@o2c.test') && m.raw.includes(orderId)),
        ),
      Boolean,
      10_000,
    );
    const mail = await simpleParser(reminder!.raw);
    expect(mail.subject).toContain('Credit hold waiting for a decision: Bakkerij de Vries B.V., EUR 20.00');
    expect((await getOrder(orderId)).status).toBe('credit_hold');

    const approved = await eventually(
      () => getOrder(orderId),
      (o) => o.status === 'awaiting_payment',
      20_000,
    );
    expect(approved.creditDecision.manual).toMatchObject({ decision: 'approve', actor: 'system' });
    expect((await auditOf(orderId)).map((a) => [a.action, a.actor])).toEqual([
      ['credit.hold.escalated', 'system'],
      ['credit.approve', 'system'],
    ]);
  });
});
