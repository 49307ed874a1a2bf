// `npm run bench:intake`: throughput and latency of POST /v1/orders against an isolated stack.
//   fixed_rate  open loop: requests at a fixed rate, whatever the responses do (--rate, --duration)
//   saturation  closed loop: --concurrency clients, each sending its next request when the last one returned
// One JSON object on stdout; progress on stderr.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  ErrorTally,
  asConfig,
  asError,
  createFixtures,
  describeFailure,
  httpClient,
  log,
  machineInfo,
  numericOptions,
  percentiles,
  round,
  runBenchmark,
  sleep,
  type BenchFixtures,
  type BenchStack,
  type Http,
} from './support.js';

const options = numericOptions({
  rate: { default: 50, min: 0.1, description: 'fixed_rate phase: requests per second' },
  duration: { default: 20, min: 1, description: 'length of each phase in seconds' },
  concurrency: { default: 32, min: 1, integer: true, description: 'saturation phase: concurrent clients' },
  warmup: {
    default: 50,
    min: 0,
    integer: true,
    description: 'orders sent (8 at a time) before measuring, not counted',
  },
  cooldown: { default: 5, min: 0, description: 'pause in seconds between the phases' },
  quantity: { default: 1, min: 1, integer: true, description: 'units of the product per order' },
});

const DISPATCH_DELAY = 'PT5S'; // as `npm start`

interface Sample {
  ok: boolean;
  ms: number;
}

/** One POST /v1/orders with a fresh Idempotency-Key; never rejects. */
function orderSender(http: Http, stack: BenchStack, fixtures: BenchFixtures, errors: ErrorTally) {
  return async (): Promise<Sample> => {
    const started = performance.now();
    try {
      const res = await http('POST', '/v1/orders', {
        key: stack.integrationKey,
        headers: { 'idempotency-key': `bench-intake-${randomUUID()}` },
        body: { customerId: fixtures.customerId, lines: [{ sku: fixtures.sku, quantity: options.quantity }] },
      });
      if (res.status === 201) return { ok: true, ms: res.ms };
      const failure = describeFailure(res);
      errors.add(failure.kind, failure.detail);
      return { ok: false, ms: res.ms };
    } catch (err) {
      const failure = describeFailure(asError(err));
      errors.add(failure.kind, failure.detail);
      return { ok: false, ms: performance.now() - started };
    }
  };
}

function summary(samples: Sample[], errors: ErrorTally) {
  const ok = samples.filter((s) => s.ok);
  return {
    sent: samples.length,
    ok: ok.length,
    errors: samples.length - ok.length,
    ...(errors.total > 0 ? { errors_by_kind: errors.counts, error_examples: errors.examples } : {}),
    latency_ms: percentiles(ok.map((s) => s.ms)),
  };
}

/** Open loop: request i is sent at start + i / rate, never waiting for earlier responses. */
async function fixedRate(http: Http, stack: BenchStack, fixtures: BenchFixtures) {
  const { rate, duration } = options;
  const errors = new ErrorTally();
  const send = orderSender(http, stack, fixtures, errors);
  const total = Math.max(1, Math.round(rate * duration));
  log(`fixed_rate: ${total} orders at ${rate}/s over ${duration} s`);
  const inflight: Promise<Sample>[] = [];
  let maxLagMs = 0;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    maxLagMs = Math.max(maxLagMs, performance.now() - due);
    inflight.push(send());
  }
  const sendWindowS = (performance.now() - start) / 1000;
  const samples = await Promise.all(inflight);
  const elapsedS = (performance.now() - start) / 1000;
  const result = summary(samples, errors);
  log(`fixed_rate: ${result.ok}/${result.sent} ok, p50 ${result.latency_ms?.p50} ms, p99 ${result.latency_ms?.p99} ms`);
  return {
    rate_target: rate,
    duration_s: duration,
    ...result,
    achieved_rps: round(result.ok / elapsedS, 2),
    send_window_s: round(sendWindowS, 2),
    elapsed_s: round(elapsedS, 2),
    max_send_lag_ms: round(maxLagMs),
  };
}

