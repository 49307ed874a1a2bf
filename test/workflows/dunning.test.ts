import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { simpleParser } from 'mailparser';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { asc, eq } from 'drizzle-orm';
import { createDatabase, type Database } from '../../db/client.js';
import { recordPayment } from '../../db/payments.js';
import { dunningLettersOf } from '../../db/dunning.js';
import { dunningEvents } from '../../db/schema.js';
import { DEFAULT_DUNNING_POLICY } from '../../domain/dunning.js';
import { createSmtpMailer, type Mailer } from '../../integrations/mail.js';
import { startSmtpCapture, type SmtpCaptureServer } from '../../integrations/smtp-capture.js';
import { registerSearchAttributes } from '../../temporal/register-search-attributes.js';
import { DunningLevel } from '../../temporal/search-attributes.js';
import { createWorkers, type Workers } from '../../temporal/worker.js';
import { invoiceWorkflowId } from '../../temporal/workflow-ids.js';
import { invoiceStateQuery, paymentRecordedSignal } from '../../workflows/messages.js';
import { invoiceWorkflow } from '../../workflows/invoice.js';
import { seedShippedOrder } from '../support/seed-order.js';
import { quietRuntime, testActivityDeps } from '../support/stack.js';

// Dunning runs on durable timers over weeks; the time-skipping test server runs those weeks in seconds, with the
// real activities writing to Postgres and mailing through a real SMTP server.
let env: TestWorkflowEnvironment;
let database: Database;
let smtp: SmtpCaptureServer;
let mailer: Mailer;
let worker: Workers;
let running: Promise<void>;
const taskQueue = 'dunning-test';

beforeAll(async () => {
  quietRuntime();
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
  });
  await registerSearchAttributes(env.connection, 'default');
  database = createDatabase(inject('databaseUrl'));
  smtp = await startSmtpCapture();
  mailer = createSmtpMailer(smtp.url, 'ar@o2c.test');
  worker = await createWorkers({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    deps: testActivityDeps(database.db, mailer),
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  mailer?.close();
  await smtp?.close();
  await database?.close();
  await env?.teardown();
});

async function startInvoice(
  options: { paymentTermsDays?: number; prepayment?: boolean; quantity?: number } & Pick<
    Parameters<typeof seedShippedOrder>[1] & object,
    'customer'
  > = {},
) {
  const { orderId, shipmentId, customer } = await seedShippedOrder(database.db, {
    unitPrice: 2500,
    quantity: options.quantity ?? 4,
    ...(options.paymentTermsDays !== undefined ? { paymentTermsDays: options.paymentTermsDays } : {}),
    ...(options.customer ? { customer: options.customer } : {}),
  });
  const invoiceId = randomUUID();
  const handle = await env.client.workflow.start(invoiceWorkflow, {
    workflowId: invoiceWorkflowId(invoiceId),
    taskQueue,
    args: [
      {
        invoiceId,
        orderId,
        dunningPolicy: DEFAULT_DUNNING_POLICY,
        ...(options.prepayment ? { prepayment: true } : { shipmentId }),
      },
    ],
  });
  return { handle, invoiceId, customer };
}

const levelsOf = async (invoiceId: string) =>
  (
    await database.db
      .select()
      .from(dunningEvents)
      .where(eq(dunningEvents.invoiceId, invoiceId))
      .orderBy(asc(dunningEvents.level))
  ).map((e) => ({ level: e.level, name: e.name, amountOutstanding: e.amountOutstanding }));

const mailsTo = (email: string) =>
  Promise.all(smtp.messages.filter((m) => m.to.includes(email)).map((m) => simpleParser(m.raw)));

async function pay(
  invoiceNumber: string,
  amount: number,
  handle: { signal: (s: typeof paymentRecordedSignal, a: { paymentId: string }) => Promise<void> },
) {
  const payment = await recordPayment(database.db, {
    invoiceNumber,
    amount,
    currency: 'EUR',
    method: 'sepa_credit_transfer',
    externalId: randomUUID(),
  });
  await handle.signal(paymentRecordedSignal, { paymentId: payment.paymentId });
}

