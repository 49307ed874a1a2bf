import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../api/webhook-signature.js';
import { camt053, ING_NL_CSV_PROFILE, mt940 } from '../support/bank-files.js';
import { customerWithProduct, orderBody } from '../support/fixtures.js';
import { recordHistory } from '../support/record-history.js';
import { eventually, startStack, TEST_PAYMENT_PROVIDER, type Stack } from '../support/stack.js';

// Cash application end to end: bank files in as a bank sends them, applied by their workflow, what the matcher
// would not decide in the exceptions queue, payments from the provider's signed webhook, reversals.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ dispatchDelayMs: 100 });
});
afterAll(async () => {
  await stack?.close();
});

const OUR_ACCOUNT = 'NL91ABNA0417164300';
const getOrder = async (id: string) => (await stack.http('GET', `/v1/orders/${id}`)).body;
const invoiceOf = async (id: string) => (await stack.http('GET', `/v1/invoices/${id}`)).body;

/** A customer with `count` invoiced orders of 10.00 + VAT each; their invoices. */
async function invoicedCustomer(count: number, unitPrice = 1_000, on = stack) {
  const { customerId, sku } = await customerWithProduct(on, { unitPrice });
  const invoices = [];
  for (let i = 0; i < count; i++) {
    const created = await on.http('POST', '/v1/orders', {
      key: on.keys.integration,
      headers: { 'idempotency-key': randomUUID() },
      body: orderBody(customerId, sku, 1),
    });
    const order = await eventually(
      async () => (await on.http('GET', `/v1/orders/${created.body.id}`)).body,
      (o) => o.status === 'awaiting_payment',
    );
    invoices.push({ ...order.invoices[0], orderId: created.body.id });
  }
  return { customerId, invoices };
}

async function postFile(file: string | Buffer, query = '', contentType = 'application/xml', on = stack) {
  const res = await fetch(`${on.apiUrl}/v1/bank-statements${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${on.keys.integration}`, 'content-type': contentType },
    body: file,
  });
  return { status: res.status, body: (await res.json()) as any };
}

const applied = (id: string, on = stack) =>
  eventually(
    async () => (await on.http('GET', `/v1/bank-statements/${id}`)).body,
    (s) => s.status === 'completed',
    30_000,
  );

