// The engine side of a benchmark, forked by startBenchStack (bench/support.ts): the embedded stack exactly as
// `npm start` runs it, on the ports and in the data dir the parent chose. Talks to the parent over IPC only.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadEnv } from '../config.js';
import { startEmbeddedStack, type EmbeddedStack } from '../scripts/embedded-stack.js';
import type { StackMessage, StackSpec } from './support.js';

const log = (line: string) => process.stderr.write(`[stack] ${line}\n`);
const send = (message: StackMessage) =>
  new Promise<void>((resolve) => {
    if (!process.send) resolve();
    else process.send(message, undefined, undefined, () => resolve());
  });

if (!process.send || !process.env.O2C_BENCH_STACK) {
  process.stderr.write('bench/stack-host.ts is started by the benchmarks (bench/support.ts), not on its own\n');
  process.exit(2);
}
const spec = JSON.parse(process.env.O2C_BENCH_STACK) as StackSpec;

// As in scripts/start.ts: this process owns shutdown, not the SDK.
Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

let stack: EmbeddedStack | undefined;
let stopping = false;
const stop = (reason: string) => {
  if (stopping) return;
  stopping = true;
  log(`stopping (${reason}) ...`);
  if (!stack) return; // still starting: the start-up below stops it when it is done
  void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
};
process.on('message', (message: unknown) => {
  if ((message as { type?: string }).type === 'stop') stop('asked by the benchmark');
});
process.on('disconnect', () => stop('benchmark process went away'));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));

try {
  stack = await startEmbeddedStack({
    env: loadEnv(),
    dataDir: spec.dataDir,
    apiPort: spec.apiPort,
    temporalPort: spec.temporalPort,
    temporalUiPort: spec.temporalUiPort,
    postgresPort: spec.postgresPort,
    dispatchDelay: spec.dispatchDelay,
    log,
  });
  if (stopping) {
    await stack.stop();
    process.exit(0);
  }
  await send({ type: 'ready', adminKey: stack.adminKey, integrationKey: stack.integrationKey });
} catch (err) {
  log(`start failed: ${(err as Error).stack ?? String(err)}`);
  await send({ type: 'error', message: (err as Error).message });
  process.exit(1);
}
