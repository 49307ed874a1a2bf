// Shared pieces of the benchmarks in bench/: options, statistics, machine info, the HTTP client and an isolated
// engine stack. Results go to stdout as one JSON object; everything else goes to stderr.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../scripts/free-port.js';
import type { EmbeddedStackOptions } from '../scripts/embedded-stack.js';

export const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------------
// Options: --name value (or --name=value), else env BENCH_<NAME>, else the default.

export interface NumericOption {
  default: number;
  description: string;
  integer?: boolean;
  min?: number;
}

export const envName = (flag: string): string => `BENCH_${flag.toUpperCase().replace(/-/g, '_')}`;

export function numericOptions<K extends string>(
  spec: Record<K, NumericOption>,
  argv = process.argv.slice(2),
): Record<K, number> {
  const names = Object.keys(spec) as K[];
  const usage = () =>
    names
      .map((n) => `  --${n} <n>  (env ${envName(n)}, default ${spec[n].default})  ${spec[n].description}`)
      .join('\n');
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { help: { type: 'boolean' }, ...Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])) },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new Error(`${(err as Error).message}\nOptions:\n${usage()}`);
  }
  if (values.help) {
    process.stderr.write(`Options:\n${usage()}\n`);
    process.exit(0);
  }
  const result = {} as Record<K, number>;
  for (const name of names) {
    const { default: fallback, integer, min = 0 } = spec[name];
    const raw = (values[name] as string | undefined) ?? process.env[envName(name)];
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      throw new Error(
        `--${name} (${envName(name)}) must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${raw}`,
      );
    }
    result[name] = value;
  }
  return result;
}

/** The options as they go into the JSON: snake_case keys. */
export const asConfig = (options: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(options).map(([k, v]) => [k.replace(/-/g, '_'), v]));

// ---------------------------------------------------------------------------------------------------------------
// Statistics

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Nearest-rank percentiles, in the unit of the input, rounded to 0.1; null when there are no samples. */
export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(sorted[sorted.length - 1]!) };
}

/** min / median / max (lower median for even counts); null when there are no samples. */
export function spread(values: readonly number[]): { min: number; median: number; max: number } | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[Math.floor((sorted.length - 1) / 2)]!, max: sorted[sorted.length - 1]! };
}

export { round };

/** Runs `count` tasks, at most `concurrency` at a time, in index order; their results by index. */
export async function pool<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await task(i);
    }),
  );
  return results;
}

/** Counts failures by kind ("HTTP 500 INTERNAL", "timeout", ...) so the JSON says what went wrong, not only how often. */
export class ErrorTally {
  readonly counts: Record<string, number> = {};
  readonly examples: string[] = [];
  total = 0;

