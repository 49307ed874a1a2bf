/**
 * Delivery of e-invoices over the Peppol network through a certified access point (AP, "corner 2"). The AP
 * looks the receiver up in the SML/SMP, wraps the UBL in an SBDH and transmits it over AS4 to the receiver's AP;
 * the engine only hands it the document over HTTP.
 *
 * The wire protocol is generic, modelled on the REST APIs service providers put in front of their APs (Unit4
 * `POST /outbox` with SenderID, RecipientID, DocumentID and ProcessID; phase4-peppol-standalone
 * `POST /sendas4/{senderId}/{receiverId}/{docTypeId}/{processId}`; Storecove `POST /document_submissions` with a
 * base64 payload and an idempotency guid):
 *
 *   POST {baseUrl}/v1/outbound                 Authorization: Bearer <apiKey>, Idempotency-Key: <documentId>
 *     {documentId, sender: "0106:12345678", receiver: "0192:987654321", documentTypeId, processId, payload: base64}
 *     202 {transmissionId, documentId, status: "accepted"}    the same key again: the same answer, sent once
 *     4xx {error: {code, message, details?: [{id, flag, text, location}]}}
 *   GET  {baseUrl}/v1/outbound/{transmissionId}
 *     200 {transmissionId, documentId, status: "accepted" | "delivered" | "failed", deliveredAt?, reason?}
 */

/** Peppol BIS Billing 3.0 document type identifiers (scheme busdox-docid-qns), as registered in the SMPs. */
export const PEPPOL_DOCUMENT_TYPE_IDS = {
  invoice:
    'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1',
  credit_note:
    'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1',
} as const;

/** Peppol BIS Billing 3.0 process identifier (scheme cenbii-procid-ubl); the same value as the UBL ProfileID. */
export const PEPPOL_BILLING_PROCESS_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

export type PeppolDocumentType = keyof typeof PEPPOL_DOCUMENT_TYPE_IDS;

/**
 * A Peppol participant identifier in the iso6523-actorid-upis scheme: a four-digit EAS/ICD code, a colon and
 * the identifier, e.g. 0106:12345678 (Dutch KvK) or 0192:987654321 (Norwegian org.nr).
 */
export const PEPPOL_PARTICIPANT_ID = /^[0-9]{4}:[^\s:][^\s]{0,134}$/;

export interface PeppolOutboundDocument {
  /** Our id of the document (e.g. the invoice id); also the idempotency key of the transmission. */
  documentId: string;
  /** The seller's participant id, e.g. 0106:12345678. */
  senderId: string;
  /** The buyer's participant id, e.g. 0106:87654321 or 0192:987654321. */
  receiverId: string;
  documentType: PeppolDocumentType;
  /** The UBL 2.1 XML (Peppol BIS Billing 3.0). */
  ubl: string;
}

export interface PeppolTransmission {
  /** The AP's id of the transmission. */
  transmissionId: string;
  /** The AP took the document for transmission; delivery to the receiver's AP follows asynchronously. */
  status: 'accepted';
}

export interface PeppolTransmissionStatus {
  transmissionId: string;
  documentId: string;
  /** delivered: the receiver's AP acknowledged it (AS4 receipt); failed: the AP gave up, see `reason`. */
  status: 'accepted' | 'delivered' | 'failed';
  deliveredAt?: string;
  reason?: string;
}

/** A Peppol access point as seen by the delivery activity. */
export interface PeppolAccessPoint {
  /** Hands a document to the AP. Idempotent per documentId: repeating it returns the first transmission. */
  send(doc: PeppolOutboundDocument): Promise<PeppolTransmission>;
  /** Where a transmission stands, for APs that can be asked. */
  status?(transmissionId: string): Promise<PeppolTransmissionStatus>;
}

/** One finding of the AP's validation (schema or schematron rule). */
export interface PeppolRuleFinding {
  id: string;
  flag?: string;
  text?: string;
  location?: string;
}

export class PeppolAccessPointError extends Error {
  constructor(
    message: string,
    /** Worth retrying: timeouts, network errors, 408, 429 and 5xx. A refusal (other 4xx) is final. */
    readonly retryable: boolean,
    readonly details: {
      /** HTTP status, when the AP answered. */
      httpStatus?: number;
      /** The AP's error code, e.g. VALIDATION_FAILED, RECEIVER_NOT_REGISTERED. */
      code?: string;
      /** The fatal rule findings of a validation failure. */
      findings?: PeppolRuleFinding[];
    } = {},
  ) {
    super(message);
    this.name = 'PeppolAccessPointError';
  }

  /** Ids of the rules the document broke (BR-CO-15, PEPPOL-EN16931-R010, XSD ...), without duplicates. */
  get ruleIds(): string[] {
    return [...new Set((this.details.findings ?? []).map((f) => f.id))];
  }
}

