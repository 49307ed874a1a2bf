import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { eq, sql, sum } from 'drizzle-orm';
import { createActivities, type Activities } from '../../activities/index.js';
import { createDatabase, type Database } from '../../db/client.js';
import { DomainError } from '../../db/errors.js';
import { recordPayment } from '../../db/payments.js';
import { allocations, customers, invoices, orderLines, orders, stock, unappliedCash } from '../../db/schema.js';
import { DEFAULT_CREDIT_POLICY } from '../../domain/credit.js';
import { isValidRfReference } from '../../domain/payment-reference.js';
import { createSmtpMailer, type Mailer } from '../../integrations/mail.js';
import { startSmtpCapture, type SmtpCaptureServer } from '../../integrations/smtp-capture.js';
import { seedShippedOrder } from '../support/seed-order.js';
import { testActivityDeps } from '../support/stack.js';
import { putLegalEntity } from '../../db/legal-entities.js';
import { DEMO_LEGAL_ENTITIES } from '../../scripts/seed.js';

// The activities against a real Postgres, run through the SDK's activity environment: the guarantees that make
// retries and concurrency safe live in SQL, so this is where they are proven.
let database: Database;
let smtp: SmtpCaptureServer;
let mailer: Mailer;
let acts: Activities;
const env = new MockActivityEnvironment();
const run = <K extends keyof Activities>(name: K, ...args: Parameters<Activities[K]>): ReturnType<Activities[K]> =>
  env.run(acts[name] as (...a: unknown[]) => ReturnType<Activities[K]>, ...args) as ReturnType<Activities[K]>;

beforeAll(async () => {
  database = createDatabase(inject('databaseUrl'), { max: 20 });
  smtp = await startSmtpCapture();
  mailer = createSmtpMailer(smtp.url, 'ar@o2c.test');
  // A legal entity of its own: a fresh number series, whatever else ran against this database.
  await putLegalEntity(database.db, 'ACT', {
    ...DEMO_LEGAL_ENTITIES.NL1!,
    invoicePrefix: 'ACT-INV',
    creditNotePrefix: 'ACT-CN',
  });
  acts = createActivities(testActivityDeps(database.db, mailer, undefined, 'ACT'));
});
afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await database?.close();
});

const issue = async (issueDate = '2031-03-01') => {
  const { orderId, shipmentId, customer } = await seedShippedOrder(database.db, { unitPrice: 2500, quantity: 4 });
  const invoiceId = randomUUID();
  const invoice = await run('issueInvoice', {
    invoiceId,
    orderId,
    shipmentId,
    issueDate,
    workflowId: `invoice:${invoiceId}`,
  });
  return { invoice, customer };
};

