import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { eq, sql } from 'drizzle-orm';
import { customers, invoices } from '../../db/schema.js';
import { ensureCreditReviewSchedule } from '../../temporal/schedules.js';
import type { CreditReviewTotals } from '../../workflows/credit-review.js';
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
const placeOrder = async (customerId: string, sku: string) =>
  (
    await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': randomUUID() },
      body: orderBody(customerId, sku, 1),
    })
  ).body.id as string;

describe('daily credit review (Temporal Schedule)', () => {
  it('re-scores customers from their payment behaviour, tells finance when a class worsens, and holds that customer’s new orders', async () => {
    const late = await customerWithProduct(stack, { creditLimit: 1_000_000, unitPrice: 1_000 });
    const punctual = await customerWithProduct(stack, { creditLimit: 1_000_000, unitPrice: 1_000 });
    await paidLate(late, 40);
    await paidLate(punctual, 0);

    expect((await review()).worsened).toBeGreaterThanOrEqual(1);

    // Paid 40 days late on its only invoice: 100 - 40 - 30 = 30, high risk (was medium); the punctual one: 100, low.
    const [lateRow] = await stack.db.select().from(customers).where(eq(customers.id, late.customerId));
    const [punctualRow] = await stack.db.select().from(customers).where(eq(customers.id, punctual.customerId));
    expect([lateRow!.riskClass, lateRow!.riskScore]).toEqual(['high', 30]);
    expect([punctualRow!.riskClass, punctualRow!.riskScore]).toEqual(['low', 100]);

    const mail = stack.smtp.messages.find((m) => m.raw.includes(late.customerId));
    expect((await simpleParser(mail!.raw)).subject).toBe(
      'Risk class worsened: Bakkerij de Vries B.V. is now high risk (was medium)',
    );
    expect(stack.smtp.messages.some((m) => m.raw.includes(punctual.customerId))).toBe(false);
    const audit = await stack.db.query.auditLog.findFirst({
      where: (a, { and, eq }) => and(eq(a.entityId, late.customerId), eq(a.action, 'credit.risk_class.changed')),
    });
    expect(audit).toMatchObject({ actor: 'system', details: { old: 'medium', new: 'high', score: 30 } });

    const next = await placeOrder(late.customerId, late.sku);
    expect(
      await eventually(
        () => getOrder(next),
        (o) => o.status !== 'received',
      ),
    ).toMatchObject({ status: 'credit_hold', creditDecision: { reasons: ['RISK_CLASS'] } });
  });

  it('keeps a risk class finance set by hand until its end date or until finance hands it back to the review', async () => {
    const customer = await customerWithProduct(stack, { creditLimit: 1_000_000, unitPrice: 1_000 });
    await paidLate(customer, 40);
    const credit = (body: Record<string, unknown>) =>
      stack.http('PUT', `/v1/customers/${customer.customerId}/credit`, {
        key: stack.keys.finance,
        body: { creditLimit: 1_000_000, blocked: false, reason: 'Bank guarantee received', ...body },
      });
    const manual = await credit({ riskClass: 'low', riskClassUntil: '2099-12-31' });
    expect(manual.body).toMatchObject({ riskClass: 'low', riskClassSetBy: 'finance', riskClassUntil: '2099-12-31' });

    await review();
    const [kept] = await stack.db.select().from(customers).where(eq(customers.id, customer.customerId));
    expect([kept!.riskClass, kept!.riskScore]).toEqual(['low', 30]); // scored, but the class finance set holds

    await credit({ riskClass: 'scored', reason: 'Guarantee expired' });
    await review();
    const [scored] = await stack.db.select().from(customers).where(eq(customers.id, customer.customerId));
    expect(scored!.riskClass).toBe('high');
  });
});

/** An order of the customer, invoiced, its invoice backdated to have fallen due `daysLate` ago, then paid in full. */
async function paidLate(customer: { customerId: string; sku: string }, daysLate: number) {
  const orderId = await placeOrder(customer.customerId, customer.sku);
  const {
    invoices: [invoice],
  } = await eventually(
    () => getOrder(orderId),
    (o) => o.status === 'awaiting_payment',
  );
  await stack.db
    .update(invoices)
    .set({ dueDate: sql`current_date - ${daysLate}::int` })
    .where(eq(invoices.id, invoice.id));
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
  await eventually(
    () => getOrder(orderId),
    (o) => o.status === 'completed',
  );
}

/** Runs the daily review once, now, through its Temporal Schedule; its totals. */
async function review() {
  const scheduleId = await ensureCreditReviewSchedule(stack.client, {
    taskQueue: stack.taskQueue,
    cron: '0 2 * * *',
    scheduleId: `credit-review-${randomUUID()}`,
  });
  const schedule = stack.client.schedule.getHandle(scheduleId);
  await schedule.trigger();
  const run = await eventually(async () => (await schedule.describe()).info.recentActions[0], Boolean);
  const totals: CreditReviewTotals = await stack.client.workflow
    .getHandle(run!.action.workflow.workflowId, run!.action.workflow.firstExecutionRunId)
    .result();
  await schedule.delete();
  return totals;
}
