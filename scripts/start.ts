// `npm start`: the embedded stack in one command. Ctrl-C stops all of it; state stays in .data/ for next time.
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadEnv } from '../config.js';
import { startEmbeddedStack } from './embedded-stack.js';
import { DEMO_CUSTOMERS } from './seed.js';

const env = loadEnv();
const log = (line: string) => console.error(`[o2c] ${line}`);

// This launcher owns shutdown: the SDK must not stop the worker on its own while the rest keeps running.
Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
let stopStack: (() => Promise<void>) | undefined = undefined; // set once the stack is up
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log('stopping ...');
    void (stopStack?.() ?? Promise.resolve()).then(() => process.exit(0));
  });
}

const dataDir = process.env.O2C_DATA_DIR ?? '.data';
const stack = await startEmbeddedStack({
  env,
  dataDir,
  apiPort: env.PORT,
  temporalPort: Number(process.env.TEMPORAL_PORT ?? 7233),
  temporalUiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
  postgresPort: Number(process.env.EMBEDDED_PG_PORT ?? 5433),
  dispatchDelay: process.env.WAREHOUSE_DISPATCH_DELAY ?? 'PT5S',
  log,
});
stopStack = stack.stop;

const customer = DEMO_CUSTOMERS[0]!;
console.log(`
Order-to-Cash engine is running.

  Console      ${stack.consoleUrl}
  API          ${stack.apiUrl}
  API docs     ${stack.docsUrl}
  Temporal UI  ${stack.temporalUiUrl?.replace('127.0.0.1', 'localhost') ?? '(external Temporal: see your cluster UI)'}
  Demo API key ${stack.adminKey}   (admin; also in ${join(dataDir, 'demo-admin.key')})
  Finance user ${stack.financeUser.email} / ${stack.financeUser.password}
               (sign in at the console; password also in ${join(dataDir, 'demo-finance.password')})

Try:
  curl -s -X POST ${stack.apiUrl}/v1/orders \\
    -H "Authorization: Bearer ${stack.adminKey}" -H "Idempotency-Key: demo-$(date +%s)" \\
    -H "Content-Type: application/json" \\
    -d '{"customerId":"${customer.id}","lines":[{"sku":"BASKET-25","quantity":4}]}'

Press Ctrl-C to stop.
`);
