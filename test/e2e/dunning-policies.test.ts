import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWarehouse } from '../../db/products.js';
import { auditLog, dunningEvents } from '../../db/schema.js';
import { invoiceStateQuery } from '../../workflows/messages.js';
import { eventually, startStack, type Stack } from '../support/stack.js';

// Dunning policies as data over HTTP: stored per segment or per customer, validated and audited, and read by the
// receivables issued after, here with policies of seconds and a dunning run every second.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ dunningRunEveryMs: 1_000, dispatchDelayMs: 100 });
  await ensureWarehouse(stack.db, { code: 'main', name: 'Main warehouse', country: 'NL' });
});
afterAll(async () => {
  await stack?.close();
});

const put = (id: string, body: unknown, key = stack.keys.finance) =>
  stack.http('PUT', `/v1/dunning-policies/${id}`, { key, body });
const secondsPolicy = (appliesTo: unknown, levels: unknown[]) => ({ appliesTo, levels, reason: 'test' });

async function newCustomer(body: Record<string, unknown>) {
  const customer = await stack.http('POST', '/v1/customers', {
    key: stack.keys.finance,
    body: {
      name: 'Fjord Logistikk AS',
      country: 'NL',
      currency: 'EUR',
      email: `ap-${randomUUID().slice(0, 8)}@fjord.example`,
      language: 'en',
      creditLimit: 1_000_000,
      paymentTermsDays: 0,
      vatId: 'NL987654321B01',
      address: { street: 'Dorpsstraat 5', city: 'Utrecht', postalCode: '3512 AB' },
      ...body,
    },
  });
  expect(customer.status).toBe(201);
  return customer.body as { id: string; email: string; segment: string };
}

/** An order of one item, shipped and invoiced: its invoice's id. */
async function invoiceFor(customer: { id: string }) {
  const sku = `SKU-${randomUUID().slice(0, 8)}`;
  await stack.http('POST', '/v1/products', {
    key: stack.keys.integration,
    body: { sku, name: 'Pallet wrap', unitPrice: 1_000, currency: 'EUR', stock: [{ warehouse: 'main', quantity: 10 }] },
  });
  const order = await stack.http('POST', '/v1/orders', {
    key: stack.keys.integration,
    headers: { 'idempotency-key': `policies-${randomUUID()}` },
    body: { customerId: customer.id, lines: [{ sku, quantity: 1 }] },
  });
  const placed = await eventually(
    async () => (await stack.http('GET', `/v1/orders/${order.body.id}`, { key: stack.keys.finance })).body,
    (o) => o.status === 'awaiting_payment' || o.status === 'in_dunning',
  );
  return placed.invoices[0].id as string;
}

const levelsOf = (invoiceId: string) =>
  stack.db.select().from(dunningEvents).where(eq(dunningEvents.invoiceId, invoiceId)).orderBy(asc(dunningEvents.level));