describe('invoicing', () => {
  it('numbers 200 invoices issued concurrently without gaps or duplicates, and re-issuing returns the same invoice', async () => {
    const orders = [];
    for (let batch = 0; batch < 10; batch++)
      orders.push(...(await Promise.all(Array.from({ length: 20 }, () => seedShippedOrder(database.db)))));
    const issued = await Promise.all(
      orders.map(({ orderId, shipmentId }) => {
        const invoiceId = randomUUID();
        return run('issueInvoice', {
          invoiceId,
          orderId,
          shipmentId,
          issueDate: '2032-06-30',
          workflowId: `invoice:${invoiceId}`,
        });
      }),
    );
    const numbers = issued.map((i) => Number(i.number.split('-').at(-1))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(issued.every((i) => i.number.startsWith('ACT-INV-2032-') && i.legalEntity === 'ACT')).toBe(true);
    expect(new Set(issued.map((i) => i.paymentReference)).size).toBe(200);

    const again = await run('issueInvoice', {
      invoiceId: issued[0]!.id,
      orderId: issued[0]!.orderId,
      shipmentId: orders[0]!.shipmentId,
      issueDate: '2032-07-01',
      workflowId: 'x',
    });
    expect(again).toEqual(issued[0]);
  });

  it('sets the due date from the payment terms, VAT and a valid RF payment reference', async () => {
    const { invoice } = await issue('2031-01-20');
    expect(invoice).toMatchObject({
      issueDate: '2031-01-20',
      dueDate: '2031-02-19',
      netTotal: 10_000,
      vatTotal: 2_100,
      total: 12_100,
      balance: 12_100,
      status: 'open',
    });
    expect(isValidRfReference(invoice.paymentReference!)).toBe(true);
  });
});

describe('payments ledger', () => {
  it('never allocates more than the balance when payments arrive concurrently; the rest is unapplied cash', async () => {
    const { invoice } = await issue();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        recordPayment(database.db, {
          invoiceNumber: invoice.number,
          amount: 3000,
          currency: 'EUR',
          method: 'sepa_credit_transfer',
          externalId: `conc-${invoice.number}-${i}`,
        }),
      ),
    );
    expect(results.reduce((s, r) => s + r.applied, 0)).toBe(12_100);
    expect(results.reduce((s, r) => s + r.unapplied, 0)).toBe(2_900);
    const [allocated] = await database.db
      .select({ total: sum(allocations.amount).mapWith(Number) })
      .from(allocations)
      .where(eq(allocations.invoiceId, invoice.id));
    expect(allocated!.total).toBe(12_100);
    const unapplied = await database.db
      .select()
      .from(unappliedCash)
      .where(eq(unappliedCash.customerId, invoice.customerId));
    expect(unapplied.reduce((s, u) => s + u.amount, 0)).toBe(2_900);
    expect(await run('getInvoiceBalance', { invoiceId: invoice.id })).toBe(0);
  });

  it('records a payment once per externalId and refuses the same externalId with other details', async () => {
    const { invoice } = await issue();
    const payment = {
      invoiceNumber: invoice.number,
      amount: 1500,
      currency: 'EUR',
      method: 'card',
      externalId: `psp-${randomUUID()}`,
    };
    const first = await recordPayment(database.db, payment);
    const second = await recordPayment(database.db, payment);
    expect(second).toEqual({ ...first, duplicate: true });
    expect(await run('getInvoiceBalance', { invoiceId: invoice.id })).toBe(10_600);
    await expect(recordPayment(database.db, { ...payment, amount: 1600 })).rejects.toMatchObject({
      code: 'PAYMENT_CONFLICT',
      status: 409,
    });
    await expect(
      recordPayment(database.db, { ...payment, externalId: randomUUID(), currency: 'NOK' }),
    ).rejects.toBeInstanceOf(DomainError);
  });
});

describe('stock and credit under concurrency', () => {
  it('never oversells: concurrent reservations take exactly what is there and backorder the rest', async () => {
    const { sku } = await seedShippedOrder(database.db, { ship: false }); // product with 100 in stock
    const orders = await Promise.all(Array.from({ length: 12 }, () => seedShippedOrder(database.db, { ship: false })));
    // Point every order's single line at the same SKU, 9 units each: 11 fit into 100, the 12th does not.
    for (const o of orders)
      await database.db.update(orderLines).set({ sku, quantity: 9 }).where(eq(orderLines.orderId, o.orderId));
    const reservations = await Promise.all(orders.map((o) => run('reserveStock', { orderId: o.orderId })));
    const reserved = reservations
      .flatMap((r) => r.shipments.flatMap((s) => s.lines))
      .reduce((sum, l) => sum + l.quantity, 0);
    const backordered = reservations.flatMap((r) => r.backorder).reduce((sum, l) => sum + l.quantity, 0);
    expect([reserved, backordered]).toEqual([100, 12 * 9 - 100]);
    expect(reservations.filter((r) => r.backorder.length === 0)).toHaveLength(11);
    const [level] = await database.db.select().from(stock).where(eq(stock.sku, sku));
    expect(level).toMatchObject({ onHand: 100, reserved: 100 });
  });

  it('does not let concurrent orders of one customer pass on the same headroom', async () => {
    const { customer } = await seedShippedOrder(database.db, { unitPrice: 1000, quantity: 3 });
    await database.db.update(customers).set({ creditLimit: 10_000 }).where(eq(customers.id, customer.id));
    const more = await Promise.all(
      Array.from({ length: 9 }, () => seedShippedOrder(database.db, { unitPrice: 1000, quantity: 3, ship: false })),
    );
    // Move those orders to the one customer: 10 orders of 3,000 against a 10,000 limit.
    for (const o of more)
      await database.db.update(orders).set({ customerId: customer.id }).where(eq(orders.id, o.orderId));
    const all = [
      ...(await database.db.select({ id: orders.id }).from(orders).where(eq(orders.customerId, customer.id))),
    ];
    expect(all).toHaveLength(10);
    const decisions = await Promise.all(all.map((o) => run('checkCredit', { orderId: o.id })));
    expect(decisions.filter((d) => d.outcome === 'approve')).toHaveLength(3);
    expect(decisions.filter((d) => d.outcome === 'hold').every((d) => d.reasons.includes('OVER_LIMIT'))).toBe(true);
  });
});

