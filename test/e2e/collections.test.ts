import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

// Disputes and promises to pay over HTTP: the rules a client meets (roles, validation, idempotency, refusals) and
// the invoice's workflow taking each as an Update. Their effect on dunning over weeks is tested on the
// time-skipping server (test/workflows/dunning.test.ts).
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function openInvoice() {
  const { customerId, sku } = await customerWithProduct(stack, { unitPrice: 1250 });
  const created = await stack.http('POST', '/v1/orders', {
    key: stack.keys.integration,
    headers: { 'idempotency-key': `collections-${customerId}` },
    body: orderBody(customerId, sku, 4),
  });
  const order = await eventually(
    async () => (await stack.http('GET', `/v1/orders/${created.body.id}`, { key: stack.keys.finance })).body,
    (o) => o.status === 'awaiting_payment',
  );
  return order.invoices[0] as { id: string; number: string; balance: number };
}

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

describe('disputes and promises to pay over HTTP', () => {
  it('raises a dispute idempotently, queues it, and resolves it with a credit note, audited', async () => {
    const invoice = await openInvoice(); // 6,050 with VAT
    const raise = (body: unknown, key: string | null = 'd-1', apiKey = stack.keys.integration) =>
      stack.http('POST', `/v1/invoices/${invoice.id}/disputes`, {
        key: apiKey,
        body,
        headers: key ? { 'idempotency-key': key } : {},
      });
    const body = { reasonCode: 'damaged', amount: 1_050, note: 'one basket arrived torn' };

    expect((await raise(body, null)).body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'idempotency-key',
    });
    expect((await raise({ ...body, reasonCode: 'late' })).body.error).toMatchObject({ field: 'reasonCode' });
    const tooMuch = await raise({ ...body, amount: 6_051 }, 'd-too-much');
    expect([tooMuch.status, tooMuch.body.error.code, tooMuch.body.error.field]).toEqual([
      422,
      'DISPUTE_EXCEEDS_BALANCE',
      'amount',
    ]);

    const raised = await raise(body);
    expect(raised.status).toBe(201);
    expect(raised.body.dispute).toMatchObject({
      invoiceId: invoice.id,
      reasonCode: 'damaged',
      amount: 1_050,
      status: 'open',
      owner: 'accounts-receivable',
      openedBy: 'test-integration',
      ageDays: 0,
      overdue: false,
    });
    expect(raised.body.dispute.openedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(raised.body.invoice).toMatchObject({ balance: 6_050, disputedAmount: 1_050 });
    const again = await raise(body);
    expect([again.status, again.body.dispute.id]).toEqual([200, raised.body.dispute.id]);

    const disputeId = raised.body.dispute.id as string;
    expect((await stack.http('GET', '/v1/disputes', { key: stack.keys.integration })).status).toBe(403);
    const queue = await stack.http('GET', '/v1/disputes?reasonCode=damaged', { key: stack.keys.finance });
    expect(queue.body.disputes.map((d: { id: string }) => d.id)).toContain(disputeId);
    const priced = await stack.http('GET', '/v1/disputes?reasonCode=price', { key: stack.keys.finance });
    expect(priced.body.disputes.map((d: { id: string }) => d.id)).not.toContain(disputeId);

    const resolve = (b: unknown) =>
      stack.http('POST', `/v1/disputes/${disputeId}/resolve`, { key: stack.keys.finance, body: b });
    const mixed = await resolve({ resolution: 'credit_note', lines: [{ lineNo: 1, quantity: 1 }], note: 'x' });
    expect([mixed.status, mixed.body.error.field]).toEqual([400, 'lines']);
    const resolved = await resolve({ resolution: 'credit_note', note: 'credited the torn basket' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.dispute).toMatchObject({
      status: 'resolved',
      resolution: 'credit_note',
      resolvedBy: 'test-finance',
    });
    const creditNote = await stack.http('GET', `/v1/invoices/${resolved.body.dispute.creditNoteId}`);
    expect(creditNote.body).toMatchObject({ type: 'credit_note', correctsInvoiceId: invoice.id, total: 1_050 });
    expect((await stack.http('GET', `/v1/invoices/${invoice.id}`)).body.balance).toBe(5_000);
    const twice = await resolve({ resolution: 'rejected', note: 'changed my mind' });
    expect(twice.body.dispute).toMatchObject({ resolution: 'credit_note' }); // answered as it was resolved

    const detail = await stack.http('GET', `/v1/disputes/${disputeId}`, { key: stack.keys.finance });
    expect(detail.body.history.map((h: { action: string; actor: string }) => [h.action, h.actor])).toEqual([
      ['dispute.open', 'test-integration'],
      ['dispute.resolve', 'test-finance'],
    ]);
  });

  it('records a promise to pay once, refusing a past date, too much, or a second open promise', async () => {
    const invoice = await openInvoice();
    const promise = (body: unknown, key: string, apiKey = stack.keys.finance) =>
      stack.http('POST', `/v1/invoices/${invoice.id}/promises`, {
        key: apiKey,
        body,
        headers: { 'idempotency-key': key },
      });
    const body = { date: tomorrow(), amount: 6_050, note: 'will pay after their payment run' };

    expect((await promise(body, 'p-1', stack.keys.integration)).status).toBe(403);
    const past = await promise({ ...body, date: '2020-01-01' }, 'p-past');
    expect([past.status, past.body.error.code, past.body.error.field]).toEqual([422, 'PROMISE_DATE_PASSED', 'date']);
    const tooMuch = await promise({ ...body, amount: 6_051 }, 'p-much');
    expect([tooMuch.status, tooMuch.body.error.code]).toEqual([422, 'PROMISE_EXCEEDS_BALANCE']);

    const made = await promise(body, 'p-1');
    expect(made.status).toBe(201);
    expect(made.body.invoice.promise).toMatchObject({ amount: 6_050, promiseId: made.body.promise.id });
    expect((await promise(body, 'p-1')).body.promise.id).toBe(made.body.promise.id); // the same request again
    const second = await promise({ ...body, amount: 100 }, 'p-2');
    expect([second.status, second.body.error.code]).toEqual([409, 'PROMISE_OPEN']);
  });
});
