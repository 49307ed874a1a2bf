// `npm run bench:cash-application`: one CAMT.053 of N lines through the whole engine on an isolated embedded stack,
// from POST /v1/bank-statements to every line applied (allocations written) and every invoice paid (its
// InvoiceWorkflow told, and closed by it). One JSON object on stdout; progress on stderr.
//   npx tsx bench/cash-application.ts [--lines 10000] [--customers 50] [--concurrency 16] [--instalments 1]
// Set-up, not measured: C customers, N / K orders invoiced at order time through the API. With K = 1 the file
// pays each invoice once: 70% by its structured reference, 30% by its number in the remittance text, from the
// customer's name and IBAN. With K > 1 it pays each invoice in K instalments of different amounts, all by its
// reference: as many lines, allocations and receivable signals for a K-th of the set-up (an order a client waits
// for is about 0.3 s of this machine's two cores).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { camt053, type TestEntry } from '../test/support/bank-files.js';
import {
  asConfig,
  createFixtures,
  describeFailure,
  httpClient,
  log,
  machineInfo,
  numericOptions,
  pool,
  round,
  runBenchmark,
  sleep,
  type BenchFixtures,
  type BenchStack,
  type Http,
  type OrderView,
} from './support.js';

const options = numericOptions({
  lines: { default: 10_000, min: 1, integer: true, description: 'lines in the file' },
  instalments: { default: 1, min: 1, integer: true, description: 'lines paying each invoice' },
  customers: { default: 50, min: 1, integer: true, description: 'customers the invoices are spread over' },
  concurrency: { default: 16, min: 1, integer: true, description: 'orders created at a time during set-up' },
  timeout: { default: 1800, min: 1, description: 'seconds the file may take to be applied and its invoices paid' },
});

const OUR_ACCOUNT = 'NL91ABNA0417164300';
const POLL_MS = 500;

interface OpenInvoice {
  id: string;
  number: string;
  total: number;
  balance: number;
  paymentReference: string;
  status: string;
}

/** The body of an answer with one of these statuses (typed by the caller); any other is the benchmark's failure. */
function expectStatus(res: Awaited<ReturnType<Http>>, status: number[], what: string): never {
  if (!status.includes(res.status)) {
    const { kind, detail } = describeFailure(res);
    throw new Error(`${what}: ${kind}: ${detail}`);
  }
  return res.body as never;
}

/** Every invoice of the customer with this status, through the API's pages. */
async function invoicesOf(http: Http, stack: BenchStack, customerId: string, status: string) {
  const all: OpenInvoice[] = [];
  let after: string | undefined;
  do {
    const query = `customerId=${customerId}&status=${status}&limit=200${after ? `&after=${after}` : ''}`;
    const page: { invoices: OpenInvoice[]; next?: string } = expectStatus(
      await http('GET', `/v1/invoices?${query}`, { key: stack.adminKey }),
      [200],
      'GET /v1/invoices',
    );
    all.push(...page.invoices);
    after = page.next;
  } while (after);
  return all;
}

