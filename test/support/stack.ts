import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { buildApp, type ApiDeps } from '../../api/app.js';
import { signWebhook } from '../../api/webhook-signature.js';
import { DEFAULT_MATCH_POLICY } from '../../domain/cash-matching.js';
import { createApiKey, type Role } from '../../db/api-keys.js';
import { createDatabase, type Database } from '../../db/client.js';
import { DEFAULT_CREDIT_POLICY } from '../../domain/credit-control.js';
import { DEFAULT_DISPUTE_SLA, DEFAULT_WRITE_OFF_APPROVAL_ABOVE } from '../../domain/collections.js';
import { DEFAULT_DUNNING_POLICY } from '../../domain/dunning.js';
import type { ActivityDeps } from '../../activities/index.js';
import { createSmtpMailer, type Mailer } from '../../integrations/mail.js';
import { startSmtpCapture, type SmtpCaptureServer } from '../../integrations/smtp-capture.js';
import { createHttpWarehouse } from '../../integrations/warehouse.js';
import { startWarehouseStandIn, type WarehouseStandIn } from '../../integrations/warehouse-stand-in.js';
import {
  startCollectionAgencyStandIn,
  type CollectionAgencyStandIn,
} from '../../integrations/collection-agency-stand-in.js';
import { createHttpCollectionAgency } from '../../integrations/collection-agency.js';
import { createHttpPeppolAccessPoint } from '../../integrations/peppol-access-point.js';
import {
  startPeppolAccessPointStandIn,
  type PeppolAccessPointStandIn,
} from '../../integrations/peppol-access-point-stand-in.js';
import { createWorkers } from '../../temporal/worker.js';
import type { StatementBatching } from '../../temporal/starts.js';

