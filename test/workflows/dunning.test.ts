import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { simpleParser } from 'mailparser';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { asc, eq } from 'drizzle-orm';
import type { ActivityDeps } from '../../activities/deps.js';
import { createDatabase, type Database } from '../../db/client.js';
import { recordPayment } from '../../db/payments.js';
import { createCustomer } from '../../db/customers.js';
import { putDunningPolicy } from '../../db/dunning-policies.js';
import { dunningLettersOf } from '../../db/dunning.js';
import {
  disputes,
  dunningCharges,
  dunningEvents,
  invoices as invoicesTable,
  paymentPromises,
} from '../../db/schema.js';
import { promiseWaitUntilMs } from '../../domain/collections.js';
import { isBusinessDay, onBusinessDay } from '../../domain/business-days.js';
import { DEFAULT_DUNNING_POLICY } from '../../domain/dunning.js';
import { localDate } from '../../domain/time-zones.js';
import {
  startCollectionAgencyStandIn,
  type CollectionAgencyStandIn,
} from '../../integrations/collection-agency-stand-in.js';
import { createHttpCollectionAgency } from '../../integrations/collection-agency.js';
import { createSmtpMailer, type Mailer } from '../../integrations/mail.js';
import { startSmtpCapture, type SmtpCaptureServer } from '../../integrations/smtp-capture.js';
import { registerSearchAttributes } from '../../temporal/register-search-attributes.js';
import { DunningLevel } from '../../temporal/search-attributes.js';
import { createWorkers, type Workers } from '../../temporal/worker.js';
import { invoiceWorkflowId } from '../../temporal/workflow-ids.js';
import {
  invoiceStateQuery,
  paymentRecordedSignal,
  promiseToPayUpdate,
  raiseDisputeUpdate,
  resolveDisputeUpdate,
} from '../../workflows/messages.js';
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
let agency: CollectionAgencyStandIn;
let activityDeps: ActivityDeps;
let running: Promise<void>;
const taskQueue = 'dunning-test';
/** While on, every activity's first attempt loses the reply of each transaction it commits (a dropped connection). */
let loseCommitReplies = false;

beforeAll(async () => {
  quietRuntime();
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
  });
  await registerSearchAttributes(env.connection, 'default');
  database = createDatabase(inject('databaseUrl'));
  smtp = await startSmtpCapture();
  mailer = createSmtpMailer(smtp.url, 'ar@o2c.test');
  // Takes hand-overs; its reports back are tested end to end (test/e2e/dunning-policies.test.ts).
  agency = await startCollectionAgencyStandIn({
    apiKey: 'agency-key',
    engine: { url: 'http://127.0.0.1:9', apiKey: 'unused', webhookSecret: 'unused-webhook-secret' },
  });
  activityDeps = {
    ...testActivityDeps(withLostCommitReplies(database.db), mailer),
    agency: createHttpCollectionAgency(agency.url, 'agency-key'),
  };
  worker = await createWorkers({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    deps: activityDeps,
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  mailer?.close();
  await smtp?.close();
  await agency?.close();
  await database?.close();
  await env?.teardown();
});