  add(kind: string, detail?: string): void {
    this.total++;
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    if (detail && this.examples.length < 5) this.examples.push(`${kind}: ${detail.slice(0, 300)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Machine

/**
 * CPU time on this machine, split into the benchmark's own process tree (load generator, engine, Temporal dev
 * server, embedded Postgres) and everything else: other work (tests, builds) skews every number here, and
 * this says how much there was. Linux only (/proc); undefined elsewhere.
 */
export interface CpuSample {
  atMs: number;
  /** Busy clock ticks of all CPUs (user, nice, system, irq, softirq, steal). */
  hostBusy: number;
  /** Clock ticks used by this process and its descendants, reaped children included. */
  ours: number;
}

const TICKS_PER_S = 100; // USER_HZ, 100 on every Linux we run on

async function processTicks(): Promise<Map<number, { ppid: number; ticks: number }>> {
  const result = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined); // may have exited
    if (!stat) continue;
    // pid (comm) state ppid ... utime(14) stime(15) cutime(16) cstime(17); comm may hold spaces and parens.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    result.set(Number(entry), { ppid: Number(fields[1]), ticks });
  }
  return result;
}

export async function cpuSample(): Promise<CpuSample | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    const [cpu] = (await readFile('/proc/stat', 'utf8')).split('\n');
    // cpu user nice system idle iowait irq softirq steal ...
    const t = cpu!.trim().split(/\s+/).slice(1).map(Number);
    const hostBusy = t[0]! + t[1]! + t[2]! + t[5]! + t[6]! + (t[7] ?? 0);
    const processes = await processTicks();
    const children = new Map<number, number[]>();
    for (const [pid, { ppid }] of processes) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    let ours = 0;
    const stack = [process.pid];
    for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
      ours += processes.get(pid)?.ticks ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    return { atMs: performance.now(), hostBusy, ours };
  } catch {
    return undefined;
  }
}

/** Percent of the machine's total CPU capacity (all cores) between two samples. */
export function cpuUsage(from: CpuSample | undefined, to: CpuSample | undefined) {
  if (!from || !to) return null;
  const capacity = ((to.atMs - from.atMs) / 1000) * TICKS_PER_S * os.cpus().length;
  const pct = (ticks: number) => round(Math.max(0, (ticks / capacity) * 100));
  const busy = to.hostBusy - from.hostBusy;
  const ours = Math.min(busy, to.ours - from.ours);
  return {
    window_s: round((to.atMs - from.atMs) / 1000),
    busy_pct: pct(busy),
    benchmark_pct: pct(ours),
    other_pct: pct(busy - ours),
  };
}

export function machineInfo() {
  return {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model.trim() ?? 'unknown',
    mem_gb: round(os.totalmem() / 1024 ** 3),
    node: process.version,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP: Node's global fetch (keep-alive by default), loopback only.

export interface HttpResult {
  status: number;
  body: unknown;
  /** Wall time of the request, response body included. */
  ms: number;
}

export interface HttpOptions {
  key: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export type Http = (method: string, path: string, options: HttpOptions) => Promise<HttpResult>;

/** A small JSON client for the engine's API. Network errors and timeouts reject; HTTP errors resolve with the status. */
export function httpClient(baseUrl: string): Http {
  return async (method, path, { key, body, headers, timeoutMs = 30_000 }) => {
    const started = performance.now();
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, ms: performance.now() - started };
  };
}

/** "HTTP 500 INTERNAL" from an error response of the API ({error: {code, message}}), or the network error's kind. */
export function describeFailure(result: HttpResult | Error): { kind: string; detail: string } {
  if (result instanceof Error) {
    const name = result.name === 'TimeoutError' || result.name === 'AbortError' ? 'timeout' : 'network';
    const cause = (result.cause as Error | undefined)?.message;
    return { kind: name, detail: `${result.message}${cause ? ` (${cause})` : ''}` };
  }
  const error = (result.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return {
    kind: `HTTP ${result.status}${error?.code ? ` ${error.code}` : ''}`,
    detail: error?.message ?? (typeof result.body === 'string' ? result.body : JSON.stringify(result.body)),
  };
}

export const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

// ---------------------------------------------------------------------------------------------------------------
// The engine's view of an order, as far as the benchmarks read it.

export interface OrderView {
  id: string;
  status: string;
  statusReason: string | null;
  total: number;
  currency: string;
  workflowId: string;
  invoices: {
    id: string;
    number: string;
    total: number;
    balance: number;
    currency: string;
    status: string;
    paymentReference: string;
  }[];
}

export interface BenchFixtures {
  customerId: string;
  sku: string;
  unitPrice: number;
  currency: 'EUR';
}

/**
 * A customer whose credit limit no benchmark reaches and a product with stock no benchmark exhausts, created
 * through the API like a client would, so credit holds and stock-outs never interfere with the measurement.
 */
export async function createFixtures(
  http: Http,
  stack: BenchStack,
  options: { paymentTermsDays: number },
): Promise<BenchFixtures> {
  const tag = randomUUID().slice(0, 8);
  const customer = await http('POST', '/v1/customers', {
    key: stack.adminKey,
    body: {
      name: `Benchmark Customer ${tag}`,
      country: 'NL',
      currency: 'EUR',
      email: `bench-${tag}@bench.example`,
      language: 'en',
      creditLimit: 1e15,
      paymentTermsDays: options.paymentTermsDays,
      vatId: 'NL987654321B01',
      address: { street: 'Dorpsstraat 5', city: 'Utrecht', postalCode: '3512 AB' },
    },
  });
  if (customer.status !== 201)
    throw new Error(`POST /v1/customers: HTTP ${customer.status} ${JSON.stringify(customer.body)}`);
  const sku = `BENCH-${tag}`;
  const unitPrice = 1_250;
  const product = await http('POST', '/v1/products', {
    key: stack.integrationKey,
    body: {
      sku,
      name: 'Benchmark item',
      unitPrice,
      currency: 'EUR',
      stock: [{ warehouse: 'main', quantity: 1_000_000_000 }],
    },
  });
  if (product.status !== 201)
    throw new Error(`POST /v1/products: HTTP ${product.status} ${JSON.stringify(product.body)}`);
  return { customerId: (customer.body as { id: string }).id, sku, unitPrice, currency: 'EUR' };
}

// ---------------------------------------------------------------------------------------------------------------
// The isolated stack. It runs in a child process (bench/stack-host.ts): the API, worker, warehouse stand-in and
// SMTP capture as in `npm start`, plus its own Temporal dev server and embedded Postgres. The load generator
// stays in this process, so it does not share an event loop with the server it measures, and anything the
// engine logs to stdout (Fastify's logger) lands on our stderr instead of in the JSON.

/** What the parent tells stack-host.ts (environment variable O2C_BENCH_STACK). */
export type StackSpec = Omit<EmbeddedStackOptions, 'env' | 'log'>;

export type StackMessage =
  { type: 'ready'; adminKey: string; integrationKey: string } | { type: 'error'; message: string };

export interface BenchStack {
  apiUrl: string;
  adminKey: string;
  integrationKey: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  database: 'embedded' | 'DATABASE_URL';
  startup_s: number;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  dispatchDelay: string;
  /** Extra environment for the engine (validated by loadEnv in the child), e.g. DUNNING_POLICY. */
  env?: Record<string, string>;
}

/**
 * Variables that would point the stack at shared infrastructure. Only DATABASE_URL is honoured; the benchmark
 * always runs its own Temporal dev server, warehouse stand-in and SMTP capture, and listens on loopback.
 */
const NOT_INHERITED = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
  'WAREHOUSE_URL',
  'SMTP_URL',
  'PUBLIC_URL',
  'HOST',
  'PORT',
];

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const started = performance.now();
  const dataDir = await mkdtemp(join(os.tmpdir(), 'o2c-bench-'));
  const spec: StackSpec = {
    dataDir,
    apiPort: await freePort(),
    temporalPort: await freePort(),
    temporalUiPort: await freePort(),
    postgresPort: await freePort(),
    dispatchDelay: options.dispatchDelay,
  };
  const taskQueue = `bench-${randomUUID().slice(0, 8)}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of NOT_INHERITED) delete env[name];
  Object.assign(env, options.env, {
    HOST: '127.0.0.1',
    TEMPORAL_TASK_QUEUE: taskQueue,
    O2C_BENCH_STACK: JSON.stringify(spec),
  });
  const namespace = env.TEMPORAL_NAMESPACE ?? 'default';
  log(
    `starting an isolated stack in ${dataDir} (api :${spec.apiPort}, temporal :${spec.temporalPort}, ` +
      `${process.env.DATABASE_URL ? 'DATABASE_URL' : `embedded postgres :${spec.postgresPort}`})`,
  );

  const child: ChildProcess = fork(fileURLToPath(new URL('./stack-host.ts', import.meta.url)), [], {
    env,
    execArgv: process.execArgv, // tsx's loader
    stdio: ['ignore', 2, 2, 'ipc'], // the engine's stdout goes to our stderr
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Never leave the stack behind, however this process ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({ type: 'stop' });
        else child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        await exited;
        clearTimeout(killer);
      }
      process.off('exit', killOnExit);
      await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
      log(`stack stopped, ${dataDir} removed`);
    })();
    return stopping;
  };

  const ready = await new Promise<Extract<StackMessage, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the stack did not come up within 300 s')), 300_000);
    child.on('message', (raw) => {
      const message = raw as StackMessage;
      clearTimeout(timer);
      if (message.type === 'ready') resolve(message);
      else reject(new Error(`the stack failed to start: ${message.message}`));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the stack process exited with code ${code} before it was ready`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });

  void exited.then((code) => {
    if (!stopping) log(`the stack process exited unexpectedly (code ${code}); see the lines above`);
  });
  const startup_s = round((performance.now() - started) / 1000);
  log(`stack ready in ${startup_s} s`);
  return {
    apiUrl: `http://127.0.0.1:${spec.apiPort}`,
    adminKey: ready.adminKey,
    integrationKey: ready.integrationKey,
    temporalAddress: `127.0.0.1:${spec.temporalPort}`,
    namespace,
    taskQueue,
    database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded',
    startup_s,
    stop,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Entry point

/**
 * Starts a stack, runs the benchmark against it, prints its result as one JSON object on stdout and stops the
 * stack (also on Ctrl-C). Exit code 0 on success, 1 if the benchmark or the stack failed, 130 when interrupted.
 */
export async function runBenchmark(
  options: BenchStackOptions,
  run: (stack: BenchStack) => Promise<object>,
): Promise<void> {
  let stack: BenchStack | undefined;
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      log(`${signal}: stopping ...`);
      void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
    });
  }
  try {
    const idleFrom = await cpuSample();
    await sleep(2000);
    const idle = cpuUsage(idleFrom, await cpuSample());
    if (idle && idle.other_pct > 10)
      log(`other processes use ${idle.other_pct}% of this machine's CPU before the start: they will skew the numbers`);
    stack = await startBenchStack(options);
    const from = await cpuSample();
    const result = await run(stack);
    const during = cpuUsage(from, await cpuSample());
    if (during && during.other_pct > 10)
      log(`other processes used ${during.other_pct}% of this machine's CPU during the run: the numbers are skewed`);
    await stack.stop();
    const output = {
      ...result,
      host_cpu: {
        before_start: idle,
        during_run: during,
        note: `Percent of all ${os.cpus().length} CPUs. benchmark_pct: this benchmark's process tree (load generator, engine, Temporal dev server, embedded Postgres); other_pct: everything else on the machine, which skews the numbers.`,
      },
    };
    await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(output, null, 2)}\n`, () => resolve()));
    process.exit(0);
  } catch (err) {
    log(`failed: ${asError(err).stack ?? String(err)}`);
    await stack?.stop().catch(() => undefined);
    process.exit(interrupted ? 130 : 1);
  }
}
