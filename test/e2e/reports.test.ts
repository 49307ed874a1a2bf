import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCreditNote } from '../../db/credit-notes.js';
import { issueInvoice } from '../../db/invoices.js';
import { putLegalEntity } from '../../db/legal-entities.js';
import { recordPayment } from '../../db/payments.js';
import { allocations, dunningEvents } from '../../db/schema.js';
import { DEMO_LEGAL_ENTITIES } from '../../scripts/seed.js';
import { seedShippedOrder } from '../support/seed-order.js';
import { startStack, type Stack } from '../support/stack.js';

// The reporting API over a hand-made ledger of a seller entity of its own (RPT), in 2031, each figure worked out
// by hand in the comments from the definitions in the README. Every invoice is 4 x 25.00 + 21% VAT = 121.00.
let stack: Stack;
const ENTITY = 'RPT';
const query = `legalEntity=${ENTITY}&asOf=2031-06-30`;

async function invoiceIssued(on: string, customer?: Awaited<ReturnType<typeof seedShippedOrder>>['customer']) {
  const seeded = await seedShippedOrder(stack.db, { unitPrice: 2500, quantity: 4, ...(customer ? { customer } : {}) });
  const invoiceId = randomUUID();
  const invoice = await issueInvoice(stack.db, {
    invoiceId,
    orderId: seeded.orderId,
    shipmentId: seeded.shipmentId,
    issuedAt: `${on}T10:00:00Z`,
    workflowId: `invoice:${invoiceId}`,
    defaultLegalEntity: ENTITY,
  });
  return { invoice, customer: seeded.customer };
}

/** A payment booked on `on` (its allocation's booking time is what the ledger as of a day reads). */
async function paid(invoice: { number: string }, amount: number, on: string) {
  const received = await recordPayment(stack.db, {
    externalId: randomUUID(),
    amount,
    currency: 'EUR',
    method: 'sepa_credit_transfer',
    source: 'manual',
    invoiceNumber: invoice.number,
  });
  await stack.db
    .update(allocations)
    .set({ createdAt: new Date(`${on}T12:00:00Z`) })
    .where(eq(allocations.paymentId, received.paymentId));
}

beforeAll(async () => {
  stack = await startStack();
  await putLegalEntity(stack.db, ENTITY, {
    ...DEMO_LEGAL_ENTITIES.NL1!,
    invoicePrefix: 'RPT-INV',
    creditNotePrefix: 'RPT-CN',
  });
  // A: issued 1 March, due 31 March, paid 10 May. B: issued 15 April, due 15 May, unpaid, reminded.
  // C: issued 10 June, due 10 July, 21.00 credited on 15 June. D: issued 20 June, due 20 July, 21.00 paid 25 June.
  const a = await invoiceIssued('2031-03-01');
  const b = await invoiceIssued('2031-04-15', a.customer);
  const c = await invoiceIssued('2031-06-10', a.customer);
  const d = await invoiceIssued('2031-06-20', a.customer);
  expect([a, b, c, d].map((x) => [x.invoice.total, x.invoice.dueDate])).toEqual([
    [12_100, '2031-03-31'],
    [12_100, '2031-05-15'],
    [12_100, '2031-07-10'],
    [12_100, '2031-07-20'],
  ]);
  await paid(a.invoice, 12_100, '2031-05-10');
  await paid(d.invoice, 2_100, '2031-06-25');
  await issueCreditNote(stack.db, {
    creditNoteId: randomUUID(),
    invoiceId: c.invoice.id,
    selection: { amount: 2_100 },
    reason: 'price agreed lower',
    actor: 'test-finance',
    issuedAt: '2031-06-15T10:00:00Z',
  });
  await stack.db.insert(dunningEvents).values({
    invoiceId: b.invoice.id,
    level: 1,
    name: 'reminder',
    policyId: 'default',
    amountOutstanding: 12_100,
    sentTo: a.customer.email,
  });
});
afterAll(async () => {
  await stack?.close();
});

const get = (path: string) => stack.http('GET', path, { key: stack.keys.finance });
/** As a spreadsheet or BI tool asks. */
const getCsv = async (path: string) => {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    headers: { authorization: `Bearer ${stack.keys.finance}`, accept: 'text/csv' },
  });
  return { contentType: res.headers.get('content-type'), rows: (await res.text()).split('\r\n') };
};

