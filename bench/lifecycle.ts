// `npm run bench:lifecycle`: N orders through the whole engine, from POST /v1/orders to paid and completed,
// against an isolated stack whose warehouse stand-in dispatches after 0.2 s. Afterwards it counts the Temporal
// history events of the order and invoice workflows. One JSON object on stdout; progress on stderr.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import {
  asConfig,
  asError,
  createFixtures,
  describeFailure,
  httpClient,
  log,
  machineInfo,
  numericOptions,
  percentiles,
  pool,
  round,
  runBenchmark,
  sleep,
  spread,
  type BenchFixtures,
  type BenchStack,
  type Http,
  type OrderView,
} from './support.js';

const options = numericOptions({
  orders: { default: 100, min: 1, integer: true, description: 'orders to take from POST to completed' },
  concurrency: { default: 10, min: 1, integer: true, description: 'orders in flight at a time' },
  'order-timeout': {
    default: 120,
    min: 1,
    description: 'seconds an order may take from POST to completed before it counts as failed',
  },
  'history-sample': {
    default: 0,
    min: 0,
    integer: true,
    description: 'completed orders whose workflow histories are counted (0 = all)',
  },
});

const DISPATCH_DELAY = 'PT0.2S';
const POLL_MS = 100;
const DUNNING_POLICY = {
  id: 'bench',
  levels: [
    { level: 1, name: 'reminder', offset: 'PT30S' },
    { level: 2, name: 'final_notice', offset: 'PT60S' },
  ],
};
/** Statuses from which an order never completes without someone acting on it. */
const STUCK = new Set(['credit_hold', 'cancelled', 'rejected']);

interface Outcome {
  orderId?: string;
  invoiceId?: string;
  e2eMs?: number;
  invoiceMs?: number;
  error?: string;
}

class OrderFailed extends Error {}

async function oneOrder(http: Http, stack: BenchStack, fixtures: BenchFixtures, index: number): Promise<Outcome> {
  const started = performance.now();
  const deadline = started + options['order-timeout'] * 1000;
  const outcome: Outcome = {};

  const check = (res: { status: number; body: unknown; ms: number }, expected: number[], what: string) => {
    if (!expected.includes(res.status)) {
      const { kind, detail } = describeFailure(res);
      throw new OrderFailed(`${what}: ${kind}: ${detail}`);
    }
  };
  /** Polls the order every POLL_MS until `done` holds; fails on a stuck status or at the deadline. */
  const pollUntil = async (what: string, done: (o: OrderView) => boolean): Promise<OrderView> => {
    let last: OrderView | undefined;
    while (performance.now() < deadline) {
      const res = await http('GET', `/v1/orders/${outcome.orderId}`, { key: stack.adminKey });
      check(res, [200], `GET /v1/orders/${outcome.orderId}`);
      last = res.body as OrderView;
      if (done(last)) return last;
      if (STUCK.has(last.status))
        throw new OrderFailed(
          `order ${last.id} is ${last.status}${last.statusReason ? ` (${last.statusReason})` : ''}`,
        );
      await sleep(POLL_MS);
    }
    throw new OrderFailed(
      `order ${outcome.orderId} not ${what} after ${options['order-timeout']} s (last status ${last?.status})`,
    );
  };

  try {
    const created = await http('POST', '/v1/orders', {
      key: stack.integrationKey,
      headers: { 'idempotency-key': `bench-lifecycle-${index}-${randomUUID()}` },
      body: { customerId: fixtures.customerId, lines: [{ sku: fixtures.sku, quantity: 1 }] },
    });
    check(created, [201], 'POST /v1/orders');
    outcome.orderId = (created.body as { id: string }).id;

    // awaiting_payment, or in_dunning if this machine is slow enough for the 30 s reminder to come first.
    const invoiced = await pollUntil(
      'invoiced',
      (o) =>
        (o.status === 'awaiting_payment' || o.status === 'in_dunning') &&
        o.invoices.length > 0 &&
        o.invoices[0]!.balance > 0,
    );
    outcome.invoiceMs = performance.now() - started;
    const invoice = invoiced.invoices[0]!;
    outcome.invoiceId = invoice.id;

    const paid = await http('POST', '/v1/payments', {
      key: stack.integrationKey,
      body: {
        invoiceNumber: invoice.number,
        amount: invoice.balance,
        currency: invoice.currency,
        method: 'sepa_credit_transfer',
        externalId: `bench-${invoice.id}`,
      },
    });
    check(paid, [201], 'POST /v1/payments');

    await pollUntil('completed', (o) => o.status === 'completed');
    outcome.e2eMs = performance.now() - started;
  } catch (err) {
    const error = asError(err);
    outcome.error =
      error instanceof OrderFailed ? error.message : `${describeFailure(error).kind}: ${describeFailure(error).detail}`;
  }
  return outcome;
}