describe('credit policy from configuration', () => {
  it('holds for an invoice 30 days overdue under the default 14-day tolerance, not under a 45-day one', async () => {
    const { invoice } = await issue();
    await database.db
      .update(invoices)
      .set({ dueDate: sql`current_date - 30` })
      .where(eq(invoices.id, invoice.id));
    const newOrder = async () => {
      const { orderId } = await seedShippedOrder(database.db, { ship: false });
      await database.db.update(orders).set({ customerId: invoice.customerId }).where(eq(orders.id, orderId));
      return orderId;
    };
    expect((await run('checkCredit', { orderId: await newOrder() })).reasons).toEqual(['OVERDUE_ITEMS']);
    const lenient = createActivities({
      ...testActivityDeps(database.db, mailer),
      creditControl: {
        escalationEmail: 'x@o2c.test',
        holdTime: 'x',
        policy: { ...DEFAULT_CREDIT_POLICY, overdueToleranceDays: 45 },
      },
    });
    const decision = await env.run((i: { orderId: string }) => lenient.checkCredit(i), { orderId: await newOrder() });
    expect(decision).toMatchObject({
      outcome: 'approve',
      reasons: [],
      policy: { overdueToleranceDays: 45 },
      inputs: { oldestOverdueDays: 30 },
    });
  });
});

describe('collections', () => {
  it('records each dunning level once and not at all for a settled invoice', async () => {
    const { invoice } = await issue();
    const level = { invoiceId: invoice.id, level: 1, name: 'reminder', policyId: 'default' };
    expect(await run('recordDunningLevel', level)).toEqual({ recorded: true, amountOutstanding: 12_100 });
    expect(await run('recordDunningLevel', level)).toEqual({ recorded: true, amountOutstanding: 12_100 });

    const { invoice: paid } = await issue();
    await recordPayment(database.db, {
      invoiceNumber: paid.number,
      amount: 12_100,
      currency: 'EUR',
      method: 'card',
      externalId: randomUUID(),
    });
    expect(await run('recordDunningLevel', { ...level, invoiceId: paid.id })).toEqual({
      recorded: false,
      amountOutstanding: 0,
    });
  });

  it('mails a dunning letter once per invoice and level, however often the activity is retried', async () => {
    const { invoice, customer } = await issue();
    const letter = { invoiceId: invoice.id, level: 1, name: 'reminder', amountOutstanding: 12_100 };
    await run('sendDunningLetter', letter);
    await run('sendDunningLetter', letter);
    const mails = smtp.messages.filter((m) => m.to.includes(customer.email));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.raw).toContain(invoice.number);
    expect(mails[0]!.raw).toContain(invoice.paymentReference);
  });
});
