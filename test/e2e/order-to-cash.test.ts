import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmountOutstanding, CustomerId, InvoiceNumber, OrderStatus } from '../../temporal/search-attributes.js';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { simpleParser } from 'mailparser';
import { recordHistory } from '../support/record-history.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const getOrder = async (id: string) => (await stack.http('GET', `/v1/orders/${id}`, { key: stack.keys.finance })).body;

describe('order to cash over HTTP', () => {
  it('ships, invoices, is paid through POST /v1/payments and completes', async () => {
    const { customerId, sku } = await customerWithProduct(stack, { unitPrice: 1250 });
    const created = await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': 'happy-1' },
      body: orderBody(customerId, sku, 4),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'received', workflowId: `order:${created.body.id}` });

    // The warehouse stand-in dispatches through the webhook; the order is invoiced and waits for payment.
    const awaiting = await eventually(
      () => getOrder(created.body.id),
      (o) => o.status === 'awaiting_payment',
    );
    expect(awaiting.total).toBe(5000);
    expect(awaiting.shipments).toEqual([expect.objectContaining({ warehouse: 'main', status: 'dispatched' })]);
    const [invoice] = awaiting.invoices;
    expect(invoice).toMatchObject({
      netTotal: 5000,
      vatTotal: 1050,
      total: 6050,
      balance: 6050,
      currency: 'EUR',
      status: 'open',
      dunningLevel: 0,
    });
    expect(invoice.number).toMatch(/^NL1-INV-\d{4}-\d{6}$/);
    expect(invoice.paymentReference).toMatch(/^RF\d{2}/);

    const stock = await stack.http('GET', `/v1/products/${sku}`);
    expect(stock.body.stock).toEqual([{ warehouse: 'main', onHand: 996, reserved: 0, available: 996 }]);

    // A partial payment reduces the balance; the rest settles it.
    const partial = await stack.http('POST', '/v1/payments', {
      key: stack.keys.integration,
      body: {
        invoiceNumber: invoice.number,
        amount: 2000,
        currency: 'EUR',
        method: 'sepa_credit_transfer',
        externalId: `bank-${invoice.number}-1`,
      },
    });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({
      matchStatus: 'matched',
      applied: 2000,
      unapplied: 0,
      allocations: [{ invoiceId: invoice.id, invoiceNumber: invoice.number, amount: 2000 }],
    });
    expect((await stack.http('GET', `/v1/invoices/${invoice.id}`)).body.balance).toBe(4050);
    const repeat = await stack.http('POST', '/v1/payments', {
      key: stack.keys.integration,
      body: {
        invoiceNumber: invoice.number,
        amount: 2000,
        currency: 'EUR',
        method: 'sepa_credit_transfer',
        externalId: `bank-${invoice.number}-1`,
      },
    });
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ id: partial.body.id, applied: 2000 });

    const rest = await stack.http('POST', '/v1/payments', {
      key: stack.keys.integration,
      body: {
        invoiceNumber: invoice.number,
        amount: 4550,
        currency: 'EUR',
        method: 'card',
        externalId: `psp-${invoice.number}-2`,
      },
    });
    expect(rest.body).toMatchObject({ matchStatus: 'partially_matched', applied: 4050, unapplied: 500 });

    const completed = await eventually(
      () => getOrder(created.body.id),
      (o) => o.status === 'completed',
    );
    expect(completed.invoices[0]).toMatchObject({ status: 'paid', balance: 0 });
    const inv = await stack.http('GET', `/v1/invoices/${invoice.id}`);
    expect(inv.body).toMatchObject({
      number: invoice.number,
      status: 'paid',
      lines: [expect.objectContaining({ sku, quantity: 4, lineTotal: 5000, vatCategory: 'S', vatRateBp: 2100 })],
    });
    const handle = stack.client.workflow.getHandle(`order:${created.body.id}`);
    expect(await handle.result()).toBe('completed');
    expect((await handle.describe()).typedSearchAttributes.get(OrderStatus)).toBe('completed');
    const invoiceAttributes = (await stack.client.workflow.getHandle(`invoice:${invoice.id}`).describe())
      .typedSearchAttributes;
    expect([
      invoiceAttributes.get(InvoiceNumber),
      invoiceAttributes.get(AmountOutstanding),
      invoiceAttributes.get(CustomerId),
    ]).toEqual([invoice.number, 0, customerId]);
    // Order confirmation and dispatch notice in the customer's language; paid before due, so no dunning letter.
    const mails = await Promise.all(
      stack.smtp.messages.filter((m) => m.raw.includes(created.body.id)).map((m) => simpleParser(m.raw)),
    );
    expect(mails.map((m) => m.subject)).toEqual([
      `Orderbevestiging: ${created.body.id}`,
      `Uw bestelling is verzonden: ${created.body.id}`,
    ]);
    expect(mails[1]!.text).toContain(`Track-and-tracecode: ${completed.shipments[0].trackingNumber}`);
    await recordHistory(stack.client, `order:${created.body.id}`, 'order-paid-in-two-payments');
    await recordHistory(stack.client, `invoice:${invoice.id}`, 'invoice-paid-in-two-payments');
  });

  it('puts an order over the credit limit on hold until finance approves it', async () => {
    const { customerId, sku } = await customerWithProduct(stack, { creditLimit: 10_000, unitPrice: 3000 });
    const created = await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': 'hold-1' },
      body: orderBody(customerId, sku, 5),
    });
    const held = await eventually(
      () => getOrder(created.body.id),
      (o) => o.status === 'credit_hold',
    );
    expect(held.creditDecision).toMatchObject({
      outcome: 'hold',
      reasons: ['OVER_LIMIT', 'NEW_CUSTOMER'],
      exposure: 18_150, // 150.00 + 21 % VAT
      inputs: { account: { creditLimit: 10_000 } },
    });

    const byIntegration = await stack.http('POST', `/v1/orders/${created.body.id}/credit-decision`, {
      key: stack.keys.integration,
      body: { decision: 'approve', reason: 'known customer' },
    });
    expect(byIntegration.status).toBe(403);

    const approved = await stack.http('POST', `/v1/orders/${created.body.id}/credit-decision`, {
      key: stack.keys.finance,
      body: { decision: 'approve', reason: 'Long-standing customer, limit review pending' },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ id: created.body.id, status: 'fulfilling', exposure: 18_150, headroom: 10_000 });

    const again = await stack.http('POST', `/v1/orders/${created.body.id}/credit-decision`, {
      key: stack.keys.finance,
      body: { decision: 'reject', reason: 'changed my mind' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NOT_ON_CREDIT_HOLD');

    const awaiting = await eventually(
      () => getOrder(created.body.id),
      (o) => o.status === 'awaiting_payment',
    );
    expect(awaiting.creditDecision.manual).toMatchObject({ decision: 'approve', actor: 'test-finance' });
    const audit = await stack.db.query.auditLog.findFirst({ where: (a, { eq }) => eq(a.entityId, created.body.id) });
    expect(audit).toMatchObject({
      actor: 'test-finance',
      action: 'credit.approve',
      reason: 'Long-standing customer, limit review pending',
    });
    await recordHistory(stack.client, `order:${created.body.id}`, 'order-credit-hold-approved');
  });
});
