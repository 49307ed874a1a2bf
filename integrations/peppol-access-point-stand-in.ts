import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type UblFinding, type UblValidation, validateUbl } from '../documents/validate-ubl.js';
import {
  PEPPOL_BILLING_PROCESS_ID,
  PEPPOL_DOCUMENT_TYPE_IDS,
  PEPPOL_PARTICIPANT_ID,
  type PeppolDocumentType,
} from './peppol-access-point.js';
import { listenOnLoopback } from './loopback.js';

export interface PeppolReceivedDocument {
  transmissionId: string;
  documentId: string;
  idempotencyKey: string;
  sender: string;
  receiver: string;
  documentType: PeppolDocumentType;
  documentTypeId: string;
  processId: string;
  /** The UBL as received (decoded from base64). */
  ubl: string;
  receivedAt: string;
}

export interface PeppolAccessPointStandIn {
  url: string;
  /** Documents taken for transmission, by documentId; each exactly once. */
  received: ReadonlyMap<string, PeppolReceivedDocument>;
  /** Every request that reached the stand-in, refused and failed ones included, in arrival order. */
  requests: { method: string; path: string; idempotencyKey?: string }[];
  /** Participant ids registered in the (pretend) SMP; add to it to register a receiver. Lower case. */
  receivers: Set<string>;
  /** Waits for documents still being validated, then stops the server. */
  close(): Promise<void>;
}

export interface PeppolAccessPointStandInOptions {
  /** Participant ids (scheme:id) that can receive; anything else is "not registered". Case-insensitive. */
  receivers: Iterable<string>;
  /** When set, requests need `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Answer the first n outbound submissions 503, as an AP under maintenance does. */
  failFirst?: number;
  /** Latency before every answer. */
  delayMs?: number;
  /** How long after acceptance a transmission reports `delivered`; 0 (default) at once. */
  deliveryDelayMs?: number;
  /** The rules a document must pass; default the official Peppol BIS Billing 3.0 validation. */
  validate?: (xml: string) => Promise<UblValidation>;
  port?: number;
  log?: (line: string) => void;
}

interface Answer {
  status: number;
  body: unknown;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: UblFinding[],
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DOCUMENT_TYPES = Object.entries(PEPPOL_DOCUMENT_TYPE_IDS) as [PeppolDocumentType, string][];
const ROOT_ELEMENT: Record<PeppolDocumentType, string> = { invoice: 'Invoice', credit_note: 'CreditNote' };

/** Identifiers may come with their scheme prefix (busdox-docid-qns::..., cenbii-procid-ubl::...). */
const withoutScheme = (id: string, scheme: string): string =>
  id.startsWith(`${scheme}::`) ? id.slice(scheme.length + 2) : id;

/** Local name of the XML document element, skipping the declaration, comments and processing instructions. */
function rootElement(xml: string): string | undefined {
  const m = /^\uFEFF?\s*(?:<\?[^]*?\?>\s*|<!--[^]*?-->\s*)*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]/.exec(xml);
  return m?.[1];
}

/**
 * A local Peppol access point for the embedded stack and tests, speaking the protocol of
 * `createHttpPeppolAccessPoint`. Like a real AP it validates every document against the official Peppol BIS
 * Billing 3.0 rules (422 with the failed rule ids), knows which receivers are registered (404 otherwise) and is
 * idempotent per Idempotency-Key: a repeat, even one arriving while the first is still being validated, gets
 * the same transmissionId and is not recorded again. Nothing leaves the machine.
 */