function withLostCommitReplies(db: Database['db']): Database['db'] {
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key !== 'transaction') return Reflect.get(target, key, receiver) as unknown;
      return async (...args: Parameters<typeof target.transaction>) => {
        const result = await target.transaction(...args);
        if (loseCommitReplies && Context.current().info.attempt === 1) {
          // What postgres.js throws when the connection drops before the reply: transient, so Temporal retries.
          throw Object.assign(new Error('write CONNECTION_CLOSED (injected after COMMIT)'), {
            code: 'CONNECTION_CLOSED',
          });
        }
        return result;
      };
    },
  });
}

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
    // The invoice itself went out at once (PDF and UBL attached), then one letter per level up to the final notice,
    // each at the customer's dunning run after the level fell due (00:00 UTC), each recorded with what it listed;
    // the last level hands the invoice to the collection agency, once, with the letters in its case file.
    const [invoiceMail, ...mails] = await mailsTo(customer.email);
    expect(invoiceMail!.subject).toMatch(/^Factuur NL1-INV-/);
    expect(invoiceMail!.attachments).toHaveLength(2);
    expect(mails.map((m) => m.subject?.split(':')[0])).toEqual([
      'Betalingsherinnering',
      'Tweede betalingsherinnering',
      'Laatste aanmaning',
    ]);
    expect(mails[0]!.text).toContain('EUR 121,00');
    expect(mails[0]!.text).toContain('Hebben wij uw betaling op');
    const letters = await dunningLettersOf(database.db, customer.id);
    expect(letters.map((l) => [l.level, l.levelName, l.items.length, l.runAt.slice(11)])).toEqual([
      [3, 'final_notice', 1, '00:00:00.000Z'],
      [2, 'second_reminder', 1, '00:00:00.000Z'],
      [1, 'reminder', 1, '00:00:00.000Z'],
    ]);
    const cases = [...agency.cases.values()].filter((c) => c.debtor.customerId === customer.id);
    expect(cases.map((c) => [c.invoice.outstanding, c.letters.map((l) => l.levelName)])).toEqual([
      [12_100, ['reminder', 'second_reminder', 'final_notice']],
    ]);
    const described = await handle.describe();
    expect(described.status.name).toBe('RUNNING');
    expect(described.typedSearchAttributes.get(DunningLevel)).toBe(4);

    const state = await handle.query(invoiceStateQuery);
    await pay(state.number!, 12_100, handle); // 10,000 net + 21 % VAT
    expect(await handle.result()).toMatchObject({ status: 'paid', balance: 0, dunningLevel: 4 });
    expect(Date.now() - started).toBeLessThan(45_000);
  });

  it('re-anchors on a partial payment, and stops escalating at once when a payment settles it', async () => {
    const { handle, invoiceId, customer } = await startInvoice({ paymentTermsDays: 30 });
    await env.sleep('40 days'); // day 37: first reminder sent
    expect((await levelsOf(invoiceId)).map((l) => l.level)).toEqual([1]);

    const { number } = await handle.query(invoiceStateQuery);
    await pay(number!, 4_000, handle); // partial, on day 40: the rest gets the full week again
    await env.sleep('6 days'); // day 46: past the scheduled second reminder (day 44), not yet a week after the payment
    expect((await levelsOf(invoiceId)).map((l) => l.level)).toEqual([1]);
    await env.sleep('2 days'); // day 48
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

describe('disputes and promises to pay pause dunning, on the time-skipping server', () => {
  const DAY = 86_400_000;
  const actor = 'test-finance';
  const day = (startedAt: number, n: number) => new Date(startedAt + n * DAY).toISOString().slice(0, 10);
  const promise = (promisedDate: string, amount: number) => ({
    promiseId: randomUUID(),
    promisedDate,
    amount,
    note: 'promised on the phone',
    actor,
    waitUntil: new Date(promiseWaitUntilMs(promisedDate, 'P3D')).toISOString(),
  });
  const dispute = (amount: number) => ({
    disputeId: randomUUID(),
    reasonCode: 'damaged' as const,
    amount,
    note: 'two scrapers arrived bent',
    owner: 'ar-team',
    actor,
    slaDueAt: new Date(Date.now() + 14 * DAY).toISOString(),
  });
  const promiseRow = async (promiseId: string) =>
    (await database.db.select().from(paymentPromises).where(eq(paymentPromises.id, promiseId)))[0]!;

  it('a kept promise ends the wait, and the rest is dunned after its notice period', async () => {
    const startedAt = await env.currentTimeMs(); // server time: earlier tests skipped months ahead
    const { handle, invoiceId } = await startInvoice({ paymentTermsDays: 14 });
    await env.sleep('22 days'); // reminder on day 21
    const promised = promise(day(startedAt, 30), 5_000);
    const state = await handle.executeUpdate(promiseToPayUpdate, { args: [promised] });
    expect(state.promise).toMatchObject({ promiseId: promised.promiseId, amount: 5_000 });
    await env.sleep('7 days'); // day 29: the second reminder (day 28) waits for the promise
    expect((await levelsOf(invoiceId)).map((l) => l.level)).toEqual([1]);
    await pay((await handle.query(invoiceStateQuery)).number!, 5_000, handle);
    await env.sleep('6 days'); // day 35: past the promise's wait (day 33-34)
    expect((await promiseRow(promised.promiseId)).status).toBe('kept');
    expect((await levelsOf(invoiceId)).map((l) => l.level)).toEqual([1]); // a week after the payment: day 36
    await env.sleep('2 days');
    expect(await levelsOf(invoiceId)).toEqual([
      { level: 1, name: 'reminder', amountOutstanding: 12_100 },
      { level: 2, name: 'second_reminder', amountOutstanding: 7_100 },
    ]);
    await handle.terminate('test done');
  });

  it('a broken promise escalates at once to the next level', async () => {
    const startedAt = await env.currentTimeMs(); // server time: earlier tests skipped months ahead
    const { handle, invoiceId } = await startInvoice({ paymentTermsDays: 14 });
    await env.sleep('22 days');
    const promised = promise(day(startedAt, 23), 12_100); // waits until the end of day 23 + 3 days of grace
    await handle.executeUpdate(promiseToPayUpdate, { args: [promised] });
    await expect(
      handle.executeUpdate(promiseToPayUpdate, { args: [promise(day(startedAt, 26), 100)] }),
    ).rejects.toMatchObject({ cause: { type: 'PROMISE_OPEN' } });
    await env.sleep('3.9 days'); // day 25.9
    expect((await levelsOf(invoiceId)).map((l) => l.level)).toEqual([1]);
    // Day 27.2: the wait ended (day 26-27) unpaid, so the second reminder went out then, not on its day 28.
    await env.sleep('1.3 days');
    expect((await promiseRow(promised.promiseId)).status).toBe('broken');
    expect((await levelsOf(invoiceId)).map((l) => l.level)).toEqual([1, 2]);
    await handle.terminate('test done');
  });

  it('a dispute pauses only its amount; a rejection claims it again after a new notice period', async () => {
    const { handle, invoiceId, customer } = await startInvoice({ paymentTermsDays: 14 });
    await env.sleep('22 days'); // reminder on day 21
    const partly = dispute(2_100);
    const state = await handle.executeUpdate(raiseDisputeUpdate, { args: [partly] });
    expect(state.disputedAmount).toBe(2_100);
    await expect(handle.executeUpdate(raiseDisputeUpdate, { args: [dispute(10_001)] })).rejects.toMatchObject({
      cause: { type: 'DISPUTE_EXCEEDS_BALANCE' },
    });
    await env.sleep('7 days'); // day 29: the undisputed 100,00 kept escalating (second reminder, day 28)
    expect((await levelsOf(invoiceId)).map((l) => l.level)).toEqual([1, 2]);
    const [letter] = await dunningLettersOf(database.db, customer.id);
    expect(letter!.items[0]).toMatchObject({ amountOutstanding: 10_000, disputedAmount: 2_100 });
    const [, , letterMail] = await mailsTo(customer.email);
    expect(letterMail!.text).toContain('EUR 100,00, betalingskenmerk');
    expect(letterMail!.text).toContain('(EUR 21,00 in geschil wordt niet gevorderd)');

    const rest = dispute(10_000); // now all of it is disputed: dunning stops
    await handle.executeUpdate(raiseDisputeUpdate, { args: [rest] });
    await env.sleep('20 days'); // day 49: the final notice (day 42) is held back
    expect((await levelsOf(invoiceId)).map((l) => l.level)).toEqual([1, 2]);
    expect((await handle.query(invoiceStateQuery)).disputedAmount).toBe(12_100);

    // The damaged goods are credited; the other dispute is rejected: the 100,00 is claimed again, a week later.
    await handle.executeUpdate(resolveDisputeUpdate, {
      args: [
        {
          disputeId: partly.disputeId,
          resolution: 'credit_note',
          note: 'bent scrapers',
          actor,
          creditNoteId: randomUUID(),
        },
      ],
    });
    await handle.executeUpdate(resolveDisputeUpdate, {
      args: [{ disputeId: rest.disputeId, resolution: 'rejected', note: 'delivered as ordered', actor }],
    });
    expect(await handle.query(invoiceStateQuery)).toMatchObject({ balance: 10_000, disputedAmount: 0 });
    await env.sleep('13 days'); // day 62: 14 days after the rejection is day 63
    expect((await levelsOf(invoiceId)).map((l) => l.level)).toEqual([1, 2]);
    await env.sleep('2 days');
    expect((await levelsOf(invoiceId)).map((l) => [l.level, l.amountOutstanding])).toEqual([
      [1, 12_100],
      [2, 12_100],
      [3, 10_000],
    ]);
    const resolved = await database.db.select().from(disputes).where(eq(disputes.invoiceId, invoiceId));
    expect(resolved.map((d) => [d.resolution, d.status]).sort()).toEqual([
      ['credit_note', 'resolved'],
      ['rejected', 'resolved'],
    ]);
    await handle.terminate('test done');
  });
});

describe('statutory fees and interest, on the time-skipping server', () => {
  const DAY = 86_400_000;
  const chargesOf = async (invoiceId: string) =>
    (
      await database.db
        .select()
        .from(dunningCharges)
        .where(eq(dunningCharges.invoiceId, invoiceId))
        .orderBy(asc(dunningCharges.level), asc(dunningCharges.kind))
    ).map((c) => [c.level, c.kind, c.amount] as const);
  const customerWithPolicy = async (fields: Parameters<typeof createCustomer>[1], levels: unknown[]) => {
    const customer = await createCustomer(database.db, fields);
    await putDunningPolicy(
      database.db,
      `charges-${customer.id.slice(0, 8)}`,
      { appliesTo: { customerId: customer.id }, levels, reason: 'test' },
      'test-finance',
    );
    return customer;
  };
  const dutchBusiness = {
    name: 'Van Dijk Groothandel B.V.',
    country: 'NL',
    currency: 'EUR',
    language: 'nl',
    creditLimit: 10_000_000,
    paymentTermsDays: 14,
    vatId: 'NL987654321B01',
    street: 'Dorpsstraat 5',
    city: 'Utrecht',
    postalCode: '3512 AB',
  };

  it("posts each level's fees and interest once although every first attempt loses its commit, and the next letter lists them", async () => {
    const customer = await customerWithPolicy(
      { ...dutchBusiness, email: `ap-${randomUUID().slice(0, 8)}@vandijk.example` },
      [
        { level: 1, name: 'reminder', offset: 'P7D', charges: ['interest'] },
        { level: 2, name: 'second_reminder', offset: 'P14D', charges: ['compensation', 'interest'] },
      ],
    );
    // Issued at noon UTC: the Dutch dates of the levels are then a whole number of days after the due date, DST or not.
    await env.sleep((DAY + DAY / 2 - ((await env.currentTimeMs()) % DAY)) % DAY || 1);
    const { handle, invoiceId } = await startInvoice({ customer });
    loseCommitReplies = true;
    try {
      await env.sleep('30 days'); // due day 14: reminder day 21, second reminder day 28, each letter the run after
    } finally {
      loseCommitReplies = false;
    }
    const charges = await chargesOf(invoiceId);
    expect(charges.map(([level, kind]) => [level, kind])).toEqual([
      [1, 'interest'],
      [2, 'compensation'],
      [2, 'interest'],
    ]);
    // EUR 121.00 at the Dutch commercial rate, 7 days then 14 days in all (to the levels' Dutch dates); the EUR 40 once.
    const rows = await database.db.select().from(dunningCharges).where(eq(dunningCharges.invoiceId, invoiceId));
    const interest = rows.filter((r) => r.kind === 'interest').sort((a, b) => a.level - b.level);
    const [{ dueDate }] = (await database.db
      .select({ dueDate: invoicesTable.dueDate })
      .from(invoicesTable)
      .where(eq(invoicesTable.id, invoiceId))) as [{ dueDate: string }];
    expect(interest.map((r) => (Date.parse(r.postedOn) - Date.parse(dueDate)) / DAY)).toEqual([7, 14]);
    const rateBp = (interest[0]!.basis as { periods: { rateBp: number }[] }).periods[0]!.rateBp;
    expect(interest.map((r) => r.amount)).toEqual([
      Math.round((12_100 * rateBp * 7) / 3_650_000),
      Math.round((12_100 * rateBp * 14) / 3_650_000) - Math.round((12_100 * rateBp * 7) / 3_650_000),
    ]);
    expect(charges[1]![2]).toBe(4_000);

    const letters = (await mailsTo(customer.email)).filter((m) => !m.subject?.startsWith('Factuur'));
    expect(letters.map((m) => m.subject?.split(':')[0])).toEqual([
      'Betalingsherinnering',
      'Tweede betalingsherinnering',
    ]);
    const interestSoFar = interest.reduce((sum, r) => sum + r.amount, 0);
    expect(letters[1]!.text).toContain('  + vaste vergoeding voor invorderingskosten: EUR 40,00');
    expect(letters[1]!.text).toContain(`  + wettelijke rente: EUR 0,${String(interestSoFar).padStart(2, '0')}`);
    expect(letters[1]!.text).toContain(
      `Totaal openstaand: EUR ${((12_100 + 4_000 + interestSoFar) / 100).toFixed(2).replace('.', ',')}`,
    );
    await handle.terminate('test done');
  });

  it('Norway: the hand-over waits 15 days after the inkassovarsel, and the reminder fee only from 14 days overdue', async () => {
    const customer = await customerWithPolicy(
      {
        ...dutchBusiness,
        name: 'Nordlys Kafé AS',
        country: 'NO',
        currency: 'NOK',
        language: 'nb',
        vatId: 'NO923609016MVA',
        legalEntity: 'NO1',
        street: 'Bryggen 2',
        city: 'Bergen',
        postalCode: '5003',
        email: `ap-${randomUUID().slice(0, 8)}@nordlys.example`,
      },
      [
        { level: 1, name: 'reminder', offset: 'P7D', charges: ['reminder_fee'] },
        { level: 2, name: 'final_notice', offset: 'P14D', charges: ['reminder_fee'] },
        { level: 3, name: 'collection_agency', offset: 'P21D' },
      ],
    );
    await env.sleep((DAY + DAY / 2 - ((await env.currentTimeMs()) % DAY)) % DAY || 1); // noon UTC, as above
    const { handle, invoiceId } = await startInvoice({ customer });
    await env.sleep('38 days'); // due day 14; the policy says hand over on day 35, the law not before day 43
    expect((await levelsOf(invoiceId)).map((l) => l.name)).toEqual(['reminder', 'final_notice']);
    await env.sleep('6 days');
    expect((await levelsOf(invoiceId)).map((l) => l.name)).toEqual(['reminder', 'final_notice', 'collection_agency']);
    // Day 21 is 7 days overdue: no fee yet; day 28, 14 days overdue: the purregebyr.
    expect(await chargesOf(invoiceId)).toEqual([[2, 'reminder_fee', 3_500]]);
    const [inkassovarsel] = (await mailsTo(customer.email)).filter((m) => m.subject?.startsWith('Inkassovarsel'));
    expect(inkassovarsel!.text).toContain('  + purregebyr: NOK 35,00');
    await handle.terminate('test done');
  });
});

describe('business days, on the time-skipping server', () => {
  const DAY = 86_400_000;
  it("holds a daily run on the seller country's next business day, not on a weekend", async () => {
    activityDeps.collections.businessDays = true;
    try {
      const today = Math.floor((await env.currentTimeMs()) / DAY);
      // Terms that put the reminder's plain run (due + 7 days, the run after it) on a Saturday.
      let terms = 0;
      while (new Date((today + terms + 8) * DAY).getUTCDay() !== 6) terms++;
      const plainRun = (today + terms + 8) * DAY;
      const { handle, customer } = await startInvoice({ paymentTermsDays: terms });
      await env.sleep(`${terms + 14} days`);
      const [letter] = await dunningLettersOf(database.db, customer.id);
      const runAt = Date.parse(letter!.runAt);
      expect(isBusinessDay('NL', letter!.runAt.slice(0, 10))).toBe(true);
      expect(runAt).toBe(onBusinessDay(plainRun, 'NL'));
      expect(runAt - plainRun).toBeGreaterThanOrEqual(2 * DAY); // Saturday to Monday at the earliest
      await handle.terminate('test done');
    } finally {
      activityDeps.collections.businessDays = false;
    }
  });

  it('reaches a level due on a weekend the next business day, and spaces the next level from then', async () => {
    activityDeps.collections.businessDays = true;
    try {
      // Terms that put the reminder (7 days after the due moment) on a Saturday.
      const now = await env.currentTimeMs();
      let terms = 0;
      while (new Date(now + (terms + 7) * DAY).getUTCDay() !== 6) terms++;
      const saturday = now + (terms + 7) * DAY;
      const { customer } = await seedShippedOrder(database.db, { paymentTermsDays: terms });
      await putDunningPolicy(
        database.db,
        `weekend-${customer.id}`,
        {
          appliesTo: { customerId: customer.id },
          levels: [
            { level: 1, name: 'reminder', offset: 'P7D', charges: ['compensation'] },
            { level: 2, name: 'second_reminder', offset: 'P10D', charges: ['interest'] },
          ],
          reason: 'test',
        },
        'test',
      );
      const { handle, invoiceId } = await startInvoice({ customer });
      await env.sleep(`${terms + 16} days`);
      const charges = await database.db
        .select({ kind: dunningCharges.kind, postedOn: dunningCharges.postedOn })
        .from(dunningCharges)
        .where(eq(dunningCharges.invoiceId, invoiceId))
        .orderBy(asc(dunningCharges.level));
      // Monday (or later, past a holiday) instead of Saturday; the second level 3 days (its spacing) after
      // that, not 3 days after the Saturday.
      const reminded = onBusinessDay(saturday, 'NL');
      expect(reminded - saturday).toBeGreaterThanOrEqual(2 * DAY);
      const secondDue = onBusinessDay(Math.max(now + (terms + 10) * DAY, reminded + 3 * DAY), 'NL');
      expect(charges).toEqual([
        { kind: 'compensation', postedOn: localDate(new Date(reminded).toISOString(), 'Europe/Amsterdam') },
        { kind: 'interest', postedOn: localDate(new Date(secondDue).toISOString(), 'Europe/Amsterdam') },
      ]);
      expect(secondDue - reminded).toBeGreaterThanOrEqual(3 * DAY);
      await handle.terminate('test done');
    } finally {
      activityDeps.collections.businessDays = false;
    }
  });
});