async function historyEvents(stack: BenchStack, outcomes: Outcome[]) {
  const done = outcomes.filter((o) => o.e2eMs !== undefined);
  const sample = options['history-sample'] === 0 ? done : done.slice(0, options['history-sample']);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const client = new Client({ connection, namespace: stack.namespace });
    const count = async (workflowId: string) =>
      (await client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;
    log(`counting history events of ${sample.length} order and invoice workflows`);
    const counts = await pool(sample.length, 8, async (i) => ({
      order: await count(`order:${sample[i]!.orderId}`),
      invoice: await count(`invoice:${sample[i]!.invoiceId}`),
    }));
    return {
      sampled_orders: sample.length,
      order: spread(counts.map((c) => c.order)),
      invoice: spread(counts.map((c) => c.invoice)),
    };
  } finally {
    await connection.close();
  }
}

await runBenchmark(
  { dispatchDelay: DISPATCH_DELAY, env: { DUNNING_POLICY: JSON.stringify(DUNNING_POLICY) } },
  async (stack) => {
    const http = httpClient(stack.apiUrl);
    const fixtures = await createFixtures(http, stack, { paymentTermsDays: 0 });
    const { orders, concurrency } = options;
    log(`lifecycle: ${orders} orders, ${concurrency} at a time`);

    let finished = 0;
    const started = performance.now();
    const outcomes = await pool(orders, concurrency, async (i) => {
      const outcome = await oneOrder(http, stack, fixtures, i);
      finished++;
      if (outcome.error) log(`order ${i} failed: ${outcome.error}`);
      if (finished % 10 === 0 || finished === orders) log(`${finished}/${orders} orders done`);
      return outcome;
    });
    const wallS = (performance.now() - started) / 1000;

    const completed = outcomes.filter((o) => o.e2eMs !== undefined);
    const failures = outcomes.filter((o) => o.error !== undefined);
    const history = await historyEvents(stack, outcomes);

    return {
      benchmark: 'lifecycle',
      machine: machineInfo(),
      config: {
        ...asConfig(options),
        poll_interval_ms: POLL_MS,
        dispatch_delay: DISPATCH_DELAY,
        dunning_policy: DUNNING_POLICY,
        payment_terms_days: 0,
        database: stack.database,
        stack_startup_s: stack.startup_s,
      },
      orders,
      completed: completed.length,
      failed: failures.length,
      ...(failures.length > 0 ? { failure_examples: failures.slice(0, 10).map((f) => f.error) } : {}),
      wall_s: round(wallS, 2),
      orders_per_s: round(completed.length / wallS, 2),
      e2e_latency_ms: percentiles(completed.map((o) => o.e2eMs!)),
      time_to_invoice_ms: percentiles(completed.map((o) => o.invoiceMs!)),
      history_events: { order: history.order, invoice: history.invoice },
      history_sampled_orders: history.sampled_orders,
      notes: [
        'Per order: POST /v1/orders, poll GET /v1/orders/:id every 100 ms until awaiting_payment with an invoice, POST /v1/payments for the full balance, poll until completed.',
        'e2e_latency_ms runs from sending POST /v1/orders to the first poll that sees completed; time_to_invoice_ms from the same start to the first poll that sees the invoice. Both include up to one poll interval (100 ms) of polling delay per wait, and the 0.2 s warehouse dispatch delay is in both.',
        'The polling itself (GET /v1/orders/:id, 3 queries each) is load on the API and Postgres too.',
        'wall_s runs from the first POST to the last completion; orders_per_s = completed / wall_s, limited by the concurrency of the client, not necessarily by the engine.',
        'history_events: events in the Temporal history of order:<id> and its child invoice:<invoiceId>, fetched after completion.',
        'The load generator runs in its own Node process; the engine (API + worker), the Temporal dev server and Postgres share the machine.',
      ],
    };
  },
);