describe('receivables reports', () => {
  it('gives DSO, best possible DSO, ADD, CEI, % current and count-back DSO as worked out by hand', async () => {
    const res = await get(`/v1/reports/kpis?${query}&periodDays=90`);
    expect(res.status).toBe(200);
    expect(res.body.from).toBe('2031-04-02');
    expect(res.body.byCurrency).toEqual([
      {
        currency: 'EUR',
        days: 90,
        openingAr: 12_100, // on 1 April only A was owed
        creditSales: 34_200, // B + C + D - the credit note: 3 x 12,100 - 2,100
        closingAr: 32_100, // B 12,100 + C 10,000 + D 10,000
        closingCurrentAr: 20_000, // C and D, not yet due
        dso: 84.5, // 32,100 x 90 / 34,200 = 84.47
        bestPossibleDso: 52.6, // 20,000 x 90 / 34,200 = 52.63
        averageDaysDelinquent: 31.8, // 84.47 - 52.63
        collectionEffectivenessIndex: 54, // (12,100 + 34,200 - 32,100) / (12,100 + 34,200 - 20,000) = 53.99 %
        percentCurrent: 62.3, // 20,000 / 32,100
        // June's 22,100 (30 days), May's nothing (31), then 10,000 of April's 12,100 (24.79 of 30 days)
        countBackDso: 85.8,
        aging: { current: 20_000, d1_30: 0, d31_60: 12_100, d61_90: 0, d90_plus: 0, total: 32_100 },
      },
    ]);
    expect(res.body.dunningFunnel).toEqual([{ level: 1, name: 'reminder', reached: 1, paidSince: 0 }]);
    expect(res.body.cashApplication).toMatchObject({ exceptionBacklog: expect.any(Number) });

    const none = await get(`/v1/reports/kpis?${query}&currency=NOK`);
    expect(none.body.byCurrency).toEqual([]);
    const bad = await get(`/v1/reports/kpis?${query}&segment=vip`);
    expect([bad.status, bad.body.error.field]).toEqual([400, 'segment']);
    expect((await stack.http('GET', `/v1/reports/kpis?${query}`, { key: stack.keys.integration })).status).toBe(403);
  });

  it('ages, forecasts and trends the same ledger, in JSON and in CSV', async () => {
    const aging = await get(`/v1/reports/aging?${query}`);
    expect(aging.body.byCurrency).toEqual([
      { currency: 'EUR', current: 20_000, d1_30: 0, d31_60: 12_100, d61_90: 0, d90_plus: 0, total: 32_100 },
    ]);
    const forecast = await get(`/v1/reports/cash-forecast?${query}&weeks=4`);
    expect(forecast.body.byCurrency[0].buckets).toEqual([
      { bucket: 'overdue', from: null, to: '2031-06-29', amount: 12_100 }, // B
      { bucket: 'week_1', from: '2031-06-30', to: '2031-07-06', amount: 0 },
      { bucket: 'week_2', from: '2031-07-07', to: '2031-07-13', amount: 10_000 }, // C, due 10 July
      { bucket: 'week_3', from: '2031-07-14', to: '2031-07-20', amount: 10_000 }, // D, due 20 July
      { bucket: 'week_4', from: '2031-07-21', to: '2031-07-27', amount: 0 },
      { bucket: 'later', from: '2031-07-28', to: null, amount: 0 },
    ]);
    const trend = await get(`/v1/reports/dso?${query}&months=3`);
    expect(trend.body.byCurrency[0].months).toEqual([
      // 30 April: A and B owed, April sold B; count-back: April's 12,100 (30 days) and all of March's (31)
      { month: '2031-04', to: '2031-04-30', ar: 24_200, creditSales: 12_100, dso: 60, countBackDso: 61 },
      // 31 May: B owed, nothing sold in May (no ratio); count-back: May (31 days) and all of April's (30)
      { month: '2031-05', to: '2031-05-31', ar: 12_100, creditSales: 0, dso: null, countBackDso: 61 },
      // 30 June: 32,100 x 30 / 22,100
      { month: '2031-06', to: '2031-06-30', ar: 32_100, creditSales: 22_100, dso: 43.6, countBackDso: 85.8 },
    ]);

    const csv = await getCsv(`/v1/reports/dso?${query}&months=3`);
    expect(csv.contentType).toContain('text/csv');
    expect(csv.rows).toEqual([
      'currency,month,to,ar,creditSales,dso,countBackDso',
      'EUR,2031-04,2031-04-30,24200,12100,60,61',
      'EUR,2031-05,2031-05-31,12100,0,,61',
      'EUR,2031-06,2031-06-30,32100,22100,43.6,85.8',
      '',
    ]);
    const kpiCsv = (await getCsv(`/v1/reports/kpis?${query}`)).rows;
    expect(kpiCsv[0]).toContain('currency,days,openingAr,creditSales,closingAr');
    expect(kpiCsv[1]).toMatch(/^2031-06-30,EUR,90,12100,34200,32100,20000,84\.5,/);
  });
});