/** Closed loop: `concurrency` clients, each sending its next order as soon as the previous one returned. */
async function saturation(http: Http, stack: BenchStack, fixtures: BenchFixtures) {
  const { concurrency, duration } = options;
  const errors = new ErrorTally();
  const send = orderSender(http, stack, fixtures, errors);
  log(`saturation: ${concurrency} clients for ${duration} s`);
  const samples: Sample[] = [];
  const start = performance.now();
  const deadline = start + duration * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) samples.push(await send());
    }),
  );
  const elapsedS = (performance.now() - start) / 1000;
  const result = summary(samples, errors);
  log(
    `saturation: ${result.ok}/${result.sent} ok, ${round(result.ok / elapsedS)} orders/s, p50 ${result.latency_ms?.p50} ms, p99 ${result.latency_ms?.p99} ms`,
  );
  return {
    concurrency,
    duration_s: duration,
    ...result,
    throughput_rps: round(result.ok / elapsedS, 2),
    elapsed_s: round(elapsedS, 2),
  };
}

async function warmUp(http: Http, stack: BenchStack, fixtures: BenchFixtures): Promise<void> {
  if (options.warmup === 0) return;
  log(`warm-up: ${options.warmup} orders`);
  const errors = new ErrorTally();
  const send = orderSender(http, stack, fixtures, errors);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(8, options.warmup) }, async () => {
      while (next++ < options.warmup) await send();
    }),
  );
  if (errors.total > 0)
    throw new Error(`warm-up failed: ${JSON.stringify(errors.counts)} ${errors.examples.join('; ')}`);
}

await runBenchmark({ dispatchDelay: DISPATCH_DELAY }, async (stack) => {
  const http = httpClient(stack.apiUrl);
  const fixtures = await createFixtures(http, stack, { paymentTermsDays: 30 });
  await warmUp(http, stack, fixtures);
  const fixed = await fixedRate(http, stack, fixtures);
  if (options.cooldown > 0) {
    log(`cooldown: ${options.cooldown} s`);
    await sleep(options.cooldown * 1000);
  }
  const saturated = await saturation(http, stack, fixtures);
  return {
    benchmark: 'intake',
    machine: machineInfo(),
    config: {
      ...asConfig(options),
      dispatch_delay: DISPATCH_DELAY,
      database: stack.database,
      stack_startup_s: stack.startup_s,
      request: `POST /v1/orders, one line of ${options.quantity} unit(s), a fresh Idempotency-Key each, integration API key`,
    },
    fixed_rate: fixed,
    saturation: saturated,
    notes: [
      'Latency is measured in the load generator (a separate Node process from the engine) from sending the request to reading the whole response body.',
      'A 201 from POST /v1/orders means the order row is committed and its workflow started; the rest of the order lifecycle is not in these numbers.',
      'Every accepted order keeps running in the background while later requests are measured (as with npm start, the worker shares the process with the API): credit check, stock reservation, shipment request, the warehouse stand-in calling the shipment webhook after the dispatch delay, and the invoice workflow. Later requests, the saturation phase above all, compete with that work for CPU, Postgres and Temporal.',
      `The engine process, the Temporal dev server (SQLite), ${stack.database === 'embedded' ? 'the embedded Postgres' : 'Postgres (DATABASE_URL, if local)'} and the load generator all share this machine's ${machineInfo().cpus} CPUs.`,
      'All orders are for one customer and one SKU, so stock reservation and credit checks contend on the same rows.',
      'fixed_rate: open loop, request i sent at start + i/rate; achieved_rps = ok responses / time from the first send to the last response; max_send_lag_ms = how late the generator sent its most late request.',
      'saturation: closed loop; throughput_rps = ok responses / phase time.',
      'Latency percentiles are nearest-rank over successful requests only.',
    ],
  };
});
