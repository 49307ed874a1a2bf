import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema.js';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { recordHistory } from '../support/record-history.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

// Disputes, promises to pay and write-offs over HTTP: the rules a client meets (roles, validation, idempotency, refusals) and
// the invoice's workflow taking each as an Update. Their effect on dunning over weeks is tested on the
// time-skipping server (test/workflows/dunning.test.ts).
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ collections: { writeOffApprovalAbove: { EUR: 5_000 } } }); // EUR 50.00 alone
});
afterAll(async () => {
  await stack?.close();
});

async function openInvoice(): Promise<{ id: string; number: string; balance: number; orderId: string }> {
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
  return { ...(order.invoices[0] as { id: string; number: string; balance: number }), orderId: created.body.id };
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

    const assign = (owner: string) =>
      stack.http('PUT', `/v1/disputes/${disputeId}/owner`, {
        key: stack.keys.finance,
        body: { owner, reason: 'warehouse claims desk takes damaged goods' },
      });
    expect((await assign('claims-desk')).body.dispute.owner).toBe('claims-desk');
    const owned = await stack.http('GET', '/v1/disputes?owner=claims-desk', { key: stack.keys.finance });
    expect(owned.body.disputes.map((d: { id: string }) => d.id)).toEqual([disputeId]);

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

    const today = new Date().toISOString().slice(0, 10);
    const report = await stack.http('GET', `/v1/disputes/report?from=${today}&to=${today}`, {
      key: stack.keys.finance,
    });
    const damaged = report.body.byReason.find((r: { key: string }) => r.key === 'damaged');
    expect(damaged).toMatchObject({ currency: 'EUR', opened: expect.any(Number), resolved: expect.any(Number) });
    expect(damaged.byResolution.credit_note).toBeGreaterThanOrEqual(1);
    expect(damaged.amount).toBeGreaterThanOrEqual(1_050);
    expect(damaged.meanCycleDays).toBeGreaterThanOrEqual(0);
    expect(report.body.byWarehouse.map((r: { key: string }) => r.key)).toContain('main');
    const backwards = await stack.http('GET', `/v1/disputes/report?from=${today}&to=2020-01-01`, {
      key: stack.keys.finance,
    });
    expect([backwards.status, backwards.body.error.field]).toEqual([400, 'to']);

    await recordHistory(stack.client, `invoice:${invoice.id}`, 'invoice-disputed-credited');

    const detail = await stack.http('GET', `/v1/disputes/${disputeId}`, { key: stack.keys.finance });
    expect(detail.body.history.map((h: { action: string; actor: string }) => [h.action, h.actor])).toEqual([
      ['dispute.open', 'test-integration'],
      ['dispute.assign', 'test-finance'],
      ['dispute.resolve', 'test-finance'],
    ]);
    const late = await assign('someone-else');
    expect([late.status, late.body.error.code]).toEqual([409, 'DISPUTE_NOT_OPEN']);
  });

  it('takes two disputes raised at once in turn: together they never claim more than is owed', async () => {
    const invoice = await openInvoice(); // 6,050
    const raise = (key: string) =>
      stack.http('POST', `/v1/invoices/${invoice.id}/disputes`, {
        key: stack.keys.finance,
        body: { reasonCode: 'price', amount: 4_000, note: `price query ${key}` },
        headers: { 'idempotency-key': key },
      });
    const answers = await Promise.all([raise('both-1'), raise('both-2')]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422]);
    expect(answers.find((a) => a.status === 422)!.body.error.code).toBe('DISPUTE_EXCEEDS_BALANCE');
    const queue = await stack.http('GET', `/v1/disputes?reasonCode=price`, { key: stack.keys.finance });
    expect(queue.body.disputes.filter((d: { invoiceId: string }) => d.invoiceId === invoice.id)).toHaveLength(1);
    expect(answers.find((a) => a.status === 201)!.body.invoice.disputedAmount).toBe(4_000);
  });

  it('closes a dispute still open when the invoice is paid after all: it leaves the queue, audited', async () => {
    const invoice = await openInvoice(); // 6,050
    const raised = await stack.http('POST', `/v1/invoices/${invoice.id}/disputes`, {
      key: stack.keys.finance,
      body: { reasonCode: 'quantity', amount: 1_250, note: 'one basket short' },
      headers: { 'idempotency-key': `short-${invoice.id}` },
    });
    const disputeId = raised.body.dispute.id as string;
    const { customerId } = (await stack.http('GET', `/v1/invoices/${invoice.id}`)).body;
    const paid = await stack.http('POST', '/v1/payments/manual', {
      key: stack.keys.finance,
      body: {
        receiptNumber: `CHQ-${disputeId.slice(0, 8)}`,
        customerId,
        amount: 6_050,
        currency: 'EUR',
        method: 'cheque',
        invoiceNumber: invoice.number,
      },
    });
    expect(paid.status).toBe(201);
    const { dispute, history } = await eventually(
      async () => (await stack.http('GET', `/v1/disputes/${disputeId}`, { key: stack.keys.finance })).body,
      (d) => d.dispute.status === 'resolved',
    );
    expect(dispute).toMatchObject({ resolution: 'settled_with_invoice', resolvedBy: 'system' });
    expect(history.map((h: { action: string; actor: string }) => [h.action, h.actor])).toEqual([
      ['dispute.open', 'test-finance'],
      ['dispute.resolve', 'system'],
    ]);
    const queue = await stack.http('GET', '/v1/disputes?reasonCode=quantity', { key: stack.keys.finance });
    expect(queue.body.disputes.map((d: { id: string }) => d.id)).not.toContain(disputeId);
    const result = await stack.client.workflow.getHandle(`invoice:${invoice.id}`).result();
    expect(result).toMatchObject({ status: 'paid', disputedAmount: 0 });
    await recordHistory(stack.client, `invoice:${invoice.id}`, 'invoice-dispute-closed-with-payment');
  });

  it('disputes invoice lines: the amount is theirs, the credit note credits exactly them, reported by product', async () => {
    const invoice = await openInvoice(); // one line: 4 baskets at 12.50
    const raise = (body: unknown, key: string) =>
      stack.http('POST', `/v1/invoices/${invoice.id}/disputes`, {
        key: stack.keys.finance,
        body: { reasonCode: 'quantity', note: 'one basket short', ...(body as object) },
        headers: { 'idempotency-key': key },
      });
    const both = await raise({ amount: 100, lines: [{ lineNo: 1, quantity: 1 }] }, 'l-both');
    expect([both.status, both.body.error.field]).toEqual([400, 'lines']);
    const noLine = await raise({ lines: [{ lineNo: 9, quantity: 1 }] }, 'l-9');
    expect([noLine.status, noLine.body.error.code, noLine.body.error.field]).toEqual([
      422,
      'INVALID_DISPUTE',
      'lines.0.lineNo',
    ]);
    const tooMany = await raise({ lines: [{ lineNo: 1, quantity: 5 }] }, 'l-5');
    expect([tooMany.status, tooMany.body.error.field]).toEqual([422, 'lines.0.quantity']);

    const raised = await raise({ lines: [{ lineNo: 1, quantity: 1 }] }, 'l-1');
    expect(raised.status).toBe(201);
    const { dispute } = raised.body;
    expect(dispute.amount).toBe(1_513); // 12.50 + 21 % VAT (2.625, rounded half up)
    expect(dispute.lines).toEqual([{ lineNo: 1, quantity: 1, sku: expect.stringMatching(/^SKU-/) }]);
    const resolved = await stack.http('POST', `/v1/disputes/${dispute.id}/resolve`, {
      key: stack.keys.finance,
      body: { resolution: 'credit_note', note: 'short-shipped, credited' },
    });
    const creditNote = await stack.http('GET', `/v1/invoices/${resolved.body.dispute.creditNoteId}`);
    expect(creditNote.body).toMatchObject({ total: 1_513, lines: [expect.objectContaining({ quantity: 1 })] });

    const today = new Date().toISOString().slice(0, 10);
    const report = await stack.http('GET', `/v1/disputes/report?from=${today}&to=${today}`, {
      key: stack.keys.finance,
    });
    expect(report.body.byProduct).toContainEqual({ sku: dispute.lines[0].sku, disputes: 1, quantity: 1 });
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
    await recordHistory(stack.client, `invoice:${invoice.id}`, 'invoice-promised');
  });
  it('writes off alone up to the limit, above it only with a second person, and closes the receivable', async () => {
    const invoice = await openInvoice(); // 6,050
    const writeOff = (body: unknown, key: string, apiKey = stack.keys.finance) =>
      stack.http('POST', `/v1/invoices/${invoice.id}/write-off`, {
        key: apiKey,
        body,
        headers: { 'idempotency-key': key },
      });
    expect((await writeOff({ reason: 'bankrupt' }, 'w-0', stack.keys.integration)).status).toBe(403);
    const tooMuch = await writeOff({ reason: 'bankrupt', amount: 6_051 }, 'w-much');
    expect([tooMuch.status, tooMuch.body.error.code, tooMuch.body.error.field]).toEqual([
      422,
      'WRITE_OFF_EXCEEDS_BALANCE',
      'amount',
    ]);

    const small = await writeOff({ reason: 'bank charges never paid', amount: 1_000 }, 'w-1');
    expect(small.status).toBe(201);
    expect(small.body.writeOff).toMatchObject({
      status: 'applied',
      amount: 1_000,
      vatAmount: 174,
      requestedBy: 'test-finance',
    });
    await eventually(
      async () => (await stack.http('GET', `/v1/invoices/${invoice.id}`)).body,
      (i) => i.balance === 5_050 && i.status === 'open',
    );

    const rest = await writeOff(
      { reason: 'customer bankrupt, curator confirms nothing for unsecured creditors' },
      'w-2',
    );
    expect(rest.status).toBe(202);
    expect(rest.body.writeOff).toMatchObject({ status: 'pending_approval', amount: 5_050, vatAmount: 876 });
    const id = rest.body.writeOff.id as string;
    const pending = await stack.http('GET', '/v1/write-offs?status=pending_approval', { key: stack.keys.finance });
    expect(pending.body.writeOffs.map((w: { id: string }) => w.id)).toContain(id);
    expect((await stack.http('GET', `/v1/invoices/${invoice.id}`)).body.balance).toBe(5_050); // nothing applied yet

    const approve = (apiKey: string) =>
      stack.http('POST', `/v1/write-offs/${id}/approve`, { key: apiKey, body: { note: 'checked the curator letter' } });
    expect((await approve(stack.keys.finance)).status).toBe(403);
    const approved = await approve(stack.keys.admin);
    expect(approved.body.writeOff).toMatchObject({ status: 'applied', approvedBy: 'test-admin' });
    expect((await approve(stack.keys.admin)).body.writeOff.status).toBe('applied'); // again: unchanged

    // The receivable closes as written off, and with it the order: no workflow left open on a lost debt.
    const order = await eventually(
      async () => (await stack.http('GET', `/v1/orders/${invoice.orderId}`, { key: stack.keys.finance })).body,
      (o) => o.status === 'completed',
    );
    expect(order.invoices[0]).toMatchObject({ status: 'written_off', balance: 0 });
    expect((await stack.client.workflow.getHandle(`invoice:${invoice.id}`).describe()).status.name).toBe('COMPLETED');
    const audited = await stack.db
      .select({ action: auditLog.action, actor: auditLog.actor })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'invoice'), eq(auditLog.entityId, invoice.id)))
      .orderBy(asc(auditLog.id));
    expect(audited.map((a) => `${a.action} by ${a.actor}`)).toEqual([
      'write_off.request by test-finance',
      'write_off.request by test-finance',
      'write_off.approve by test-admin',
    ]);
  });

  it('does not let one person approve their own large write-off', async () => {
    const invoice = await openInvoice();
    const asked = await stack.http('POST', `/v1/invoices/${invoice.id}/write-off`, {
      key: stack.keys.admin,
      body: { reason: 'uncollectable' },
      headers: { 'idempotency-key': 'w-self' },
    });
    expect(asked.status).toBe(202);
    const own = await stack.http('POST', `/v1/write-offs/${asked.body.writeOff.id}/approve`, {
      key: stack.keys.admin,
      body: {},
    });
    expect([own.status, own.body.error.code]).toEqual([409, 'FOUR_EYES_REQUIRED']);
  });
});