describe('InvoiceWorkflow dunning on the time-skipping server', () => {
  it('escalates through every level over 60 simulated days, in seconds of real time', async () => {
    const started = Date.now();
    const { handle, invoiceId, customer } = await startInvoice({ paymentTermsDays: 14 });
    await env.sleep('60 days');

    // Due on day 14: reminder +7, second reminder +14, final notice +28, collection agency +45 = day 59.
    expect(await levelsOf(invoiceId)).toEqual([
      { level: 1, name: 'reminder', amountOutstanding: 12_100 },
      { level: 2, name: 'second_reminder', amountOutstanding: 12_100 },
      { level: 3, name: 'final_notice', amountOutstanding: 12_100 },
      { level: 4, name: 'collection_agency', amountOutstanding: 12_100 },
    ]);
    // The invoice itself went out at once (PDF and UBL attached), then one letter per level, each at the customer's
    // dunning run after the level fell due (00:00 UTC), each recorded with what it listed.
    const [invoiceMail, ...mails] = await mailsTo(customer.email);
    expect(invoiceMail!.subject).toMatch(/^Factuur NL1-INV-/);
    expect(invoiceMail!.attachments).toHaveLength(2);
    expect(mails.map((m) => m.subject?.split(':')[0])).toEqual([
      'Betalingsherinnering',
      'Tweede betalingsherinnering',
      'Laatste aanmaning',
      'Uw dossier is overgedragen aan een incassobureau',
    ]);
    expect(mails[0]!.text).toContain('EUR 121,00');
    expect(mails[0]!.text).toContain('Hebben wij uw betaling op');
    const letters = await dunningLettersOf(database.db, customer.id);
    expect(letters.map((l) => [l.level, l.levelName, l.items.length, l.runAt.slice(11)])).toEqual([
      [4, 'collection_agency', 1, '00:00:00.000Z'],
      [3, 'final_notice', 1, '00:00:00.000Z'],
      [2, 'second_reminder', 1, '00:00:00.000Z'],
      [1, 'reminder', 1, '00:00:00.000Z'],
    ]);
    const described = await handle.describe();
    expect(described.status.name).toBe('RUNNING');
    expect(described.typedSearchAttributes.get(DunningLevel)).toBe(4);

    const state = await handle.query(invoiceStateQuery);
    await pay(state.number!, 12_100, handle); // 10,000 net + 21 % VAT
    expect(await handle.result()).toMatchObject({ status: 'paid', balance: 0, dunningLevel: 4 });
    expect(Date.now() - started).toBeLessThan(45_000);
  });

  it('stops escalating at once when a payment settles the invoice mid-way', async () => {
    const { handle, invoiceId, customer } = await startInvoice({ paymentTermsDays: 30 });
    await env.sleep('40 days'); // day 37: first reminder sent
    expect((await levelsOf(invoiceId)).map((l) => l.level)).toEqual([1]);

    const { number } = await handle.query(invoiceStateQuery);
    await pay(number!, 4_000, handle); // partial: escalation continues on the rest
    await env.sleep('7 days'); // day 47: past the second reminder (day 44)
    expect(await levelsOf(invoiceId)).toEqual([
      { level: 1, name: 'reminder', amountOutstanding: 12_100 },
      { level: 2, name: 'second_reminder', amountOutstanding: 8_100 },
    ]);

    await pay(number!, 8_100, handle);
    expect(await handle.result()).toMatchObject({ status: 'paid', balance: 0, dunningLevel: 2 });
    await env.sleep('60 days');
    expect((await levelsOf(invoiceId)).map((l) => l.level)).toEqual([1, 2]);
    expect(await mailsTo(customer.email)).toHaveLength(3); // the invoice and two letters
  });

  it('after the last level, still notices within a day a payment whose signal was lost', async () => {
    const { handle } = await startInvoice({ paymentTermsDays: 14 });
    await env.sleep('60 days'); // every level sent
    const { number } = await handle.query(invoiceStateQuery);
    await recordPayment(database.db, {
      invoiceNumber: number!,
      amount: 12_100,
      currency: 'EUR',
      method: 'wire',
      externalId: randomUUID(),
    });
    await env.sleep('2 days'); // no signal: the workflow must find the payment in the ledger by itself
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    expect(await handle.result()).toMatchObject({ status: 'paid', balance: 0 });
  });

  it('only reminds a prepayment invoice: no goods left, so there is no debt to escalate', async () => {
    const { handle, invoiceId } = await startInvoice({ paymentTermsDays: 14, prepayment: true });
    await env.sleep('60 days');
    expect((await levelsOf(invoiceId)).map((l) => l.name)).toEqual(['reminder']);
    expect((await handle.describe()).status.name).toBe('RUNNING'); // its order decides when it expires
  });
  it('sends one letter for a customer with five overdue invoices, listing them all', async () => {
    const first = await startInvoice({ paymentTermsDays: 14 });
    const invoices = [first];
    for (let quantity = 1; quantity <= 4; quantity++) {
      invoices.push(await startInvoice({ paymentTermsDays: 14, quantity, customer: first.customer }));
    }
    await env.sleep('23 days'); // all five reached their reminder on day 21; the run after it sent one letter
    const reminders = await mailsTo(first.customer.email).then((m) =>
      m.filter((x) => !x.subject?.startsWith('Factuur')),
    );
    expect(reminders.map((m) => m.subject)).toEqual(['Betalingsherinnering: 5 openstaande facturen']);
    const [letter] = await dunningLettersOf(database.db, first.customer.id);
    expect(letter!.items.map((i) => i.amountOutstanding).sort((x, y) => x - y)).toEqual([
      3_025, 6_050, 9_075, 12_100, 12_100,
    ]);
    for (const item of letter!.items) expect(reminders[0]!.text).toContain(`${item.invoiceNumber}, vervallen op`);
    expect(reminders[0]!.text).toContain('Totaal openstaand: EUR 423,50');

    // One is paid; the second reminder (day 28) lists the four still owed, in one letter again.
    const paid = invoices[1]!;
    await pay((await paid.handle.query(invoiceStateQuery)).number!, 3_025, paid.handle);
    await env.sleep('7 days');
    const [second] = await dunningLettersOf(database.db, first.customer.id);
    expect([second!.levelName, second!.items.length]).toEqual(['second_reminder', 4]);
    expect(second!.items.map((i) => i.level)).toEqual([2, 2, 2, 2]);
    expect(await mailsTo(first.customer.email)).toHaveLength(5 + 2);
    for (const { handle } of invoices.filter((i) => i !== paid)) await handle.terminate('test done');
  });
});