async function setUp(http: Http, stack: BenchStack) {
  const customers: (BenchFixtures & { name: string; iban: string })[] = [];
  for (let c = 0; c < options.customers; c++) {
    const fixtures = await createFixtures(http, stack, { paymentTermsDays: 30 });
    const customer: { name: string } = expectStatus(
      await http('GET', `/v1/customers/${fixtures.customerId}`, { key: stack.adminKey }),
      [200],
      'GET /v1/customers/:id',
    );
    customers.push({
      ...fixtures,
      name: customer.name,
      iban: `NL${String(10 + c).slice(-2)}RABO${String(c).padStart(10, '0')}`,
    });
  }
  const started = performance.now();
  // Each client waits for its order's invoice before the next order: a flood of orders makes thousands of
  // workflows compete for two cores and the set-up far slower than the engine's pace.
  const invoices = Math.ceil(options.lines / options.instalments);
  const open = await pool(invoices, options.concurrency, async (i) => {
    const customer = customers[i % customers.length]!;
    const order: { id: string } = expectStatus(
      await http('POST', '/v1/orders', {
        key: stack.integrationKey,
        headers: { 'idempotency-key': `bench-cash-${i}-${randomUUID()}` },
        body: {
          customerId: customer.customerId,
          invoicing: 'on_order',
          lines: [{ sku: customer.sku, quantity: 1 + (i % 7) }],
        },
      }),
      [201],
      'POST /v1/orders',
    );
    for (;;) {
      const view: OrderView = expectStatus(
        await http('GET', `/v1/orders/${order.id}`, { key: stack.adminKey }),
        [200],
        'GET /v1/orders/:id',
      );
      const invoice = view.invoices[0];
      if (invoice && invoice.balance > 0) {
        if ((i + 1) % 500 === 0) log(`${i + 1}/${invoices} orders invoiced`);
        return { customer, invoice };
      }
      await sleep(POLL_MS);
    }
  });
  return { customers, open, setupS: (performance.now() - started) / 1000 };
}

/** Until the set-up's own work (invoice documents delivered, mails sent) is done, so it is not measured. */
async function settled(client: Client): Promise<void> {
  for (;;) {
    const { count } = await client.workflow.count(
      'WorkflowType = "documentDeliveryWorkflow" AND ExecutionStatus = "Running"',
    );
    if (count === 0) return;
    log(`${count} invoice documents still being delivered`);
    await sleep(5_000);
  }
}

/** Where the statement's workflow spent its time: in the batch activities, and in all the rest. */
async function workflowBreakdown(client: Client, statementId: string) {
  const events = (await client.workflow.getHandle(`bank-statement:${statementId}`).fetchHistory()).events ?? [];
  const ms = (e: (typeof events)[number]) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
  const scheduled = new Map<string, { at: number; type: string }>();
  const activities: Record<string, { count: number; seconds: number }> = {};
  for (const e of events) {
    const s = e.activityTaskScheduledEventAttributes;
    if (s) scheduled.set(String(e.eventId), { at: ms(e), type: s.activityType?.name ?? '?' });
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      const from = scheduled.get(String(done.scheduledEventId));
      if (from) {
        const a = (activities[from.type] ??= { count: 0, seconds: 0 });
        a.count++;
        a.seconds = round(a.seconds + (ms(e) - from.at) / 1000, 2);
      }
    }
  }
  return {
    history_events: events.length,
    workflow_s: events.length > 1 ? round((ms(events.at(-1)!) - ms(events[0]!)) / 1000, 2) : 0,
    activities,
  };
}

/** Weights 1..K of the balance, the last taking the rounding: K different amounts adding up to it. */
function instalments(balance: number, k: number): number[] {
  const weights = (k * (k + 1)) / 2;
  const parts = Array.from({ length: k - 1 }, (_, j) => Math.floor((balance * (j + 1)) / weights));
  return [...parts, balance - parts.reduce((sum, part) => sum + part, 0)];
}

function statementFile(open: Awaited<ReturnType<typeof setUp>>['open']): string {
  const k = options.instalments;
  const entries: TestEntry[] = open
    .flatMap(({ customer, invoice }, i) =>
      instalments(invoice.balance, k).map((amount) => ({
        amount,
        debtorName: customer.name,
        debtorIban: customer.iban,
        ...(k > 1 || i % 10 < 7
          ? { reference: invoice.paymentReference }
          : { text: `Invoice ${invoice.number} thank you` }),
      })),
    )
    .slice(0, options.lines)
    .map((entry, i) => ({ acctSvcrRef: `BENCH-${i}`, ...entry }));
  return camt053({ statementId: `BENCH-${randomUUID().slice(0, 8)}`, account: OUR_ACCOUNT, entries });
}