export interface HttpPeppolAccessPointOptions {
  apiKey?: string | undefined;
  /** Per attempt. The AP validates the document before it answers, so allow it seconds. */
  timeoutMs?: number;
  /** Further attempts after the first, on timeouts, network errors, 408, 429 and 5xx. */
  retries?: number;
  backoffMs?: number;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

const isFinding = (d: unknown): d is PeppolRuleFinding =>
  typeof d === 'object' && d !== null && typeof (d as { id?: unknown }).id === 'string';

async function refusal(res: Response, what: string): Promise<PeppolAccessPointError> {
  const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
  const text = await res.text().catch(() => '');
  let body: ErrorBody = {};
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    // Not JSON (a proxy's error page, say): the text is the message.
  }
  const code = typeof body.error?.code === 'string' ? body.error.code : undefined;
  const message = typeof body.error?.message === 'string' ? body.error.message : text.slice(0, 300);
  const findings = Array.isArray(body.error?.details) ? body.error.details.filter(isFinding) : [];
  const ids = [...new Set(findings.map((f) => f.id))];
  const rules = ids.some((id) => !message.includes(id)) ? ` [${ids.join(', ')}]` : '';
  return new PeppolAccessPointError(
    `Peppol access point refused ${what}: HTTP ${res.status}${code ? ` ${code}` : ''}: ${message}${rules}`,
    retryable,
    { httpStatus: res.status, ...(code ? { code } : {}), ...(findings.length > 0 ? { findings } : {}) },
  );
}

/**
 * HTTP client of an access point (protocol above). Each attempt has its own timeout; transient failures are
 * retried with exponential back-off under the same Idempotency-Key, so neither these retries nor a retried
 * Temporal activity can transmit an invoice twice. The delivery activity should turn a non-retryable error into
 * a non-retryable ApplicationFailure: a document the AP refused does not get better by sending it again.
 */
export function createHttpPeppolAccessPoint(
  baseUrl: string,
  options: HttpPeppolAccessPointOptions = {},
): Required<PeppolAccessPoint> {
  const { timeoutMs = 30_000, retries = 2, backoffMs = 500 } = options;
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const auth: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};

  const withRetries = async <T>(attempt: () => Promise<T>): Promise<T> => {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof PeppolAccessPointError) || !err.retryable || n >= retries) throw err;
        await new Promise((r) => setTimeout(r, backoffMs * 2 ** n));
      }
    }
  };

  const call = async (url: URL, init: RequestInit): Promise<Response> => {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const e = err as Error;
      const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e.message;
      throw new PeppolAccessPointError(`Peppol access point unreachable: ${why}`, true);
    }
  };

  /** The JSON body of a 2xx answer; a body cut off by the timeout or the network is worth another attempt. */
  const readJson = async (res: Response): Promise<Record<string, unknown>> => {
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new PeppolAccessPointError(`Peppol access point answer cut off: ${(err as Error).message}`, true);
    }
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };

  return {
    async send(doc) {
      for (const [field, id] of [
        ['senderId', doc.senderId],
        ['receiverId', doc.receiverId],
      ] as const) {
        if (!PEPPOL_PARTICIPANT_ID.test(id)) {
          throw new PeppolAccessPointError(
            `${field} "${id}" is not a Peppol participant id (scheme:id, e.g. 0106:12345678)`,
            false,
          );
        }
      }
      if (doc.documentId.trim() === '') throw new PeppolAccessPointError('documentId must not be empty', false);
      const url = new URL('v1/outbound', base);
      const body = JSON.stringify({
        documentId: doc.documentId,
        sender: doc.senderId,
        receiver: doc.receiverId,
        documentTypeId: PEPPOL_DOCUMENT_TYPE_IDS[doc.documentType],
        processId: PEPPOL_BILLING_PROCESS_ID,
        payload: Buffer.from(doc.ubl, 'utf8').toString('base64'),
      });
      return withRetries(async () => {
        const res = await call(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': doc.documentId, ...auth },
          body,
        });
        if (!res.ok) throw await refusal(res, `document ${doc.documentId}`);
        const answer = await readJson(res);
        if (typeof answer.transmissionId !== 'string' || answer.transmissionId === '') {
          throw new PeppolAccessPointError(
            `Peppol access point accepted ${doc.documentId} without a transmissionId (HTTP ${res.status})`,
            false,
          );
        }
        return { transmissionId: answer.transmissionId, status: 'accepted' as const };
      });
    },

    async status(transmissionId) {
      const url = new URL(`v1/outbound/${encodeURIComponent(transmissionId)}`, base);
      return withRetries(async () => {
        const res = await call(url, { method: 'GET', headers: { accept: 'application/json', ...auth } });
        if (!res.ok) throw await refusal(res, `status of transmission ${transmissionId}`);
        const answer = await readJson(res);
        if (answer.status !== 'accepted' && answer.status !== 'delivered' && answer.status !== 'failed') {
          throw new PeppolAccessPointError(
            `Peppol access point sent an unknown status for ${transmissionId}: ${String(answer.status)}`,
            false,
          );
        }
        return {
          transmissionId,
          documentId: typeof answer.documentId === 'string' ? answer.documentId : '',
          status: answer.status,
          ...(typeof answer.deliveredAt === 'string' ? { deliveredAt: answer.deliveredAt } : {}),
          ...(typeof answer.reason === 'string' ? { reason: answer.reason } : {}),
        };
      });
    },
  };
}
