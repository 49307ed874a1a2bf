import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import fc from 'fast-check';
import { MockActivityEnvironment } from '@temporalio/testing';
import { eq, sql, sum } from 'drizzle-orm';
import { createActivities, type Activities } from '../../activities/index.js';
import { createDatabase, type Database } from '../../db/client.js';
import { creditFacts } from '../../db/credit-control.js';
import { issueCreditNote } from '../../db/credit-notes.js';
import { invoiceViews } from '../../db/invoices.js';
import {
  applyUnappliedCash,
  refundUnappliedCash,
  resolveException,
  reversePayment,
} from '../../db/cash-application.js';
import { chargesOf, openChargesByInvoice, waiveCharge } from '../../db/dunning-charges.js';
import { recordPayment } from '../../db/payments.js';
import { paymentBehaviour } from '../../db/risk.js';
import { scoreRisk } from '../../domain/risk.js';
import {
  allocations,
  chargePayments,
  customers,
  dunningCharges,
  invoices,
  orderLines,
  orders,
  payments,
  shipments,
  stock,
  unappliedCash,
  writeOffs,
} from '../../db/schema.js';
import type { InvoiceDocumentInput } from '../../domain/invoice-document.js';
import { DEFAULT_CREDIT_POLICY } from '../../domain/credit-control.js';
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
    issuedAt: `${issueDate}T10:00:00Z`,
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
          issuedAt: '2032-06-30T10:00:00Z',
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
      issuedAt: '2032-07-01T10:00:00Z',
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