await runBenchmark({ dispatchDelay: 'PT0.2S' }, async (stack) => {
  const http = httpClient(stack.apiUrl);
  log(
    `cash application: ${options.lines} lines paying ${Math.ceil(options.lines / options.instalments)} invoices of ${options.customers} customers`,
  );
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, namespace: stack.namespace });
  const { customers, open, setupS } = await setUp(http, stack);
  await settled(client);
  const file = statementFile(open);
  log(
    `set-up done in ${round(setupS)} s; posting a CAMT.053 of ${options.lines} lines (${round(file.length / 1e6)} MB)`,
  );

  const deadline = performance.now() + options.timeout * 1000;
  const posted = performance.now();
  const res = await fetch(`${stack.apiUrl}/v1/bank-statements`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.integrationKey}`, 'content-type': 'application/xml' },
    body: file,
  });
  if (res.status !== 202) throw new Error(`POST /v1/bank-statements: HTTP ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  const acceptedMs = performance.now() - posted;

  let statement: { status: string; lines: { total: number; done: number } };
  for (;;) {
    statement = expectStatus(
      await http('GET', `/v1/bank-statements/${id}?entries=false`, { key: stack.adminKey }),
      [200],
      'GET /v1/bank-statements/:id',
    );
    if (statement.status === 'completed') break;
    if (statement.status === 'needs_attention')
      throw new Error(`the statement needs attention: ${JSON.stringify(statement)}`);
    if (performance.now() > deadline)
      throw new Error(`not applied after ${options.timeout} s: ${JSON.stringify(statement)}`);
    await sleep(POLL_MS);
  }
  const appliedS = (performance.now() - posted) / 1000;
  log(`applied in ${round(appliedS)} s; waiting for the invoice workflows to close the invoices`);

  let stillOpen = open.length;
  for (;;) {
    stillOpen = 0;
    for (const customer of customers) stillOpen += (await invoicesOf(http, stack, customer.customerId, 'open')).length;
    if (stillOpen === 0) break;
    if (performance.now() > deadline) throw new Error(`${stillOpen} invoices still open after ${options.timeout} s`);
    await sleep(POLL_MS);
  }
  const paidS = (performance.now() - posted) / 1000;

  const viewStarted = performance.now();
  const view: { entries: { status: string }[] } = expectStatus(
    await http('GET', `/v1/bank-statements/${id}`, { key: stack.adminKey }),
    [200],
    'GET /v1/bank-statements/:id',
  );
  const viewMs = performance.now() - viewStarted;
  const breakdown = await workflowBreakdown(client, id);
  await connection.close();
  const byStatus: Record<string, number> = {};
  for (const entry of view.entries) byStatus[entry.status] = (byStatus[entry.status] ?? 0) + 1;

  return {
    benchmark: 'cash-application',
    machine: machineInfo(),
    config: { ...asConfig(options), database: stack.database, stack_startup_s: stack.startup_s },
    lines: options.lines,
    invoices: open.length,
    file_mb: round(file.length / 1e6, 2),
    setup_s: round(setupS, 1),
    accepted_ms: round(acceptedMs),
    applied_s: round(appliedS, 2),
    lines_per_s: round(options.lines / appliedS, 1),
    all_invoices_paid_s: round(paidS, 2),
    entries_by_status: byStatus,
    full_statement_view_ms: round(viewMs),
    cash_application_workflow: breakdown,
    notes: [
      'accepted_ms: POST /v1/bank-statements until its 202 (the file parsed, validated and stored whole).',
      'applied_s: from sending the POST to the first poll (every 0.5 s) that sees the statement completed: every line matched and its allocations written, every InvoiceWorkflow signalled.',
      'all_invoices_paid_s: from the same start until no invoice of the benchmark customers is open, i.e. each InvoiceWorkflow re-read its balance and recorded the invoice paid.',
      'full_statement_view_ms: one GET /v1/bank-statements/:id with every entry, after completion.',
      'cash_application_workflow: from its history, its first to last event and the time from scheduling to completion of its activities by type (the batches of 500 lines are applyStatementBatch).',
      'Set-up waits until no invoice document is being delivered any more, so that work is not measured.',
      'The engine (API + worker), the Temporal dev server and Postgres share the machine with this load generator.',
    ],
  };
});