export async function startPeppolAccessPointStandIn(
  options: PeppolAccessPointStandInOptions,
): Promise<PeppolAccessPointStandIn> {
  const validate = options.validate ?? validateUbl;
  const receivers = new Set([...options.receivers].map((r) => r.toLowerCase()));
  const received = new Map<string, PeppolReceivedDocument>();
  const byTransmission = new Map<string, PeppolReceivedDocument>();
  const requests: PeppolAccessPointStandIn['requests'] = [];
  /** Per Idempotency-Key: the request's fingerprint and its (possibly still running) outcome. */
  const submissions = new Map<string, { fingerprint: string; outcome: Promise<Answer> }>();
  const inFlight = new Set<Promise<unknown>>();
  let failures = options.failFirst ?? 0;

  const refusal = (err: Refusal): Answer => ({
    status: err.status,
    body: { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } },
  });

  /** Checks and transmits one submission; throws a Refusal for anything the sender must fix. */
  const transmit = async (key: string, body: Record<string, unknown>): Promise<Answer> => {
    const { documentId, sender, receiver, documentTypeId, processId, payload } = body;
    if (typeof documentId !== 'string' || documentId.trim() === '')
      throw new Refusal(400, 'INVALID_REQUEST', 'documentId is required');
    for (const [field, value] of [
      ['sender', sender],
      ['receiver', receiver],
    ] as const) {
      if (typeof value !== 'string' || !PEPPOL_PARTICIPANT_ID.test(value)) {
        throw new Refusal(
          400,
          'INVALID_REQUEST',
          `${field} must be a participant id scheme:id (iso6523-actorid-upis), got ${JSON.stringify(value)}`,
        );
      }
    }
    const docTypeId = typeof documentTypeId === 'string' ? withoutScheme(documentTypeId, 'busdox-docid-qns') : '';
    const documentType = DOCUMENT_TYPES.find(([, id]) => id === docTypeId)?.[0];
    if (documentType === undefined)
      throw new Refusal(
        400,
        'UNSUPPORTED_DOCUMENT_TYPE',
        `document type ${JSON.stringify(documentTypeId)} is not supported`,
      );
    if (typeof processId !== 'string' || withoutScheme(processId, 'cenbii-procid-ubl') !== PEPPOL_BILLING_PROCESS_ID) {
      throw new Refusal(400, 'UNSUPPORTED_PROCESS', `process ${JSON.stringify(processId)} is not supported`);
    }
    if (typeof payload !== 'string' || payload === '' || !BASE64.test(payload))
      throw new Refusal(400, 'INVALID_REQUEST', 'payload must be the document in base64');
    const receiverId = (receiver as string).toLowerCase();
    if (!receivers.has(receiverId)) {
      throw new Refusal(
        404,
        'RECEIVER_NOT_REGISTERED',
        `receiver ${receiver as string} is not registered in the SMP for ${documentType}`,
      );
    }
    if (received.has(documentId))
      throw new Refusal(
        409,
        'DUPLICATE_DOCUMENT',
        `document ${documentId} was already transmitted under another Idempotency-Key`,
      );

    const ubl = Buffer.from(payload, 'base64').toString('utf8');
    const root = rootElement(ubl);
    if (root !== ROOT_ELEMENT[documentType]) {
      throw new Refusal(
        422,
        'DOCUMENT_TYPE_MISMATCH',
        `the payload is ${root ? `a ${root}` : 'not XML'}, the document type says ${ROOT_ELEMENT[documentType]}`,
      );
    }
    const validation = await validate(ubl);
    const fatal = validation.errors.filter((e) => e.flag === 'fatal');
    if (!validation.valid) {
      const ids = [...new Set(fatal.map((e) => e.id))];
      throw new Refusal(
        422,
        'VALIDATION_FAILED',
        `document ${documentId} fails Peppol BIS Billing 3.0 validation: ${ids.join(', ')}`,
        fatal,
      );
    }
    if (received.has(documentId))
      throw new Refusal(
        409,
        'DUPLICATE_DOCUMENT',
        `document ${documentId} was already transmitted under another Idempotency-Key`,
      );

    const doc: PeppolReceivedDocument = {
      transmissionId: randomUUID(),
      documentId,
      idempotencyKey: key,
      sender: sender as string,
      receiver: receiver as string,
      documentType,
      documentTypeId: docTypeId,
      processId: PEPPOL_BILLING_PROCESS_ID,
      ubl,
      receivedAt: new Date().toISOString(),
    };
    received.set(documentId, doc);
    byTransmission.set(doc.transmissionId, doc);
    options.log?.(
      `[peppol-ap] ${documentType} ${documentId} ${doc.sender} -> ${doc.receiver}: accepted as ${doc.transmissionId}`,
    );
    return { status: 202, body: { transmissionId: doc.transmissionId, documentId, status: 'accepted' } };
  };

  const submit = async (req: IncomingMessage, raw: string): Promise<Answer & { replayed?: boolean }> => {
    if (failures > 0) {
      failures--;
      return {
        status: 503,
        body: { error: { code: 'SERVICE_UNAVAILABLE', message: 'access point under maintenance, try again' } },
      };
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return refusal(new Refusal(400, 'INVALID_REQUEST', 'the body must be JSON'));
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return refusal(new Refusal(400, 'INVALID_REQUEST', 'the body must be a JSON object'));
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '')
      return refusal(new Refusal(400, 'IDEMPOTENCY_KEY_REQUIRED', 'an Idempotency-Key header is required'));

    const fields = body as Record<string, unknown>;
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify(
          ['documentId', 'sender', 'receiver', 'documentTypeId', 'processId', 'payload'].map((f) => fields[f]),
        ),
      )
      .digest('hex');
    const earlier = submissions.get(key);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        return refusal(
          new Refusal(409, 'IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${key} was used for a different submission`),
        );
      }
      return { ...(await earlier.outcome), replayed: true };
    }
    const outcome = transmit(key, fields).catch((err: unknown) => {
      // Only an acceptance is remembered: after a refusal or a failure the sender may fix things and try again.
      submissions.delete(key);
      if (err instanceof Refusal) return refusal(err);
      options.log?.(`[peppol-ap] ${(err as Error).message}`);
      return {
        status: 500,
        body: { error: { code: 'INTERNAL', message: `access point failure: ${(err as Error).message}` } },
      };
    });
    submissions.set(key, { fingerprint, outcome });
    inFlight.add(outcome);
    void outcome.finally(() => inFlight.delete(outcome));
    return outcome;
  };

  const status = (transmissionId: string): Answer => {
    const doc = byTransmission.get(transmissionId);
    if (!doc)
      return { status: 404, body: { error: { code: 'NOT_FOUND', message: `no transmission ${transmissionId}` } } };
    const deliveredAt = Date.parse(doc.receivedAt) + (options.deliveryDelayMs ?? 0);
    const delivered = Date.now() >= deliveredAt;
    return {
      status: 200,
      body: {
        transmissionId,
        documentId: doc.documentId,
        status: delivered ? 'delivered' : 'accepted',
        ...(delivered ? { deliveredAt: new Date(deliveredAt).toISOString() } : {}),
      },
    };
  };

  const send = (res: ServerResponse, answer: Answer & { replayed?: boolean }): void => {
    if (res.destroyed || res.writableEnded) return; // the client gave up (timeout); the outcome stands regardless
    res
      .writeHead(answer.status, {
        'content-type': 'application/json',
        ...(answer.replayed ? { 'idempotent-replayed': 'true' } : {}),
      })
      .end(JSON.stringify(answer.body));
  };

  const handle = async (req: IncomingMessage, raw: string): Promise<Answer> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'a valid API key is required' } } };
    }
    if (path === '/v1/outbound') {
      if (req.method !== 'POST')
        return { status: 405, body: { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only' } } };
      return submit(req, raw);
    }
    const m = /^\/v1\/outbound\/([^/]+)$/.exec(path);
    if (m?.[1] !== undefined && req.method === 'GET') return status(decodeURIComponent(m[1]));
    return { status: 404, body: { error: { code: 'NOT_FOUND', message: `no route ${req.method ?? ''} ${path}` } } };
  };

  const server = createServer((req, res) => {
    const key = req.headers['idempotency-key'];
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      const work = async (): Promise<void> => {
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        if (size > MAX_BODY_BYTES) {
          send(res, {
            status: 413,
            body: { error: { code: 'PAYLOAD_TOO_LARGE', message: `at most ${MAX_BODY_BYTES} bytes` } },
          });
          return;
        }
        send(res, await handle(req, Buffer.concat(chunks).toString('utf8')));
      };
      const p = work().catch((err: unknown) => {
        options.log?.(`[peppol-ap] ${(err as Error).message}`);
        send(res, { status: 500, body: { error: { code: 'INTERNAL', message: (err as Error).message } } });
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    });
  });
  const url = await listenOnLoopback(server, options.port);
  return {
    url,
    received,
    requests,
    receivers,
    close: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
