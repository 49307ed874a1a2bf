import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { simpleParser } from 'mailparser';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { asc, eq } from 'drizzle-orm';
import { createDatabase, type Database } from '../../db/client.js';
import { dunningEvents } from '../../db/schema.js';
import { putDunningPolicy } from '../../db/dunning-policies.js';
import { DEFAULT_DUNNING_POLICY, validateDunningPolicy } from '../../domain/dunning.js';
import { createSmtpMailer, type Mailer } from '../../integrations/mail.js';
import { startSmtpCapture, type SmtpCaptureServer } from '../../integrations/smtp-capture.js';
import { createWorkers, type Workers } from '../../temporal/worker.js';
import { customerAccountWorkflowId, invoiceWorkflowId } from '../../temporal/workflow-ids.js';
import { invoiceWorkflow } from '../../workflows/invoice.js';
import { invoiceStateQuery } from '../../workflows/messages.js';
import { recordHistory } from '../support/record-history.js';
import { seedShippedOrder } from '../support/seed-order.js';
import { eventually, quietRuntime, testActivityDeps } from '../support/stack.js';

// The engine down across several dunning levels. Timers that fire while no worker runs are only acted on when one
// is back, which the time-skipping server cannot show (it stops skipping at a task nobody takes), so this runs on
// the dev server in real time, with a policy of seconds and a dunning run every second.
const SECOND = 1000;
const policy = validateDunningPolicy({
  id: 'seconds',
  levels: [
    { level: 1, name: 'reminder', offset: 'PT3S' },
    { level: 2, name: 'second_reminder', offset: 'PT6S' },
    { level: 3, name: 'final_notice', offset: 'PT9S' },
    // 24 s after the final notice: wide enough that a worker slow to come back on a loaded CI machine still
    // returns between the final notice and this level.
    { level: 4, name: 'collection_agency', offset: 'PT33S' },
  ],
});

let connection: Connection;
let client: Client;
let workerConnection: NativeConnection;
let database: Database;
let smtp: SmtpCaptureServer;
let mailer: Mailer;
const taskQueue = `dunning-downtime-${randomUUID()}`;

const startWorker = async (): Promise<{ worker: Workers; running: Promise<void> }> => {
  const worker = await createWorkers({
    connection: workerConnection,
    namespace: 'default',
    taskQueue,
    deps: { ...testActivityDeps(database.db, mailer), collections: { dunningRunEveryMs: SECOND } },
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
  return { worker, running: worker.run() };
};

beforeAll(async () => {
  quietRuntime();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  workerConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  database = createDatabase(inject('databaseUrl'));
  smtp = await startSmtpCapture();
  mailer = createSmtpMailer(smtp.url, 'ar@o2c.test');
});

afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await database?.close();
  await workerConnection?.close();
  await connection?.close();
});

const levelsOf = (invoiceId: string) =>
  database.db
    .select()
    .from(dunningEvents)
    .where(eq(dunningEvents.invoiceId, invoiceId))
    .orderBy(asc(dunningEvents.level));

/** The receivable of a shipped order's invoice, started as its order starts it. */
async function startReceivable(orderId: string, shipmentId: string) {
  const invoiceId = randomUUID();
  const handle = await client.workflow.start(invoiceWorkflow, {
    workflowId: invoiceWorkflowId(invoiceId),
    taskQueue,
    args: [{ invoiceId, orderId, shipmentId, dunningPolicy: DEFAULT_DUNNING_POLICY }],
  });
  return { invoiceId, handle };
}

