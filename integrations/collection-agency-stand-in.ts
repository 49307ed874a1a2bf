import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { signWebhook } from '../api/webhook-signature.js';
import type { CaseFile } from './collection-agency.js';
import { listenOnLoopback } from './loopback.js';

export interface CollectionAgencyStandIn {
  url: string;
  /** The cases taken, by case id, each once however often it was sent. */
  cases: Map<string, CaseFile & { agencyReference: string }>;
  /** How many hand-over requests arrived (repeats included). */
  requests: number;
  /** Reports a payment the agency collected, through the engine's signed webhook, as the agency would. */
  reportPayment(caseId: string, amount: number): Promise<Response>;
  /** Reports that the agency closed the case. */
  reportClosed(caseId: string, outcome: 'paid' | 'uncollectable' | 'withdrawn', note?: string): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A local collection agency for the embedded stack and the tests: takes case files over HTTP (idempotent by case
 * id, the bearer key checked) and reports payments and closure back through the engine's signed webhook.
 */
export async function startCollectionAgencyStandIn(options: {
  apiKey: string;
  /** The engine's API, its integration key and the secret the agency signs its webhooks with. */
  engine: { url: string; apiKey: string; webhookSecret: string };
  port?: number;
}): Promise<CollectionAgencyStandIn> {
  const cases = new Map<string, CaseFile & { agencyReference: string }>();
  let requests = 0;
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/cases') return void res.writeHead(404).end();
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) return void res.writeHead(401).end();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const caseFile = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CaseFile;
      const known = cases.get(caseFile.caseId);
      const taken = known ?? { ...caseFile, agencyReference: `AG-${caseFile.caseId.slice(0, 8).toUpperCase()}` };
      cases.set(caseFile.caseId, taken);
      res
        .writeHead(known ? 200 : 201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ caseId: taken.caseId, agencyReference: taken.agencyReference }));
    });
  });
  const send = (event: Record<string, unknown>) => {
    const body = JSON.stringify({ eventId: randomUUID(), ...event });
    return fetch(`${options.engine.url}/v1/webhooks/collection-agency`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${options.engine.apiKey}`,
        'x-signature': signWebhook(options.engine.webhookSecret, body),
      },
      body,
    });
  };
  const url = await listenOnLoopback(server, options.port);
  return {
    url,
    cases,
    get requests() {
      return requests;
    },
    reportPayment: (caseId, amount) => {
      const taken = cases.get(caseId);
      if (!taken) throw new Error(`The agency has no case ${caseId}`);
      return send({
        caseId,
        type: 'payment',
        amount,
        currency: taken.invoice.currency,
        paidOn: new Date().toISOString().slice(0, 10),
      });
    },
    reportClosed: (caseId, outcome, note) => send({ caseId, type: 'closed', outcome, ...(note ? { note } : {}) }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