describe('bank statements', () => {
  it('lists the statements received, newest first, a page at a time, with their progress', async () => {
    const file = (ref: string) =>
      camt053({
        statementId: `LIST-${randomUUID().slice(0, 8)}`,
        account: OUR_ACCOUNT,
        entries: [{ acctSvcrRef: ref, amount: 1_00, text: 'interest', debtorName: 'Nobody' }],
      });
    const first = (await postFile(file('L1'))).body.id;
    const second = (await postFile(file('L2'))).body.id;
    await applied(first);
    await applied(second);
    const all = (await stack.http('GET', '/v1/bank-statements?limit=100', { key: stack.keys.finance })).body;
    const ids = all.statements.map((s: { id: string }) => s.id);
    expect(ids.indexOf(second)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(second)).toBeLessThan(ids.indexOf(first));
    expect(all.statements[ids.indexOf(first)]).toMatchObject({
      format: 'camt.053',
      account: OUR_ACCOUNT,
      status: 'completed',
      lines: { total: 1, done: 1 },
      receivedAt: expect.any(String),
    });
    // A page says where the next begins; the page after the newer statement starts with what came before it.
    const top = (await stack.http('GET', '/v1/bank-statements?limit=1')).body;
    expect(top.next).toBe(top.statements[0].id);
    const after = (await stack.http('GET', `/v1/bank-statements?limit=1&after=${second}`)).body;
    expect(after.statements.map((s: { id: string }) => s.id)).toEqual([ids[ids.indexOf(second) + 1]]);
    expect((await stack.http('GET', '/v1/bank-statements?after=nope')).body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'after',
    });
  });

  it('applies a CAMT.053 by reference, by invoice number and by payer, keeps what is not a customer payment, and reports each entry', async () => {
    const { customerId, invoices } = await invoicedCustomer(3);
    const [byRef, byNumber, byPayer] = invoices;
    const pending = (await invoicedCustomer(1, 2_000)).invoices[0];
    const xml = camt053({
      statementId: `STMT-${randomUUID().slice(0, 8)}`,
      account: OUR_ACCOUNT,
      entries: [
        {
          acctSvcrRef: 'R1',
          amount: byRef.total,
          reference: byRef.paymentReference,
          debtorName: 'Bakkerij de Vries B.V.',
          debtorIban: 'NL02RABO0123456789',
        },
        { acctSvcrRef: 'R2', amount: byNumber.total, text: `Betaling factuur ${byNumber.number.toLowerCase()}` },
        { acctSvcrRef: 'R3', amount: byPayer.total, debtorName: 'BAKKERIJ DE VRIES', debtorIban: 'NL02RABO0123456789' },
        { acctSvcrRef: 'R4', amount: 250, direction: 'debit', fee: true },
        // Announced, not booked: no money has moved yet.
        { acctSvcrRef: 'R5', amount: pending.total, reference: pending.paymentReference, status: 'PDNG' },
      ],
    });
    const first = await postFile(xml);
    expect(first).toMatchObject({ status: 202, body: { id: expect.any(String), status: 'processing' } });
    const statement = await applied(first.body.id);
    await recordHistory(stack.client, `bank-statement:${first.body.id}`, 'bank-statement-applied');
    expect(statement).toMatchObject({ format: 'camt.053', account: OUR_ACCOUNT, lines: { total: 5, done: 5 } });
    expect(statement.entries).toEqual([
      expect.objectContaining({
        lineId: 'R1',
        status: 'matched',
        customerId,
        allocations: [expect.objectContaining({ invoiceId: byRef.id, amount: byRef.total })],
        reasons: expect.arrayContaining(['STRUCTURED_REFERENCE']),
      }),
      expect.objectContaining({
        lineId: 'R2',
        status: 'matched',
        allocations: [expect.objectContaining({ invoiceId: byNumber.id })],
        reasons: expect.arrayContaining(['INVOICE_NUMBER_IN_TEXT']),
      }),
      // The payer's IBAN was learned from the first line, which paid by reference.
      expect.objectContaining({
        lineId: 'R3',
        status: 'matched',
        allocations: [expect.objectContaining({ invoiceId: byPayer.id })],
        reasons: expect.arrayContaining(['IBAN_KNOWN', 'AMOUNT_EQUAL']),
      }),
      expect.objectContaining({ lineId: 'R4', status: 'ignored', note: 'bank fee', allocations: [] }),
      expect.objectContaining({
        lineId: 'R5',
        status: 'ignored',
        note: 'not booked by the bank (status PDNG)',
        allocations: [],
      }),
    ]);
    expect((await getOrder(pending.orderId)).invoices).toEqual([
      expect.objectContaining({ status: 'open', balance: pending.total }),
    ]);
    for (const invoice of [byRef, byNumber, byPayer]) {
      expect(
        await eventually(
          () => getOrder(invoice.orderId),
          (o) => o.status === 'completed',
        ),
      ).toMatchObject({ invoices: [{ status: 'paid', balance: 0 }] });
    }

    // The same file again is the same statement: nothing is applied twice.
    const again = await postFile(xml);
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id } });
  });

  it('refuses a malformed file whole, naming the entry and the field, and applies nothing', async () => {
    const { invoices } = await invoicedCustomer(1);
    const xml = camt053({
      statementId: `STMT-${randomUUID().slice(0, 8)}`,
      account: OUR_ACCOUNT,
      entries: [
        { acctSvcrRef: 'OK1', amount: invoices[0].total, reference: invoices[0].paymentReference },
        { acctSvcrRef: 'BAD2', amount: 100 },
      ],
    }).replace('<Amt Ccy="EUR">1.00</Amt>', '<Amt Ccy="EUR">1,00</Amt>');
    const res = await postFile(xml);
    expect(res).toMatchObject({ status: 422, body: { error: { code: 'INVALID_STATEMENT', field: 'Amt' } } });
    expect(res.body.error.message).toMatch(/entry 1 \(AcctSvcrRef BAD2\)/);
    expect((await invoiceOf(invoices[0].id)).balance).toBe(invoices[0].total);
  });

  it('gives two concurrent imports of one file one application', async () => {
    const { invoices } = await invoicedCustomer(1);
    const xml = camt053({
      statementId: `STMT-${randomUUID().slice(0, 8)}`,
      account: OUR_ACCOUNT,
      entries: [{ acctSvcrRef: 'C1', amount: invoices[0].total, reference: invoices[0].paymentReference }],
    });
    const [a, b] = await Promise.all([postFile(xml), postFile(xml)]);
    expect(a.body.id).toBe(b.body.id);
    await applied(a.body.id);
    const invoice = await eventually(
      () => invoiceOf(invoices[0].id),
      (i) => i.status === 'paid',
    );
    expect(invoice.balance).toBe(0);
    const lines = await stack.db.query.payments.findMany({ where: (p, { eq }) => eq(p.statementId, a.body.id) });
    expect(lines).toHaveLength(1);
  });

  it('puts what it is not sure of in the exceptions queue with ranked suggestions; finance resolves it, and the IBAN is learned', async () => {
    const { customerId, invoices } = await invoicedCustomer(2);
    const payerIban = `NL${String(10 + Math.floor(Math.random() * 89))}INGB000${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
    const xml = camt053({
      statementId: `STMT-${randomUUID().slice(0, 8)}`,
      account: OUR_ACCOUNT,
      // No reference, an unknown payer, and an amount that pays both invoices together.
      entries: [
        {
          acctSvcrRef: 'X1',
          amount: invoices[0].total + invoices[1].total,
          text: 'december',
          debtorName: 'Someone Else Trading',
          debtorIban: payerIban,
        },
      ],
    });
    const statement = await applied((await postFile(xml)).body.id);
    const paymentId = statement.entries[0].paymentId as string;
    expect(statement.entries[0]).toMatchObject({ status: 'exception', allocations: [] });

    const queue = (await stack.http('GET', '/v1/cash-application/exceptions', { key: stack.keys.finance })).body
      .exceptions;
    const exception = queue.find((e: any) => e.id === paymentId);
    expect(exception).toMatchObject({ amount: invoices[0].total + invoices[1].total, payer: { iban: payerIban } });
    expect((await stack.http('GET', '/v1/cash-application/exceptions', { key: stack.keys.integration })).status).toBe(
      403,
    );

    const resolve = (body: unknown) =>
      stack.http('POST', `/v1/cash-application/exceptions/${paymentId}/resolve`, { key: stack.keys.finance, body });
    expect(
      (await resolve({ allocations: [{ invoiceId: invoices[0].id, amount: invoices[0].total * 3 }], reason: 'x' })).body
        .error,
    ).toMatchObject({ code: 'ALLOCATION_EXCEEDS_PAYMENT' });
    const done = await resolve({
      allocations: invoices.map((i) => ({ invoiceId: i.id, amount: i.total })),
      reason: 'Customer confirmed by phone: both December invoices',
    });
    expect(done.status).toBe(200);
    for (const i of invoices)
      expect(
        await eventually(
          () => invoiceOf(i.id),
          (v) => v.status === 'paid',
        ),
      ).toMatchObject({ balance: 0 });
    const audit = await stack.db.query.auditLog.findFirst({ where: (a, { eq }) => eq(a.entityId, paymentId) });
    expect(audit).toMatchObject({ actor: 'test-finance', action: 'cash.exception.resolve' });
    expect((await resolve({ action: 'refund', reason: 'twice' })).body.error).toMatchObject({
      code: 'NOT_AN_EXCEPTION',
    });

    // The payer's IBAN now belongs to the customer: its next payment of an open amount is matched by itself.
    const sku = (await invoiceOf(invoices[0].id)).lines[0].sku as string;
    const created = await stack.http('POST', '/v1/orders', {
      key: stack.keys.integration,
      headers: { 'idempotency-key': randomUUID() },
      body: orderBody(customerId, sku, 3),
    });
    const [third] = (
      await eventually(
        () => getOrder(created.body.id),
        (o) => o.status === 'awaiting_payment',
      )
    ).invoices;
    const known = await applied(
      (
        await postFile(
          camt053({
            statementId: `STMT-${randomUUID().slice(0, 8)}`,
            account: OUR_ACCOUNT,
            entries: [{ acctSvcrRef: 'X2', amount: third.total, text: 'januari', debtorIban: payerIban }],
          }),
        )
      ).body.id,
    );
    expect(known.entries[0]).toMatchObject({
      status: 'matched',
      customerId,
      reasons: expect.arrayContaining(['IBAN_KNOWN']),
    });
  });
});

describe('a statement in many batches', () => {
  let batched: Stack;
  beforeAll(async () => {
    batched = await startStack({ dispatchDelayMs: 100, statementBatching: { batchSize: 2, batchesPerRun: 2 } });
  });
  afterAll(async () => {
    await batched?.close();
  });

  it('applies a file over several runs of its workflow, each continued as new where the last stopped', async () => {
    const { invoices } = await invoicedCustomer(9, 1_000, batched);
    const xml = camt053({
      statementId: `STMT-${randomUUID().slice(0, 8)}`,
      account: OUR_ACCOUNT,
      entries: invoices.map((invoice, i) => ({
        acctSvcrRef: `B${i}`,
        amount: invoice.total,
        reference: invoice.paymentReference,
      })),
    });
    const posted = await postFile(xml, '', 'application/xml', batched);
    const statement = await applied(posted.body.id, batched);
    expect(statement.lines).toEqual({ total: 9, done: 9 });
    expect(statement.entries.map((e: { lineId: string; status: string }) => [e.lineId, e.status])).toEqual(
      invoices.map((_, i) => [`B${i}`, 'matched']),
    );
    // Batches of 2, two a run: lines 0-3, 4-7 and 8 in three runs of one workflow id.
    const runs = await eventually(
      async () => {
        const statuses: string[] = [];
        const query = `WorkflowId = "bank-statement:${posted.body.id}"`;
        for await (const run of batched.client.workflow.list({ query })) statuses.push(run.status.name);
        return statuses.sort();
      },
      (statuses) => statuses.length === 3 && statuses.includes('COMPLETED'),
    );
    expect(runs).toEqual(['COMPLETED', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW']);
    for (const invoice of invoices) {
      const order = await eventually(
        async () => (await batched.http('GET', `/v1/orders/${invoice.orderId}`)).body,
        (o) => o.status === 'completed',
      );
      expect(order.invoices).toEqual([expect.objectContaining({ status: 'paid', balance: 0 })]);
    }
  });
});

describe('bank statements in other formats, returns and metrics', () => {
  const completed = (orderId: string) =>
    eventually(
      () => getOrder(orderId),
      (o) => o.status === 'completed',
    );

  it('applies a Rabobank MT940 read from its :86: subfields, the bank reference after // as line id', async () => {
    const { customerId, invoices } = await invoicedCustomer(2);
    const [byRef, byNumber] = invoices;
    const file = mt940({
      statementId: `MT-${randomUUID().slice(0, 8)}`,
      account: OUR_ACCOUNT,
      entries: [
        {
          acctSvcrRef: 'RABO-1',
          amount: byRef.total,
          reference: byRef.paymentReference,
          debtorName: 'Bakkerij de Vries B.V.',
          debtorIban: 'NL02RABO0123456789',
          endToEndId: `E2E-${randomUUID().slice(0, 8)}`,
        },
        { acctSvcrRef: 'RABO-2', amount: 295, direction: 'debit', fee: true },
        { acctSvcrRef: 'RABO-3', amount: byNumber.total, text: `Factuur ${byNumber.number} dank u` },
      ],
    });
    const posted = await postFile(file, '', 'text/plain');
    expect(posted.status).toBe(202);
    const statement = await applied(posted.body.id);
    expect(statement).toMatchObject({ format: 'mt940', account: OUR_ACCOUNT, lines: { total: 3, done: 3 } });
    expect(statement.entries).toEqual([
      expect.objectContaining({
        lineId: 'RABO-1',
        status: 'matched',
        customerId,
        allocations: [expect.objectContaining({ invoiceId: byRef.id, amount: byRef.total })],
        reasons: expect.arrayContaining(['STRUCTURED_REFERENCE']),
      }),
      expect.objectContaining({ lineId: 'RABO-2', status: 'ignored', note: 'bank fee' }),
      expect.objectContaining({
        lineId: 'RABO-3',
        status: 'matched',
        allocations: [expect.objectContaining({ invoiceId: byNumber.id, amount: byNumber.total })],
        reasons: expect.arrayContaining(['INVOICE_NUMBER_IN_TEXT']),
      }),
    ]);
    for (const invoice of invoices) await completed(invoice.orderId);
  });

  it('reads a windows-1252 CSV export by a profile finance set up, and refuses a CSV without one', async () => {
    const { invoices } = await invoicedCustomer(1);
    const [invoice] = invoices;
    const { name: _, ...profile } = ING_NL_CSV_PROFILE;

    const name = `ing-${randomUUID().slice(0, 6)}`;
    const put = (key: string) => stack.http('PUT', `/v1/bank-file-profiles/${name}`, { key, body: profile });
    expect((await put(stack.keys.integration)).status).toBe(403);
    expect((await put(stack.keys.finance)).status).toBe(201);

    const euros = `${Math.floor(invoice.total / 100)},${String(invoice.total % 100).padStart(2, '0')}`;
    const csv = [
      '"Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";"Bedrag (EUR)";"Mutatiesoort";"Mededelingen"',
      `"20261201";"Café De Zwaan";"${OUR_ACCOUNT}";"NL46RABO0307654321";"OV";"Bij";"${euros}";"Overschrijving";"Naam: Café De Zwaan Omschrijving: Factuur ${invoice.number}"`,
      `"20261201";"Kosten OranjePakket";"${OUR_ACCOUNT}";"";"DV";"Af";"2,95";"Diversen";"Kosten OranjePakket"`,
      '',
    ].join('\r\n');
    const bytes = Buffer.from(csv, 'latin1');
    const unnamed = await postFile(bytes, '', 'text/csv');
    expect(unnamed.status).toBe(422);

    const posted = await postFile(bytes, `?profile=${name}`, 'text/csv');
    expect(posted.status).toBe(202);
    const statement = await applied(posted.body.id);
    expect(statement).toMatchObject({ format: 'csv', lines: { total: 2, done: 2 } });
    expect(statement.entries[0]).toMatchObject({
      status: 'matched',
      allocations: [{ invoiceId: invoice.id, amount: invoice.total }],
    });
    expect(statement.entries[1]).toMatchObject({ status: 'ignored' });
    await completed(invoice.orderId);
  });

  it('reverses a payment the bank returns in a later CAMT file: the invoice opens again and its receivable runs', async () => {
    const { invoices } = await invoicedCustomer(1);
    const [invoice] = invoices;
    const endToEndId = `E2E-${randomUUID().slice(0, 8)}`;
    const debtor = { debtorName: 'Bakkerij de Vries B.V.', debtorIban: 'NL02RABO0123456789' };
    const paid = await postFile(
      camt053({
        statementId: `STMT-${randomUUID().slice(0, 8)}`,
        account: OUR_ACCOUNT,
        entries: [
          { acctSvcrRef: 'P1', amount: invoice.total, reference: invoice.paymentReference, endToEndId, ...debtor },
        ],
      }),
    );
    await applied(paid.body.id);
    await completed(invoice.orderId);

    const returned = await postFile(
      camt053({
        statementId: `STMT-${randomUUID().slice(0, 8)}`,
        account: OUR_ACCOUNT,
        entries: [
          {
            acctSvcrRef: 'RT1',
            amount: invoice.total,
            direction: 'debit',
            returnReason: 'MD06',
            endToEndId,
            ...debtor,
          },
        ],
      }),
    );
    const statement = await applied(returned.body.id);
    expect(statement.entries).toEqual([
      expect.objectContaining({ lineId: 'RT1', status: 'reversal', note: 'returned by the bank (MD06)' }),
    ]);
    expect(await invoiceOf(invoice.id)).toMatchObject({ status: 'open', balance: invoice.total });
    const handle = stack.client.workflow.getHandle(`invoice:${invoice.id}`);
    await eventually(
      () => handle.describe(),
      (d) => d.status.name === 'RUNNING',
    );
  });

  it('will not reverse a payment whose unapplied rest was refunded: a 409 by the API, a line for a person from the bank', async () => {
    const { customerId, invoices } = await invoicedCustomer(1);
    const [invoice] = invoices;
    const endToEndId = `E2E-${randomUUID().slice(0, 8)}`;
    const debtor = { debtorName: 'Bakkerij de Vries B.V.', debtorIban: 'NL02RABO0123456789' };
    const over = invoice.total + 1_000;
    const paid = await postFile(
      camt053({
        statementId: `STMT-${randomUUID().slice(0, 8)}`,
        account: OUR_ACCOUNT,
        entries: [{ acctSvcrRef: 'O1', amount: over, reference: invoice.paymentReference, endToEndId, ...debtor }],
      }),
    );
    const [entry] = (await applied(paid.body.id)).entries;
    expect(entry).toMatchObject({ status: 'partially_matched', unapplied: 1_000 });
    const refund = await stack.http('POST', `/v1/customers/${customerId}/unapplied-cash/refund`, {
      key: stack.keys.finance,
      headers: { 'idempotency-key': randomUUID() },
      body: { amount: 1_000, currency: 'EUR', reason: 'Overpaid; sent back' },
    });
    expect(refund).toMatchObject({ status: 200, body: { balances: [] } });

    const reversal = await stack.http('POST', `/v1/payments/${entry.paymentId}/reversal`, {
      key: stack.keys.finance,
      body: { reason: 'Chargeback', returnCode: 'MD06' },
    });
    expect(reversal).toMatchObject({ status: 409, body: { error: { code: 'PAYMENT_REFUNDED' } } });
    expect(reversal.body.error.message).toContain('EUR 10.00');

    const returned = await postFile(
      camt053({
        statementId: `STMT-${randomUUID().slice(0, 8)}`,
        account: OUR_ACCOUNT,
        entries: [
          { acctSvcrRef: 'RT2', amount: over, direction: 'debit', returnReason: 'MD06', endToEndId, ...debtor },
        ],
      }),
    );
    const [line] = (await applied(returned.body.id)).entries;
    expect(line).toMatchObject({ lineId: 'RT2', status: 'ignored' });
    expect(line.note).toContain('was refunded to the payer');
    // Nothing was taken back: the invoice stays paid.
    expect(await invoiceOf(invoice.id)).toMatchObject({ status: 'paid', balance: 0 });
  });

  it('counts what a file did in the metrics: lines applied automatically, by amount, and open exceptions', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const metrics = async () =>
      (
        await stack.http('GET', `/v1/cash-application/metrics?from=${today}&to=${today}`, {
          key: stack.keys.finance,
        })
      ).body;
    expect(
      (
        await stack.http('GET', `/v1/cash-application/metrics?from=${today}&to=${today}`, {
          key: stack.keys.integration,
        })
      ).status,
    ).toBe(403);
    const before = await metrics();
    const { invoices } = await invoicedCustomer(1);
    const posted = await postFile(
      camt053({
        statementId: `STMT-${randomUUID().slice(0, 8)}`,
        account: OUR_ACCOUNT,
        entries: [
          { acctSvcrRef: 'M1', amount: invoices[0].total, reference: invoices[0].paymentReference },
          { acctSvcrRef: 'M2', amount: 77_777, text: 'no idea', debtorName: 'Nobody We Know GmbH' },
        ],
      }),
    );
    await applied(posted.body.id);
    const after = await metrics();
    expect(after.payments - before.payments).toBe(2);
    expect(after.autoMatched - before.autoMatched).toBe(1);
    expect(after.exceptions.received - before.exceptions.received).toBe(1);
    expect(after.exceptions.open - before.exceptions.open).toBe(1);
    expect(after.exceptions.oldestOpenHours).toBeGreaterThanOrEqual(0);
    expect(after.medianImportToAppliedSeconds).toBeGreaterThanOrEqual(0);
    expect(after.autoMatchRateByLine).toBeCloseTo(after.autoMatched / after.payments, 6);
    expect(after.autoMatchRateByAmount).toBeGreaterThan(0);
    expect(after.autoMatchRateByAmount).toBeLessThanOrEqual(1);
  });
});

describe('payments from the provider', () => {
  const sign = (body: unknown, secret = TEST_PAYMENT_PROVIDER.secret, at?: number) => {
    const raw = JSON.stringify(body);
    return { raw, signature: signWebhook(secret, raw, at) };
  };
  const post = (raw: string, headers: Record<string, string>) =>
    fetch(`${stack.apiUrl}/v1/payments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.keys.integration}`,
        'content-type': 'application/json',
        'x-provider': TEST_PAYMENT_PROVIDER.name,
        ...headers,
      },
      body: raw,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it('refuses unsigned, wrongly signed and stale webhooks, and takes a signed one', async () => {
    const { invoices } = await invoicedCustomer(1);
    const body = {
      externalId: randomUUID(),
      amount: invoices[0].total,
      currency: 'EUR',
      method: 'card',
      reference: invoices[0].paymentReference,
    };
    const { raw, signature } = sign(body);
    expect((await post(raw, {})).body.error.code).toBe('SIGNATURE_REQUIRED');
    expect(
      (await post(raw, { 'x-signature': sign(body, 'not-the-secret-at-all-000').signature })).body.error.code,
    ).toBe('SIGNATURE_INVALID');
    expect(
      (await post(raw, { 'x-signature': sign(body, undefined, Math.floor(Date.now() / 1000) - 3600).signature })).body
        .error.code,
    ).toBe('SIGNATURE_STALE');
    const ok = await post(raw, { 'x-signature': signature });
    expect(ok).toMatchObject({ status: 201, body: { matchStatus: 'matched', applied: invoices[0].total } });
  });

  it('answers the same provider id posted for two invoices at once with one payment and a 409, never a 500', async () => {
    const { invoices } = await invoicedCustomer(2);
    const externalId = randomUUID();
    const results = await Promise.all(
      invoices.map((i) =>
        stack.http('POST', '/v1/payments', {
          key: stack.keys.integration,
          body: { externalId, amount: i.total, currency: 'EUR', method: 'card', invoiceNumber: i.number },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('PAYMENT_CONFLICT');
  });

  it('reverses a returned payment after its invoice completed: the invoice opens again and its receivable runs again', async () => {
    const { invoices } = await invoicedCustomer(1);
    const [invoice] = invoices;
    const paid = await stack.http('POST', '/v1/payments', {
      key: stack.keys.integration,
      body: {
        externalId: randomUUID(),
        amount: invoice.total,
        currency: 'EUR',
        method: 'sepa_direct_debit',
        invoiceNumber: invoice.number,
      },
    });
    expect(await stack.client.workflow.getHandle(`invoice:${invoice.id}`).result()).toMatchObject({ status: 'paid' });
    const reversed = await stack.http('POST', `/v1/payments/${paid.body.id}/reversal`, {
      key: stack.keys.finance,
      body: { reason: 'Direct debit returned by the bank', returnCode: 'MD06' },
    });
    expect(reversed).toMatchObject({
      status: 200,
      body: { status: 'reversed', invoices: [{ id: invoice.id, status: 'open', balance: invoice.total }] },
    });
    const handle = stack.client.workflow.getHandle(`invoice:${invoice.id}`);
    expect(
      (
        await eventually(
          () => handle.describe(),
          (d) => d.status.name === 'RUNNING',
        )
      ).status.name,
    ).toBe('RUNNING');
    const audit = await stack.db.query.auditLog.findFirst({
      where: (a, { and, eq }) => and(eq(a.entityId, paid.body.id), eq(a.action, 'cash.payment.reverse')),
    });
    expect(audit).toMatchObject({ actor: 'test-finance', reason: 'MD06: Direct debit returned by the bank' });
    // Paid again, it closes again.
    await stack.http('POST', '/v1/payments', {
      key: stack.keys.integration,
      body: {
        externalId: randomUUID(),
        amount: invoice.total,
        currency: 'EUR',
        method: 'wire',
        invoiceNumber: invoice.number,
      },
    });
    expect(await handle.result()).toMatchObject({ status: 'paid' });
  });

  it('takes manual payments from finance only, and applies unapplied cash to the oldest invoice', async () => {
    const { customerId, invoices } = await invoicedCustomer(1);
    const manual = (key: string) =>
      stack.http('POST', '/v1/payments/manual', {
        key,
        body: {
          receiptNumber: `CHQ-${randomUUID().slice(0, 6)}`,
          customerId,
          amount: invoices[0].total + 500,
          currency: 'EUR',
          method: 'cheque',
          invoiceNumber: invoices[0].number,
        },
      });
    expect((await manual(stack.keys.integration)).status).toBe(403);
    const cheque = await manual(stack.keys.finance);
    expect(cheque).toMatchObject({
      status: 201,
      body: { matchStatus: 'partially_matched', applied: invoices[0].total, unapplied: 500, customerId },
    });
    expect(
      (await stack.http('GET', `/v1/customers/${customerId}/unapplied-cash`, { key: stack.keys.finance })).body
        .balances,
    ).toEqual([{ currency: 'EUR', amount: 500 }]);

    const { invoices: later } = await (async () => {
      const created = await stack.http('POST', '/v1/orders', {
        key: stack.keys.integration,
        headers: { 'idempotency-key': randomUUID() },
        body: orderBody(customerId, (await stack.http('GET', `/v1/invoices/${invoices[0].id}`)).body.lines[0].sku, 1),
      });
      const order = await eventually(
        () => getOrder(created.body.id),
        (o) => o.status === 'awaiting_payment',
      );
      return { invoices: order.invoices };
    })();
    const applyRes = await stack.http('POST', `/v1/customers/${customerId}/unapplied-cash/apply`, {
      key: stack.keys.finance,
      headers: { 'idempotency-key': randomUUID() },
      body: { reason: 'Overpayment on the cheque goes to the next invoice' },
    });
    expect(applyRes).toMatchObject({
      status: 200,
      body: { balances: [], invoices: [{ id: later[0].id, balance: later[0].total - 500 }] },
    });
  });
});
