/**
 * Hand-over of an overdue receivable to a collection agency, over HTTP. The wire protocol is generic, modelled on
 * the case APIs agencies put in front of their systems (a case per claim, an idempotency key, events back):
 *
 *   POST {baseUrl}/v1/cases            Authorization: Bearer <apiKey>, Idempotency-Key: <caseId>
 *     {caseId, creditor, debtor, invoice, letters, payments, disputes, charges}
 *     201 {caseId, agencyReference}    the same key again: 200 and the same answer, taken once
 *
 * The agency reports back to POST /v1/webhooks/collection-agency (integration key, X-Signature as in
 * api/webhook-signature.ts):
 *   {eventId, caseId, type: "payment", amount, currency, paidOn}
 *   {eventId, caseId, type: "closed", outcome: "paid" | "uncollectable" | "withdrawn", note?}
 */
export interface CaseFile {
  caseId: string;
  creditor: { legalEntity: string; name: string; country: string; iban: string };
  debtor: { customerId: string; name: string; country: string; email: string; kind: string; vatId: string | null };
  invoice: {
    number: string;
    issueDate: string;
    dueDate: string;
    currency: string;
    total: number;
    outstanding: number;
    paymentReference: string | null;
  };
  letters: { runAt: string; level: number; levelName: string; payBy: string; sentTo: string }[];
  payments: { amount: number; at: string; kind: string }[];
  disputes: { reasonCode: string; amount: number; status: string; openedAt: string }[];
  charges: { kind: string; amount: number; postedOn: string; status: string }[];
}

export interface CollectionAgency {
  handOver(caseFile: CaseFile): Promise<{ agencyReference: string }>;
}

export class CollectionAgencyError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'CollectionAgencyError';
  }
}

export function createHttpCollectionAgency(baseUrl: string, apiKey: string): CollectionAgency {
  return {
    async handOver(caseFile) {
      const res = await fetch(`${baseUrl}/v1/cases`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${apiKey}`,
          'idempotency-key': caseFile.caseId,
        },
        body: JSON.stringify(caseFile),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) {
        const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
        throw new CollectionAgencyError(
          `The collection agency refused the case: HTTP ${res.status} ${await res.text()}`,
          retryable,
        );
      }
      const body = (await res.json()) as { agencyReference: string };
      return { agencyReference: body.agencyReference };
    },
  };
}