describe('dunning policies as data', () => {
  it('validates a policy, naming the field and the rule, and lets finance alone change it', async () => {
    const levels = [
      { level: 1, name: 'reminder', offset: 'P14D' },
      { level: 2, name: 'second_reminder', offset: 'P7D' },
    ];
    const outOfOrder = await put('smb', secondsPolicy({ segment: 'small_business' }, levels));
    expect([outOfOrder.status, outOfOrder.body.error.code, outOfOrder.body.error.field]).toEqual([
      422,
      'INVALID_DUNNING_POLICY',
      'levels',
    ]);
    expect(outOfOrder.body.error.message).toMatch(/level 2: offset P7D must put it after level 1/);
    const badOffset = await put(
      'smb',
      secondsPolicy({ segment: 'small_business' }, [{ level: 1, name: 'r', offset: '14 days' }]),
    );
    expect([badOffset.status, badOffset.body.error.field]).toEqual([400, 'levels.0.offset']);
    const badSegment = await put('smb', secondsPolicy({ segment: 'vip' }, levels.slice(0, 1)));
    expect(badSegment.status).toBe(400);
    expect(
      (await put('smb', secondsPolicy({ segment: 'small_business' }, levels.slice(0, 1)), stack.keys.integration))
        .status,
    ).toBe(403);
    const unknown = await put('x1', secondsPolicy({ customerId: randomUUID() }, levels.slice(0, 1)));
    expect([unknown.status, unknown.body.error.code]).toEqual([422, 'UNKNOWN_CUSTOMER']);
  });

  it("duns a segment's customers by its stored policy, and a customer by its own over its segment's", async () => {
    const corporate = [
      { level: 1, name: 'reminder', offset: 'PT2S' },
      { level: 2, name: 'second_reminder', offset: 'PT1H', anchor: 'previous_level' },
    ];
    const created = await put('corporate-fast', secondsPolicy({ segment: 'corporate' }, corporate));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'corporate-fast',
      appliesTo: { segment: 'corporate' },
      updatedBy: 'test-finance',
    });
    expect((await put('corporate-fast', secondsPolicy({ segment: 'corporate' }, corporate))).status).toBe(200);
    const taken = await put('corporate-other', secondsPolicy({ segment: 'corporate' }, corporate));
    expect([taken.status, taken.body.error.code]).toEqual([409, 'POLICY_TARGET_TAKEN']);
    const listed = await stack.http('GET', '/v1/dunning-policies', { key: stack.keys.finance });
    expect(listed.body.policies.map((p: { id: string }) => p.id)).toContain('corporate-fast');
    expect(Object.keys(listed.body.builtIn)).toEqual(['small_business', 'corporate', 'high_risk', 'key_account']);
    const audited = await stack.db.select().from(auditLog).where(eq(auditLog.entityId, 'corporate-fast'));
    expect(audited.map((a) => a.action).sort()).toEqual(['dunning_policy.create', 'dunning_policy.update']);

    const customer = await newCustomer({ segment: 'corporate' });
    const invoiceId = await invoiceFor(customer);
    expect(customer.segment).toBe('corporate');
    const [reminder] = await eventually(
      () => levelsOf(invoiceId),
      (l) => l.length > 0,
      20_000,
    );
    expect(reminder).toMatchObject({ level: 1, name: 'reminder', policyId: 'corporate-fast' });
    const letter = await eventually(
      () =>
        Promise.all(stack.smtp.messages.filter((m) => m.to.includes(customer.email)).map((m) => simpleParser(m.raw))),
      (mails) => mails.some((m) => m.subject?.startsWith('Payment reminder')),
    );
    expect(letter.find((m) => m.subject?.startsWith('Payment reminder'))!.text).toContain(
      'we will send you a second reminder',
    );

    // A customer of the same segment with a policy of its own is dunned by that one; a policy stored after an
    // invoice was issued applies to the invoices after it (a receivable keeps the policy it started with).
    const own = await newCustomer({ segment: 'corporate' });
    const before = await invoiceFor(own);
    const ownId = `own-${own.id.slice(0, 8)}`;
    const mine = [{ level: 1, name: 'phone_follow_up', offset: 'PT1S' }];
    expect((await put(ownId, secondsPolicy({ customerId: own.id }, mine))).status).toBe(201);
    const after = await invoiceFor(own);
    const [first] = await eventually(
      () => levelsOf(before),
      (l) => l.length > 0,
      20_000,
    );
    const [second] = await eventually(
      () => levelsOf(after),
      (l) => l.length > 0,
      20_000,
    );
    expect([first!.policyId, second!.policyId, second!.name]).toEqual(['corporate-fast', ownId, 'phone_follow_up']);
  });

  it('does not dun below the minimum overdue amount', async () => {
    const levels = [{ level: 1, name: 'reminder', offset: 'PT1S', minimumOverdue: 1_000_000 }];
    expect((await put('high-risk-min', secondsPolicy({ segment: 'high_risk' }, levels))).status).toBe(201);
    const invoiceId = await invoiceFor(await newCustomer({ segment: 'high_risk' }));
    await new Promise((resolve) => setTimeout(resolve, 4_000)); // four times the offset
    expect(await levelsOf(invoiceId)).toEqual([]);
  });
  it('gives a key account a call task instead of a letter, worked from the worklist with a promise', async () => {
    const levels = [{ level: 1, name: 'reminder', offset: 'PT1S', channel: 'call_task' }];
    expect((await put('key-fast', secondsPolicy({ segment: 'key_account' }, levels))).status).toBe(201);
    const customer = await newCustomer({ segment: 'key_account' });
    const invoiceId = await invoiceFor(customer);
    const listed = await eventually(
      async () => (await stack.http('GET', '/v1/collections/worklist', { key: stack.keys.finance })).body.tasks,
      (tasks: { id: string; customerId: string; priority: number }[]) =>
        tasks.some((t) => t.customerId === customer.id),
      20_000,
    );
    const task = listed.find((t) => t.customerId === customer.id)!;
    expect(task).toMatchObject({
      levelName: 'reminder',
      status: 'open',
      items: [expect.objectContaining({ invoiceId, amountOutstanding: 1_210 })],
      account: { segment: 'key_account', riskClass: 'medium', overdueAmount: 1_210, lettersSent: [] },
    });
    expect(task.priority).toBe(24); // 12.10 x 2 (medium) x 1 day at least
    const mails = await Promise.all(
      stack.smtp.messages.filter((m) => m.to.includes(customer.email)).map((m) => simpleParser(m.raw)),
    );
    expect(mails.map((m) => m.subject).filter((s) => s?.startsWith('Payment reminder'))).toEqual([]); // no letter

    const complete = (body: unknown) =>
      stack.http('POST', `/v1/collections/tasks/${task.id}/complete`, { key: stack.keys.finance, body });
    const missing = await complete({ outcome: 'promised', note: 'pays Friday' });
    expect([missing.status, missing.body.error.field]).toEqual([400, 'promise']);
    const date = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const elsewhere = await complete({
      outcome: 'promised',
      note: 'pays Friday',
      promise: { invoiceId: randomUUID(), date, amount: 1_210 },
    });
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([422, 'NOT_ON_TASK']);
    const done = await complete({
      outcome: 'promised',
      note: 'pays Friday',
      promise: { invoiceId, date, amount: 1_210 },
    });
    expect(done.body.task).toMatchObject({ status: 'done', outcome: 'promised', completedBy: 'test-finance' });
    const state = await stack.client.workflow.getHandle(`invoice:${invoiceId}`).query(invoiceStateQuery);
    expect(state.promise).toMatchObject({ amount: 1_210 });
    const after = await stack.http('GET', '/v1/collections/worklist', { key: stack.keys.finance });
    expect(after.body.tasks.map((t: { id: string }) => t.id)).not.toContain(task.id);
  });
  it('attaches the letter as a PDF on the letter channel', async () => {
    const customer = await newCustomer({ language: 'de' });
    const levels = [{ level: 1, name: 'reminder', offset: 'PT1S', channel: 'letter' }];
    expect(
      (await put(`paper-${customer.id.slice(0, 8)}`, secondsPolicy({ customerId: customer.id }, levels))).status,
    ).toBe(201);
    await invoiceFor(customer);
    const mails = await eventually(
      () =>
        Promise.all(stack.smtp.messages.filter((m) => m.to.includes(customer.email)).map((m) => simpleParser(m.raw))),
      (all) => all.some((m) => m.subject?.startsWith('Zahlungserinnerung')),
      20_000,
    );
    const reminder = mails.find((m) => m.subject?.startsWith('Zahlungserinnerung'))!;
    expect(reminder.attachments.map((a) => [a.contentType, a.filename])).toEqual([
      ['application/pdf', expect.stringMatching(/^Zahlungserinnerung \d{4}-\d{2}-\d{2}\.pdf$/)],
    ]);
    expect(reminder.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('posts the statutory compensation with its level, lists it on the statement, and lets finance waive it', async () => {
    const refused = await stack.http('POST', '/v1/customers', {
      key: stack.keys.finance,
      body: {
        name: 'Jansen',
        country: 'NL',
        currency: 'EUR',
        email: 'jansen@example.nl',
        language: 'nl',
        creditLimit: 0,
        paymentTermsDays: 14,
        kind: 'person',
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ field: 'kind', message: expect.stringContaining('business, consumer') });
    expect(
      (
        await put(
          'bad-charge',
          secondsPolicy({ segment: 'corporate' }, [{ level: 1, name: 'reminder', offset: 'PT1S', charges: ['fine'] }]),
        )
      ).status,
    ).toBe(400);

    const customer = await newCustomer({ kind: 'business' });
    const levels = [{ level: 1, name: 'reminder', offset: 'PT1S', charges: ['compensation', 'interest'] }];
    expect(
      (await put(`fees-${customer.id.slice(0, 8)}`, secondsPolicy({ customerId: customer.id }, levels))).status,
    ).toBe(201);
    const invoiceId = await invoiceFor(customer);
    const statementOf = async () =>
      (await stack.http('GET', `/v1/customers/${customer.id}/statement`, { key: stack.keys.finance })).body;
    const statement = await eventually(statementOf, (s) => s.charges.length > 0, 20_000);
    // Due today and reminded today: no day of interest yet, the EUR 40 at once.
    expect(statement.charges).toEqual([
      expect.objectContaining({ invoiceId, kind: 'compensation', level: 1, amount: 4_000, currency: 'EUR' }),
    ]);
    expect(statement.charges[0].basis).toMatchObject({ source: expect.stringContaining('6:96'), verified: true });
    expect(statement.chargeTotals).toEqual({ EUR: 4_000 });
    const letter = await eventually(
      () =>
        Promise.all(stack.smtp.messages.filter((m) => m.to.includes(customer.email)).map((m) => simpleParser(m.raw))),
      (all) => all.some((m) => m.subject?.startsWith('Payment reminder')),
      20_000,
    );
    expect(letter.find((m) => m.subject?.startsWith('Payment reminder'))!.text).toContain(
      '  + fixed compensation for recovery costs: EUR 40.00',
    );

    const chargeId = statement.charges[0].id as string;
    const waive = (key: string) =>
      stack.http('POST', `/v1/dunning-charges/${chargeId}/waive`, { key, body: { reason: 'first time, goodwill' } });
    expect((await waive(stack.keys.integration)).status).toBe(403);
    const waived = await waive(stack.keys.finance);
    expect(waived.status).toBe(200);
    expect(waived.body.charge).toMatchObject({ status: 'waived', waivedReason: 'first time, goodwill' });
    expect((await statementOf()).charges).toEqual([]);
    const [audit] = await stack.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.decisionKey, `dunning-charge:${chargeId}:waive`));
    expect(audit).toMatchObject({ action: 'dunning_charge.waive', entityId: invoiceId });
  });

  it('lets the customer pay the fee with the invoice in one payment, and a returned payment owes the fee again', async () => {
    const customer = await newCustomer({ kind: 'business' });
    const levels = [{ level: 1, name: 'reminder', offset: 'PT1S', charges: ['compensation'] }];
    expect(
      (await put(`pay-fee-${customer.id.slice(0, 8)}`, secondsPolicy({ customerId: customer.id }, levels))).status,
    ).toBe(201);
    const invoiceId = await invoiceFor(customer);
    const statementOf = async () =>
      (await stack.http('GET', `/v1/customers/${customer.id}/statement`, { key: stack.keys.finance })).body;
    const { charges } = await eventually(statementOf, (s) => s.charges.length > 0, 20_000);
    const invoice = (await stack.http('GET', `/v1/invoices/${invoiceId}`)).body;

    // The invoice and the EUR 40 compensation, referencing the invoice, as a customer who read the letter pays.
    const paid = await stack.http('POST', '/v1/payments/manual', {
      key: stack.keys.finance,
      body: {
        receiptNumber: `CHQ-${invoiceId.slice(0, 8)}`,
        customerId: customer.id,
        amount: invoice.balance + 4_000,
        currency: 'EUR',
        method: 'cheque',
        invoiceNumber: invoice.number,
      },
    });
    expect(paid).toMatchObject({
      status: 201,
      body: {
        matchStatus: 'matched',
        applied: invoice.balance,
        unapplied: 0,
        reasons: ['INVOICE_NUMBER_IN_TEXT', 'OVERPAYMENT', 'DUNNING_CHARGES'],
        charges: [{ chargeId: charges[0].id, kind: 'compensation', amount: 4_000, invoiceNumber: invoice.number }],
      },
    });
    const settled = await statementOf();
    expect([settled.charges, settled.chargeTotals]).toEqual([[], {}]);
    const waive = await stack.http('POST', `/v1/dunning-charges/${charges[0].id}/waive`, {
      key: stack.keys.finance,
      body: { reason: 'too late, it is paid' },
    });
    expect([waive.status, waive.body.error.code]).toEqual([409, 'CHARGE_PAID']);

    const reversal = await stack.http('POST', `/v1/payments/${paid.body.id}/reversal`, {
      key: stack.keys.finance,
      body: { reason: 'Cheque bounced', returnCode: 'AC04' },
    });
    expect(reversal.status).toBe(200);
    const owedAgain = await statementOf();
    expect(owedAgain.charges).toEqual([expect.objectContaining({ id: charges[0].id, amount: 4_000, owed: 4_000 })]);
    expect(owedAgain.chargeTotals).toEqual({ EUR: 4_000 });
    expect(
      (await stack.http('GET', `/v1/customers/${customer.id}/unapplied-cash`, { key: stack.keys.finance })).body
        .balances,
    ).toEqual([]);
  });

  it('hands an invoice to the collection agency once, stops our letters for it, and takes its payments back signed', async () => {
    const customer = await newCustomer({});
    const levels = [
      { level: 1, name: 'reminder', offset: 'PT1S' },
      { level: 2, name: 'collection_agency', offset: 'PT3S', channel: 'agency' },
    ];
    expect(
      (await put(`agency-${customer.id.slice(0, 8)}`, secondsPolicy({ customerId: customer.id }, levels))).status,
    ).toBe(201);
    const handedOver = await invoiceFor(customer);
    const caseOf = () => [...stack.agency.cases.values()].find((c) => c.debtor.customerId === customer.id);
    const taken = await eventually(
      () => Promise.resolve(caseOf()),
      (c) => c !== undefined,
      20_000,
    );
    expect(taken!.invoice).toMatchObject({ currency: 'EUR', total: 1_210, outstanding: 1_210 });
    expect(taken!.letters.map((l) => l.levelName)).toEqual(['reminder']);
    expect(taken!.creditor).toMatchObject({ legalEntity: 'NL1', country: 'NL' });
    const order = await eventually(
      async () => (await stack.http('GET', `/v1/invoices/${handedOver}`, { key: stack.keys.finance })).body,
      (i) => i.dunningLevel === 2,
    );
    expect(order.status).toBe('open');
    expect(order.collectionCase).toMatchObject({
      id: taken!.caseId,
      status: 'handed_over',
      agencyReference: taken!.agencyReference,
    });

    // A later invoice of the customer is dunned by us; its letter does not list the one the agency has.
    const later = await invoiceFor(customer);
    const mails = await eventually(
      () =>
        Promise.all(stack.smtp.messages.filter((m) => m.to.includes(customer.email)).map((m) => simpleParser(m.raw))),
      (all) => all.filter((m) => m.subject?.startsWith('Payment reminder')).length === 2,
      20_000,
    );
    const laterNumber = (await stack.http('GET', `/v1/invoices/${later}`, { key: stack.keys.finance })).body.number;
    const secondReminder = mails.filter((m) => m.subject?.startsWith('Payment reminder'))[1]!;
    expect(secondReminder.subject).toBe(`Payment reminder: ${laterNumber}`);
    expect(secondReminder.text).not.toContain(taken!.invoice.number);
    expect(mails.some((m) => m.subject?.includes('collection agency'))).toBe(false);

    // The agency's reports: a forged one is refused; a payment in two parts closes the receivable; the case closes.
    const forged = await fetch(`${stack.apiUrl}/v1/webhooks/collection-agency`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${stack.keys.integration}`,
        'x-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
      },
      body: JSON.stringify({ eventId: 'x', caseId: taken!.caseId, type: 'closed', outcome: 'paid' }),
    });
    expect(forged.status).toBe(401);
    expect((await stack.agency.reportPayment(taken!.caseId, 1_000)).status).toBe(201);
    expect((await stack.agency.reportPayment(taken!.caseId, 210)).status).toBe(201);
    const paid = await eventually(
      async () => (await stack.http('GET', `/v1/invoices/${handedOver}`, { key: stack.keys.finance })).body,
      (i) => i.status === 'paid',
      20_000,
    );
    expect(paid.balance).toBe(0);
    const closed = await stack.agency.reportClosed(taken!.caseId, 'paid', 'collected in full');
    expect(await closed.json()).toMatchObject({ status: 'closed', outcome: 'paid' });
    expect(stack.agency.cases.size).toBeGreaterThanOrEqual(1);
    expect([...stack.agency.cases.values()].filter((c) => c.debtor.customerId === customer.id)).toHaveLength(1);
  });

  it("words a level's letter by its template, in the customer's language", async () => {
    expect(
      (
        await put(
          'bad-template',
          secondsPolicy({ segment: 'corporate' }, [{ level: 1, name: 'r', offset: 'PT1S', template: 'poem' }]),
        )
      ).status,
    ).toBe(400);
    const customer = await newCustomer({ language: 'nb' });
    const levels = [
      { level: 1, name: 'courtesy_call_follow_up', offset: 'PT1S', template: 'final_notice' },
      { level: 2, name: 'handover', offset: 'PT60S', template: 'collection_agency', channel: 'agency' },
    ];
    expect(
      (await put(`words-${customer.id.slice(0, 8)}`, secondsPolicy({ customerId: customer.id }, levels))).status,
    ).toBe(201);
    await invoiceFor(customer);
    const mails = await eventually(
      () =>
        Promise.all(stack.smtp.messages.filter((m) => m.to.includes(customer.email)).map((m) => simpleParser(m.raw))),
      (all) => all.some((m) => m.subject?.startsWith('Inkassovarsel')),
      20_000,
    );
    const letter = mails.find((m) => m.subject?.startsWith('Inkassovarsel'))!;
    // The final notice's wording, announcing the hand-over (the next level's template).
    expect(letter.text).toContain('oversender vi saken til inkasso');
  });

  it('turns an agency case closed as uncollectable into a write-off request an admin approves', async () => {
    const customer = await newCustomer({});
    const levels = [
      { level: 1, name: 'reminder', offset: 'PT1S' },
      { level: 2, name: 'collection_agency', offset: 'PT2S', channel: 'agency' },
    ];
    expect(
      (await put(`lost-${customer.id.slice(0, 8)}`, secondsPolicy({ customerId: customer.id }, levels))).status,
    ).toBe(201);
    const invoiceId = await invoiceFor(customer);
    const taken = await eventually(
      () => Promise.resolve([...stack.agency.cases.values()].find((c) => c.debtor.customerId === customer.id)),
      (c) => c !== undefined,
      20_000,
    );
    const closed = await stack.agency.reportClosed(taken!.caseId, 'uncollectable', 'debtor insolvent');
    const body = (await closed.json()) as { writeOff: { id: string; status: string; amount: number } };
    expect(body.writeOff).toMatchObject({ status: 'pending_approval', amount: 1_210 });
    // Reported twice, still one request.
    const again = (await (await stack.agency.reportClosed(taken!.caseId, 'uncollectable')).json()) as typeof body;
    expect(again.writeOff.id).toBe(body.writeOff.id);
    const approved = await stack.http('POST', `/v1/write-offs/${body.writeOff.id}/approve`, {
      key: stack.keys.admin,
      body: { note: 'insolvency confirmed' },
    });
    expect(approved.body.writeOff).toMatchObject({ status: 'applied' });
    const invoice = await eventually(
      async () => (await stack.http('GET', `/v1/invoices/${invoiceId}`, { key: stack.keys.finance })).body,
      (i) => i.status === 'written_off',
      20_000,
    );
    expect(invoice.collectionCase).toMatchObject({ status: 'closed', outcome: 'uncollectable' });
  });
});
