import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { dunningLetters, invoices } from '../../db/schema.js';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { pdftotextTool } from '../support/host-tools.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function invoicedOrder(customerId: string, sku: string, quantity: number) {
  const created = await stack.http('POST', '/v1/orders', {
    key: stack.keys.integration,
    headers: { 'idempotency-key': randomUUID() },
    body: orderBody(customerId, sku, quantity),
  });
  const order = await eventually(
    async () => (await stack.http('GET', `/v1/orders/${created.body.id}`)).body,
    (o) => o.status === 'awaiting_payment',
  );
  return order.invoices[0];
}

describe('receivables', () => {
  it('lists a customer’s invoices, filtered and a page at a time, and gives a statement with aging buckets', async () => {
    const { customerId, sku } = await customerWithProduct(stack, { unitPrice: 1_000 });
    const old = await invoicedOrder(customerId, sku, 3);
    const recent = await invoicedOrder(customerId, sku, 2);
    // 3,000 and 2,000 net plus 21 % VAT. The first invoice fell due 45 days ago; the second is partly paid.
    await stack.db
      .update(invoices)
      .set({ dueDate: sql`current_date - 45` })
      .where(eq(invoices.id, old.id));
    await stack.http('POST', '/v1/payments', {
      key: stack.keys.integration,
      body: { invoiceNumber: recent.number, amount: 500, currency: 'EUR', method: 'card', externalId: randomUUID() },
    });

    const all = await stack.http('GET', `/v1/invoices?customerId=${customerId}`);
    expect(all.body.invoices.map((i: any) => i.number)).toEqual([recent.number, old.number]);
    expect(all.body.next).toBeUndefined();
    const overdue = await stack.http('GET', `/v1/invoices?customerId=${customerId}&overdue=true`);
    expect(overdue.body.invoices.map((i: any) => i.number)).toEqual([old.number]);
    expect((await stack.http('GET', `/v1/invoices?customerId=${customerId}&status=paid`)).body.invoices).toEqual([]);

    const first = await stack.http('GET', `/v1/invoices?customerId=${customerId}&limit=1`);
    expect(first.body).toMatchObject({ invoices: [{ number: recent.number, balance: 1_920 }], next: recent.id });
    const second = await stack.http('GET', `/v1/invoices?customerId=${customerId}&limit=1&after=${first.body.next}`);
    expect(second.body).toEqual({ invoices: [expect.objectContaining({ number: old.number })] });

    const statement = await stack.http('GET', `/v1/customers/${customerId}/statement`, { key: stack.keys.finance });
    expect(statement.body.lines.map((l: any) => [l.invoiceNumber, l.balance, l.daysOverdue, l.bucket])).toEqual([
      [old.number, 3_630, 45, 'd31_60'],
      [recent.number, 1_920, 0, 'current'],
    ]);
    expect(statement.body.totals.EUR).toEqual({
      current: 1_920,
      d1_30: 0,
      d31_60: 3_630,
      d61_90: 0,
      d90_plus: 0,
      total: 5_550,
    });

    // The account as one timeline, newest first: the payment last received comes first.
    const activity = await stack.http('GET', `/v1/customers/${customerId}/activity`, { key: stack.keys.collector });
    expect(activity.body.events[0]).toMatchObject({
      kind: 'payment_received',
      amount: 500,
      currency: 'EUR',
      detail: 'card',
    });
    expect(activity.body.events.map((e: any) => [e.kind, e.invoiceNumber]).sort()).toEqual(
      [
        ['order_placed', null],
        ['order_placed', null],
        ['invoice_issued', old.number],
        ['invoice_issued', recent.number],
        ['payment_received', null],
      ].sort(),
    );
    const newest = await stack.http('GET', `/v1/customers/${customerId}/activity?limit=2`);
    expect(newest.body.events).toEqual(activity.body.events.slice(0, 2));

    // One order's timeline: its invoice, the part of the payment applied to it, and the letters that named it. The
    // letters as a dunning run writes them: one naming both invoices, one naming only the other order's.
    const letter = (runAt: string, listed: { id: string; number: string }[]) => ({
      customerId,
      legalEntity: 'NL1',
      runAt,
      level: 1,
      levelName: 'reminder',
      items: listed.map((i) => ({ invoiceId: i.id, invoiceNumber: i.number })),
      payBy: '2027-01-01',
      sentTo: 'ap@devries.example',
    });
    await stack.db
      .insert(dunningLetters)
      .values([
        letter(new Date(Date.now() + 1_000).toISOString(), [old, recent]),
        letter(new Date(Date.now() + 2_000).toISOString(), [old]),
      ]);
    const ofOrder = await stack.http('GET', `/v1/orders/${recent.orderId}/activity`, { key: stack.keys.collector });
    expect(ofOrder.body.events.map((e: any) => [e.kind, e.invoiceNumber, e.amount, e.detail])).toEqual([
      ['letter_sent', recent.number, null, 'reminder'],
      ['payment_received', recent.number, 500, 'card'],
      ['invoice_issued', recent.number, recent.total, recent.dueDate],
      ['order_placed', null, 2_000, 'awaiting_payment'], // an order's total is net of VAT
    ]);
    expect((await stack.http('GET', `/v1/orders/${randomUUID()}/activity`)).status).toBe(404);

    // The statement as the (Dutch) customer gets it, from its seller.
    const pdf = await fetch(`${stack.apiUrl}/v1/customers/${customerId}/statement/pdf`, {
      headers: { authorization: `Bearer ${stack.keys.finance}` },
    });
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    const text = execFileSync(pdftotextTool.require(), ['-enc', 'UTF-8', '-', '-'], {
      input: Buffer.from(await pdf.arrayBuffer()),
    })
      .toString('utf8')
      .replace(/\s+/g, ' ');
    for (const expected of [
      'Rekeningoverzicht',
      old.number,
      recent.number,
      'EUR 36,30',
      'EUR 19,20',
      'EUR 19,20 0,00 36,30 0,00 0,00 55,50',
    ]) {
      expect(text).toContain(expected);
    }
    const elsewhere = await stack.http('GET', `/v1/customers/${customerId}/statement/pdf?legalEntity=NOPE`);
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([422, 'UNKNOWN_LEGAL_ENTITY']);
  });

  it('finds a customer by part of its name or e-mail, by VAT id or by id, names starting with the text first', async () => {
    const tag = `T${randomUUID().slice(0, 6)}`;
    const kaas = await customerWithProduct(stack, { name: `Kaasboer ${tag} B.V.` });
    const groot = await customerWithProduct(stack, { name: `Groothandel Kaasboer_${tag}` });
    const other = await customerWithProduct(stack, { name: `${tag} Bakker` });
    const names = async (q: string) =>
      (await stack.http('GET', `/v1/customers?q=${encodeURIComponent(q)}`)).body.customers.map((c: any) => c.name);

    expect(await names(`kaasboer ${tag}`)).toEqual([`Kaasboer ${tag} B.V.`]);
    // Prefix matches first; _ is a character here, not LIKE's wildcard.
    expect(await names(`boer_${tag}`)).toEqual([`Groothandel Kaasboer_${tag}`]);
    expect(await names(tag)).toEqual([`${tag} Bakker`, `Groothandel Kaasboer_${tag}`, `Kaasboer ${tag} B.V.`]);
    expect(await names(`Kaas`)).toEqual(
      expect.arrayContaining([`Kaasboer ${tag} B.V.`, `Groothandel Kaasboer_${tag}`]),
    );
    const byId = await stack.http('GET', `/v1/customers?q=${other.customerId}`);
    expect(byId.body.customers).toEqual([
      {
        id: other.customerId,
        name: `${tag} Bakker`,
        country: 'NL',
        currency: 'EUR',
        email: expect.any(String),
        vatId: 'NL987654321B01',
      },
    ]);
    const email = (await stack.http('GET', `/v1/customers/${kaas.customerId}`)).body.email;
    expect(await names(email.toUpperCase())).toEqual([`Kaasboer ${tag} B.V.`]);
    expect(
      (await stack.http('GET', `/v1/customers?q=NL 9876.54321 b01&limit=50`)).body.customers.length,
    ).toBeGreaterThanOrEqual(3);
    expect(groot.customerId).not.toBe(kaas.customerId);
    expect((await stack.http('GET', '/v1/customers?q=k')).body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'q',
    });
  });

  it('rejects bad filters naming the field', async () => {
    expect((await stack.http('GET', '/v1/invoices?overdue=maybe')).body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'overdue',
    });
    expect((await stack.http('GET', '/v1/invoices?limit=0')).body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'limit',
    });
    expect(
      (await stack.http('GET', `/v1/customers/${randomUUID()}/statement?asOf=yesterday`)).body.error,
    ).toMatchObject({ code: 'VALIDATION_FAILED', field: 'asOf' });
    expect((await stack.http('GET', `/v1/customers/${randomUUID()}/statement`)).status).toBe(404);
  });
});