let runtimeInstalled = false;
/** Keep the SDK's worker logs to warnings so test output stays readable. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}

export interface Stack {
  db: Database['db'];
  client: Client;
  app: FastifyInstance;
  apiUrl: string;
  smtp: SmtpCaptureServer;
  warehouse: WarehouseStandIn;
  /** A Peppol access point validating with the official rules; receiver {@link TEST_PEPPOL_RECEIVER} is registered. */
  peppol: PeppolAccessPointStandIn;
  agency: CollectionAgencyStandIn;
  keys: Record<Role, string>;
  taskQueue: string;
  http(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** The payment provider the stack plays: its webhooks (POST /v1/payments) are signed with this secret. */
export const TEST_PAYMENT_PROVIDER = { name: 'test-psp', secret: 'test-psp-webhook-secret-0001' };
/** The collection agency the stack hands cases to (a local stand-in), and the secret it signs its webhook with. */
export const TEST_AGENCY = { apiKey: 'test-agency-api-key', webhookSecret: 'test-agency-webhook-secret-01' };

/** The Peppol participant (a Dutch KvK number) the test access point delivers to. */
export const TEST_PEPPOL_RECEIVER = '0106:87654321';

/**
 * Everything a client and a warehouse would talk to, for one test file: the API on a free port, a worker on its
 * own task queue (dev server and Postgres from the global setup), an SMTP capture server and a warehouse stand-in
 * that reports dispatches through the real webhook.
 */
export async function startStack(
  options: {
    dispatchDelayMs?: number;
    orderPolicy?: Partial<ApiDeps['orderPolicy']>;
    /** The access point answers the first n submissions 503, as one under maintenance does. */
    peppolFailFirst?: number;
    /** Small batches and runs, to see a statement's workflow continue as new. */
    statementBatching?: StatementBatching;
    collections?: Partial<ApiDeps['collections']>;
    /** Dunning runs this often (a day otherwise), for policies of seconds. */
    dunningRunEveryMs?: number;
  } = {},
): Promise<Stack> {
  quietRuntime();
  const taskQueue = `test-${randomUUID()}`;
  const database = createDatabase(inject('databaseUrl'));
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({ connection });
  const keys = {
    integration: (await createApiKey(database.db, { name: 'test-integration', role: 'integration' })).key,
    finance: (await createApiKey(database.db, { name: 'test-finance', role: 'finance' })).key,
    collector: (await createApiKey(database.db, { name: 'test-collector', role: 'collector' })).key,
    credit_controller: (await createApiKey(database.db, { name: 'test-credit', role: 'credit_controller' })).key,
    admin: (await createApiKey(database.db, { name: 'test-admin', role: 'admin' })).key,
  };
  const app = await buildApp({
    db: database.db,
    temporal: client,
    taskQueue,
    invoicing: { defaultLegalEntity: 'NL1' },
    paymentProviders: { [TEST_PAYMENT_PROVIDER.name]: [TEST_PAYMENT_PROVIDER.secret] },
    bankFileLimitBytes: 20 * 1024 * 1024,
    cashApplication: {
      matchPolicy: DEFAULT_MATCH_POLICY,
      ...(options.statementBatching ? { batching: options.statementBatching } : {}),
    },
    collections: {
      disputeSla: DEFAULT_DISPUTE_SLA,
      disputeOwner: 'accounts-receivable',
      promiseGrace: 'P3D',
      writeOffApprovalAbove: DEFAULT_WRITE_OFF_APPROVAL_ABOVE,
      agencyWebhookSecrets: [TEST_AGENCY.webhookSecret],
      ...options.collections,
    },
    console: { temporalUiUrl: inject('temporalUiUrl'), temporalNamespace: 'default' },
    orderPolicy: {
      creditHoldTimeoutMs: 14 * 86_400_000,
      dunningPolicy: DEFAULT_DUNNING_POLICY,
      ...options.orderPolicy,
    },
  });
  const apiUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const smtp = await startSmtpCapture();
  const warehouse = await startWarehouseStandIn({
    apiUrl,
    apiKey: keys.integration,
    dispatchDelayMs: options.dispatchDelayMs ?? 200,
  });
  const peppol = await startPeppolAccessPointStandIn({
    receivers: [TEST_PEPPOL_RECEIVER],
    ...(options.peppolFailFirst ? { failFirst: options.peppolFailFirst } : {}),
  });
  const agency = await startCollectionAgencyStandIn({
    apiKey: TEST_AGENCY.apiKey,
    engine: { url: apiUrl, apiKey: keys.integration, webhookSecret: TEST_AGENCY.webhookSecret },
  });
  const mailer = createSmtpMailer(smtp.url, 'ar@o2c.test');
  const workerConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await createWorkers({
    connection: workerConnection,
    namespace: 'default',
    taskQueue,
    deps: {
      ...testActivityDeps(database.db, mailer, warehouse.url),
      peppol: createHttpPeppolAccessPoint(peppol.url),
      agency: createHttpCollectionAgency(agency.url, TEST_AGENCY.apiKey),
      ...(options.dunningRunEveryMs ? { collections: { dunningRunEveryMs: options.dunningRunEveryMs } } : {}),
    },
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
  const running = worker.run();

  const http: Stack['http'] = async (method, path, opts = {}) => {
    const key = opts.key === undefined ? keys.admin : opts.key;
    const body = opts.body !== undefined ? JSON.stringify(opts.body) : undefined;
    // The stack plays the payment provider: its webhook is signed, as the provider would sign it.
    const signed: Record<string, string> =
      method === 'POST' && path === '/v1/payments' && body !== undefined
        ? { 'x-provider': TEST_PAYMENT_PROVIDER.name, 'x-signature': signWebhook(TEST_PAYMENT_PROVIDER.secret, body) }
        : {};
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...signed,
        ...opts.headers,
      },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  return {
    db: database.db,
    client,
    app,
    apiUrl,
    smtp,
    warehouse,
    peppol,
    agency,
    keys,
    taskQueue,
    http,
    async close() {
      await warehouse.close();
      await peppol.close();
      await agency.close();
      worker.shutdown();
      await running;
      await workerConnection.close();
      await app.close();
      mailer.close();
      await smtp.close();
      await connection.close();
      await database.close();
    },
  };
}

/** Activity dependencies for tests: the real database and mailer, a warehouse at `warehouseUrl`. */
export function testActivityDeps(
  db: Database['db'],
  mailer: Mailer,
  warehouseUrl = 'http://127.0.0.1:9',
  legalEntity = 'NL1',
): ActivityDeps {
  return {
    db,
    mailer,
    warehouse: createHttpWarehouse(warehouseUrl),
    invoicing: { defaultLegalEntity: legalEntity },
    cashApplication: { matchPolicy: DEFAULT_MATCH_POLICY },
    collections: { dunningRunEveryMs: 86_400_000 },
    creditControl: {
      escalationEmail: 'credit-control@o2c.test',
      holdTime: 'the hold time',
      policy: DEFAULT_CREDIT_POLICY,
    },
  };
}

/** Polls until `probe` returns a value that passes `until`, or fails with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T>,
  until: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await probe();
    if (until(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs}ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