describe('dunning after downtime (latest_only)', () => {
  it('sends only the latest level due, then gives the next one its full spacing', { timeout: 90_000 }, async () => {
    const { orderId, shipmentId, customer } = await seedShippedOrder(database.db, { paymentTermsDays: 0 });
    // The customer's own policy, stored as finance would (PUT /v1/dunning-policies/:id): the workflow reads it.
    await putDunningPolicy(
      database.db,
      `seconds-${customer.id}`,
      { appliesTo: { customerId: customer.id }, levels: [...policy.levels], reason: 'test' },
      'test',
    );
    let engine = await startWorker();
    const { invoiceId, handle } = await startReceivable(orderId, shipmentId);
    const startedAt = Date.now();
    await eventually(
      () => handle.query(invoiceStateQuery),
      (state) => state.status === 'open', // issued: it sleeps towards its reminder
    );
    engine.worker.shutdown(); // down before the reminder (3 s)
    await engine.running;
    await new Promise((resolve) => setTimeout(resolve, startedAt + 13 * SECOND - Date.now()));
    engine = await startWorker(); // back after the final notice (9 s) fell due, before the agency (33 s)
    try {
      const [final] = await eventually(
        () => levelsOf(invoiceId),
        (levels) => levels.length > 0,
      );
      expect(final).toMatchObject({ level: 3, name: 'final_notice', policyId: `seconds-${customer.id}` });
      const [, agency] = await eventually(
        () => levelsOf(invoiceId),
        (levels) => levels.length > 1,
        40_000,
      );
      expect(agency).toMatchObject({ level: 4, name: 'collection_agency' });
      // Scheduled from the due date, the agency would have come 20 s after the late final notice; it came after
      // the full 24 s the policy puts between them (counted from when the worker acted, a little before the row).
      expect(agency!.createdAt.getTime() - final!.createdAt.getTime()).toBeGreaterThan(23_000);
      const letters = await eventually(
        () => Promise.all(smtp.messages.filter((m) => m.to.includes(customer.email)).map((m) => simpleParser(m.raw))),
        (mails) => mails.length >= 3,
      );
      // The invoice's own mail may go out after the restart too; the letters are two, in order.
      expect(letters.filter((m) => m.subject?.startsWith('Factuur'))).toHaveLength(1);
      expect(letters.filter((m) => !m.subject?.startsWith('Factuur')).map((m) => m.subject?.split(':')[0])).toEqual([
        'Laatste aanmaning',
        'Uw dossier is overgedragen aan een incassobureau',
      ]);
      expect((await levelsOf(invoiceId)).map((l) => l.level)).toEqual([3, 4]);
      await recordHistory(client, invoiceWorkflowId(invoiceId), 'invoice-dunning-after-downtime');
      await recordHistory(client, customerAccountWorkflowId(customer.id), 'customer-account-two-runs');
    } finally {
      await handle.terminate('test done').catch(() => undefined);
      engine.worker.shutdown();
      await engine.running;
    }
  });

  it('a worker restart between two levels loses none and sends none twice', { timeout: 120_000 }, async () => {
    const { orderId, shipmentId, customer } = await seedShippedOrder(database.db, { paymentTermsDays: 0 });
    await putDunningPolicy(
      database.db,
      `restart-${customer.id}`,
      {
        appliesTo: { customerId: customer.id },
        levels: [
          // After a restart the server first offers the next task to the stopped worker's sticky queue and moves
          // it to the shared queue only when that times out (10 s, the SDK's stickyQueueScheduleToStartTimeout):
          // the second reminder can be acted on up to ~10 s late. Levels closer than that would look like downtime
          // across two levels, and latest_only rightly sends just the later one; real levels are days apart.
          { level: 1, name: 'reminder', offset: 'PT3S' },
          { level: 2, name: 'second_reminder', offset: 'PT25S' },
          { level: 3, name: 'final_notice', offset: 'PT55S' },
        ],
        reason: 'test',
      },
      'test',
    );
    let engine = await startWorker();
    const { invoiceId, handle } = await startReceivable(orderId, shipmentId);
    let stopping: typeof engine | undefined;
    try {
      const [reminder] = await eventually(
        () => levelsOf(invoiceId),
        (levels) => levels.length > 0,
      );
      expect(reminder).toMatchObject({ level: 1, name: 'reminder' });
      // Stopped between the reminder and the second reminder (22 s later), and a new worker started 2 s on, as
      // a deploy replaces one: the old one drains its running activities meanwhile, however long that takes.
      stopping = engine;
      stopping.worker.shutdown();
      await new Promise((resolve) => setTimeout(resolve, 2 * SECOND));
      engine = await startWorker();
      const levels = await eventually(
        () => levelsOf(invoiceId),
        (rows) => rows.length >= 3,
        80_000,
      );
      expect(levels.map((l) => l.name)).toEqual(['reminder', 'second_reminder', 'final_notice']);
      // Each at its own time: the second reminder was neither lost nor sent on restart.
      expect(levels[1]!.createdAt.getTime() - levels[0]!.createdAt.getTime()).toBeGreaterThan(20_000);
      const letters = await eventually(
        () => Promise.all(smtp.messages.filter((m) => m.to.includes(customer.email)).map((m) => simpleParser(m.raw))),
        (mails) => mails.length >= 4,
      );
      await new Promise((resolve) => setTimeout(resolve, 2 * SECOND)); // a letter sent twice would be here by now
      expect(smtp.messages.filter((m) => m.to.includes(customer.email))).toHaveLength(4);
      expect(letters.filter((m) => !m.subject?.startsWith('Factuur')).map((m) => m.subject?.split(':')[0])).toEqual([
        'Betalingsherinnering',
        'Tweede betalingsherinnering',
        'Laatste aanmaning',
      ]);
    } finally {
      await handle.terminate('test done').catch(() => undefined);
      engine.worker.shutdown();
      await Promise.all([engine.running, stopping?.running]);
    }
  });
});