describe('invoice dates in the seller entity’s time zone', () => {
  const issueAt = async (issuedAt: string, options: { dispatchedAt?: string; wholeOrder?: boolean } = {}) => {
    const { orderId, shipmentId } = await seedShippedOrder(database.db);
    if (options.dispatchedAt) {
      await database.db
        .update(shipments)
        .set({ status: 'dispatched', dispatchedAt: new Date(options.dispatchedAt) })
        .where(eq(shipments.id, shipmentId));
    }
    const invoiceId = randomUUID();
    const view = await run('issueInvoice', {
      invoiceId,
      orderId,
      ...(options.wholeOrder ? {} : { shipmentId }),
      issuedAt,
      workflowId: `invoice:${invoiceId}`,
    });
    const [row] = await database.db
      .select({ document: invoices.document })
      .from(invoices)
      .where(eq(invoices.id, invoiceId));
    return { view, document: row!.document as InvoiceDocumentInput };
  };

  it('dates an invoice posted at 00:30 in Amsterdam on New Year’s Day that day, in the new year’s series', async () => {
    const { view, document } = await issueAt('2033-12-31T23:30:00Z');
    expect(view.issueDate).toBe('2034-01-01');
    expect(view.number).toBe('ACT-INV-2034-000001');
    expect(document.issueDate).toBe('2034-01-01');
    const before = await issueAt('2033-12-31T22:30:00Z'); // 23:30 in Amsterdam: still the old year
    expect(before.view.number).toMatch(/^ACT-INV-2033-/);
  });

  it('states the dispatch date as delivery date (BT-72), and none on an invoice of the whole order before it shipped', async () => {
    const shipped = await issueAt('2031-03-02T09:00:00Z', { dispatchedAt: '2031-02-27T23:30:00Z' });
    expect(shipped.document.delivery).toEqual({ date: '2031-02-28', country: 'NL' }); // 00:30 on the 28th in Amsterdam
    const upFront = await issueAt('2031-03-02T09:00:00Z', { wholeOrder: true });
    expect(upFront.document.delivery).toEqual({ country: 'NL' });
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
    expect(results.reduce((s, r) => s + r.allocations.reduce((a, x) => a + x.amount, 0), 0)).toBe(12_100);
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
    });
    // Money in another currency than the invoice it names is received all the same, for a person to place.
    expect(await recordPayment(database.db, { ...payment, externalId: randomUUID(), currency: 'NOK' })).toMatchObject({
      matchStatus: 'exception',
      allocations: [],
      unapplied: 1500,
      reasons: ['INVOICE_NUMBER_IN_TEXT', 'CURRENCY_MISMATCH'],
    });
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
    // Each order owes 30.00 + 21 % VAT = 36.30 once invoiced: a limit of 108.90 takes exactly three.
    await database.db.update(customers).set({ creditLimit: 10_890 }).where(eq(customers.id, customer.id));
    const more = await Promise.all(
      Array.from({ length: 9 }, () => seedShippedOrder(database.db, { unitPrice: 1000, quantity: 3, ship: false })),
    );
    // Move those orders to the one customer: 10 orders of 3,630 against a 10,890 limit.
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

describe('credit exposure on one basis', () => {
  it('values shipped goods nobody invoiced yet after their discounts, VAT included, and the rest as open orders', async () => {
    const { customer, orderId, shipmentId } = await seedShippedOrder(database.db, {
      unitPrice: 2_500,
      quantity: 4,
      discountBp: 1_000,
    });
    await database.db
      .update(orders)
      .set({ status: 'fulfilling', creditApprovedAt: new Date() })
      .where(eq(orders.id, orderId));
    // 4 x 25.00 less 10 % = 90.00, + 21 % VAT = 108.90 owed once invoiced.
    expect((await creditFacts(database.db, customer.id, '2031-03-01')).exposure).toMatchObject({
      uninvoicedShipments: 0,
      openOrders: 10_890,
    });
    await database.db.update(shipments).set({ status: 'dispatched' }).where(eq(shipments.id, shipmentId));
    expect((await creditFacts(database.db, customer.id, '2031-03-01')).exposure).toMatchObject({
      uninvoicedShipments: 10_890,
      openOrders: 0,
    });
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

describe('credit notes and the ledger', () => {
  const credit = (invoiceId: string, amount: number) =>
    issueCreditNote(database.db, {
      creditNoteId: randomUUID(),
      invoiceId,
      selection: { amount },
      reason: 'Goodwill',
      actor: 'test-finance',
      issuedAt: '2031-03-05T10:00:00Z',
    });
  const pay = (invoiceNumber: string, amount: number) =>
    recordPayment(database.db, { invoiceNumber, amount, currency: 'EUR', method: 'card', externalId: randomUUID() });

  it('never takes an invoice below zero: a paid invoice takes no credit note, not even of one cent', async () => {
    const { invoice } = await issue();
    await pay(invoice.number, invoice.total);
    await expect(credit(invoice.id, 1)).rejects.toMatchObject({ code: 'CREDIT_EXCEEDS_BALANCE' });
    await expect(credit(invoice.id, 1)).rejects.toMatchObject({ code: 'CREDIT_EXCEEDS_BALANCE' });
  });

  it('keeps total = payments applied + credit notes + open balance, for any sequence of payments and credit notes', async () => {
    const amount = fc.oneof(fc.integer({ min: 1, max: 8_000 }), fc.constantFrom(1, 2));
    const step = fc.oneof(
      fc.record({ kind: fc.constant('pay' as const), amount }),
      fc.record({ kind: fc.constant('credit' as const), amount }),
      fc.record({ kind: fc.constant('pay the rest' as const), amount: fc.constant(0) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const { invoice } = await issue();
        for (const s of steps) {
          if (s.kind === 'pay the rest') {
            const [open] = await invoiceViews(database.db, { invoiceId: invoice.id });
            if (open!.balance > 0) await pay(invoice.number, open!.balance);
          } else if (s.kind === 'pay') await pay(invoice.number, s.amount);
          else
            await credit(invoice.id, s.amount).catch((err: unknown) =>
              expect(err).toMatchObject({ code: 'CREDIT_EXCEEDS_BALANCE' }),
            );
        }
        const [applied] = await database.db
          .select({ n: sum(allocations.amount) })
          .from(allocations)
          .where(eq(allocations.invoiceId, invoice.id));
        const [credited] = await database.db
          .select({ n: sum(invoices.total) })
          .from(invoices)
          .where(eq(invoices.correctsInvoiceId, invoice.id));
        const [view] = await invoiceViews(database.db, { invoiceId: invoice.id });
        expect(view!.balance).toBeGreaterThanOrEqual(0);
        expect(Number(applied?.n ?? 0) + Number(credited?.n ?? 0) + view!.balance).toBe(invoice.total);
      }),
      { numRuns: 25 },
    );
  });
});

describe('the cash ledger under any sequence', () => {
  const amount = fc.oneof(fc.integer({ min: 1, max: 15_000 }), fc.constantFrom(1, 12_100, 24_200, 30_000));
  const which = fc.integer({ min: 0, max: 5 });
  // Weighted so that the sequences that could lose a cent (over-pay, refund part, reverse) come up often.
  const step = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('pay invoice' as const), invoice: which, amount }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('pay on account' as const), amount }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('credit note' as const), invoice: which, amount }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('apply unapplied' as const) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('refund unapplied' as const),
        amount: fc.integer({ min: 1, max: 3_000 }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('reverse' as const), payment: which }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('resolve on account' as const), payment: which }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('charge' as const),
        invoice: which,
        amount: fc.oneof(fc.integer({ min: 1, max: 4_000 }), fc.constant(4_000)),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('waive' as const), charge: which }) },
  );

  /** Refusals the rules allow; anything else fails the property. */
  const refused =
    (...codes: string[]) =>
    (err: unknown) => {
      expect(codes).toContain((err as { code?: string }).code);
    };
  const total = (rows: { n: string | null }[]) => Number(rows[0]?.n ?? 0);

  it('never allocates beyond a payment, an invoice or a dunning charge, and no cent appears or disappears', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        const first = await issue();
        const second = await seedShippedOrder(database.db, { unitPrice: 2500, quantity: 4, customer: first.customer });
        const secondId = randomUUID();
        const other = await run('issueInvoice', {
          invoiceId: secondId,
          orderId: second.orderId,
          shipmentId: second.shipmentId,
          issuedAt: '2031-03-02T10:00:00Z',
          workflowId: `invoice:${secondId}`,
        });
        const customerId = first.customer.id;
        const owed = [first.invoice, other];
        const paid: string[] = [];
        const charged: string[] = [];
        let n = 0;
        for (const s of steps) {
          const key = `${customerId}:${n++}`;
          if (s.kind === 'charge') {
            // A level's fee, as dunning posts it (db/dunning-charges.ts postCharges; its rules are tested there).
            const id = randomUUID();
            await database.db.insert(dunningCharges).values({
              id,
              invoiceId: owed[s.invoice % 2]!.id,
              customerId,
              legalEntity: owed[s.invoice % 2]!.legalEntity ?? 'ACT',
              level: n,
              kind: 'reminder_fee',
              amount: s.amount,
              currency: 'EUR',
              basis: { source: 'test' },
              postedOn: '2031-04-01',
            });
            charged.push(id);
          } else if (s.kind === 'waive') {
            if (charged.length > 0)
              await waiveCharge(database.db, charged[s.charge % charged.length]!, {
                reason: 'test',
                actor: 'test-finance',
              }).catch(refused('CHARGE_PAID'));
          } else if (s.kind === 'pay invoice' || s.kind === 'pay on account') {
            const received = await recordPayment(database.db, {
              externalId: randomUUID(),
              amount: s.amount,
              currency: 'EUR',
              method: 'sepa_credit_transfer',
              source: 'manual',
              customerId,
              ...(s.kind === 'pay invoice' ? { invoiceNumber: owed[s.invoice % 2]!.number } : {}),
            });
            paid.push(received.paymentId);
          } else if (s.kind === 'credit note') {
            await issueCreditNote(database.db, {
              creditNoteId: randomUUID(),
              invoiceId: owed[s.invoice % 2]!.id,
              selection: { amount: s.amount },
              reason: 'Goodwill',
              actor: 'test-finance',
              issuedAt: '2031-03-05T10:00:00Z',
            }).catch(refused('CREDIT_EXCEEDS_BALANCE'));
          } else if (s.kind === 'apply unapplied') {
            await applyUnappliedCash(database.db, { customerId, key, reason: 'test', actor: 'test-finance' });
          } else if (s.kind === 'refund unapplied') {
            await refundUnappliedCash(database.db, {
              customerId,
              amount: s.amount,
              currency: 'EUR',
              key,
              reason: 'test',
              actor: 'test-finance',
            }).catch(refused('REFUND_EXCEEDS_UNAPPLIED'));
          } else if (paid.length > 0) {
            const paymentId = paid[s.payment % paid.length]!;
            if (s.kind === 'reverse') {
              await reversePayment(database.db, { paymentId, reason: 'MS03', actor: 'bank' }).catch(
                refused('PAYMENT_REFUNDED'),
              );
            } else {
              await resolveException(database.db, {
                paymentId,
                resolution: { action: 'on_account', customerId },
                reason: 'test',
                actor: 'test-finance',
              }).catch(refused('NOT_AN_EXCEPTION'));
            }
          }
        }

        for (const invoice of owed) {
          const [view] = await invoiceViews(database.db, { invoiceId: invoice.id });
          const applied = total(
            await database.db
              .select({ n: sum(allocations.amount) })
              .from(allocations)
              .where(eq(allocations.invoiceId, invoice.id)),
          );
          const credited = total(
            await database.db
              .select({ n: sum(invoices.total) })
              .from(invoices)
              .where(eq(invoices.correctsInvoiceId, invoice.id)),
          );
          const writtenOff = total(
            await database.db
              .select({ n: sum(writeOffs.amount) })
              .from(writeOffs)
              .where(eq(writeOffs.invoiceId, invoice.id)),
          );
          expect(applied).toBeGreaterThanOrEqual(0);
          expect(writtenOff).toBeGreaterThanOrEqual(0);
          expect(view!.balance).toBeGreaterThanOrEqual(0);
          expect(applied + credited + writtenOff + view!.balance).toBe(invoice.total);
        }
        for (const paymentId of paid) {
          const [payment] = await database.db.select().from(payments).where(eq(payments.id, paymentId));
          const entries = await database.db.select().from(unappliedCash).where(eq(unappliedCash.paymentId, paymentId));
          const applied = total(
            await database.db
              .select({ n: sum(allocations.amount) })
              .from(allocations)
              .where(eq(allocations.paymentId, paymentId)),
          );
          const onCharges = total(
            await database.db
              .select({ n: sum(chargePayments.amount) })
              .from(chargePayments)
              .where(eq(chargePayments.paymentId, paymentId)),
          );
          const unapplied = entries.reduce((sum, e) => sum + e.amount, 0);
          const refunded = entries.filter((e) => e.kind === 'refunded').reduce((sum, e) => sum - e.amount, 0);
          expect(applied).toBeGreaterThanOrEqual(0);
          expect(onCharges).toBeGreaterThanOrEqual(0);
          expect(unapplied).toBeGreaterThanOrEqual(0);
          if (payment!.status === 'reversed') {
            expect([applied, onCharges, unapplied, refunded]).toEqual([0, 0, 0, 0]);
          } else {
            expect(applied + onCharges + unapplied + refunded).toBe(payment!.amount);
          }
        }
        for (const chargeId of charged) {
          const [charge] = await database.db.select().from(dunningCharges).where(eq(dunningCharges.id, chargeId));
          const paidOn = total(
            await database.db
              .select({ n: sum(chargePayments.amount) })
              .from(chargePayments)
              .where(eq(chargePayments.chargeId, chargeId)),
          );
          expect(paidOn).toBeGreaterThanOrEqual(0);
          expect(paidOn).toBeLessThanOrEqual(charge!.amount);
          if (charge!.status !== 'waived') expect(charge!.status).toBe(paidOn === charge!.amount ? 'paid' : 'open');
        }
        // What letters and the statement say is owed on charges is what the charge payments left.
        const listed = await chargesOf(database.db, customerId);
        const onLetters = [...(await openChargesByInvoice(database.db, customerId)).values()].flat();
        const open = listed.filter((c) => c.status === 'open');
        for (const c of listed) {
          const paidOn = total(
            await database.db
              .select({ n: sum(chargePayments.amount) })
              .from(chargePayments)
              .where(eq(chargePayments.chargeId, c.id)),
          );
          expect(c.owed).toBe(c.status === 'open' ? c.amount - paidOn : 0);
        }
        expect(onLetters.reduce((n, c) => n + c.amount, 0)).toBe(open.reduce((n, c) => n + c.owed, 0));
      }),
      { numRuns: 60 },
    );
  });
});

describe('risk from payment behaviour', () => {
  it('scores open and overdue items too: one punctual payment does not make a customer with five invoices at the last level low risk', async () => {
    const first = await issue();
    await recordPayment(database.db, {
      invoiceNumber: first.invoice.number,
      amount: first.invoice.total,
      currency: 'EUR',
      method: 'card',
      externalId: randomUUID(),
    });
    await database.db.update(invoices).set({ status: 'paid' }).where(eq(invoices.id, first.invoice.id));
    for (let i = 0; i < 5; i++) {
      const { orderId, shipmentId } = await seedShippedOrder(database.db, { customer: first.customer });
      const invoiceId = randomUUID();
      await run('issueInvoice', {
        invoiceId,
        orderId,
        shipmentId,
        issuedAt: '2031-03-01T10:00:00Z',
        workflowId: `invoice:${invoiceId}`,
      });
      await database.db
        .update(invoices)
        .set({ dueDate: '2031-01-10', dunningLevel: 4 })
        .where(eq(invoices.id, invoiceId));
    }
    const risk = scoreRisk(await paymentBehaviour(database.db, first.customer.id, '2031-03-01'));
    expect(risk).toMatchObject({ riskClass: 'high' });
  });
});
