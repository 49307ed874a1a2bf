/**
 * The Peppol access point adapter against the local stand-in AP, which validates every document with the
 * official Peppol BIS Billing 3.0 rules (validateUbl). The JVM validator costs seconds per run, so the documents
 * used here are validated together once up front and the stand-in is given those official results; any other
 * document it receives is validated on the spot.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toUbl } from '../../documents/ubl.js';
import { type UblValidation, validateUbl, validateUblBatch } from '../../documents/validate-ubl.js';
import { buildInvoiceDocument } from '../../domain/invoice-document.js';
import {
  createHttpPeppolAccessPoint,
  PEPPOL_BILLING_PROCESS_ID,
  PEPPOL_DOCUMENT_TYPE_IDS,
  PeppolAccessPointError,
  type PeppolOutboundDocument,
} from '../../integrations/peppol-access-point.js';
import {
  type PeppolAccessPointStandIn,
  type PeppolAccessPointStandInOptions,
  startPeppolAccessPointStandIn,
} from '../../integrations/peppol-access-point-stand-in.js';
import { creditNoteNl, domesticNl } from './fixtures.js';

const SELLER = '0106:12345678'; // nlSeller's endpoint
const BUYER = '0106:87654321'; // nlBuyer's endpoint
const invoiceXml = toUbl(buildInvoiceDocument(domesticNl));
const creditNoteXml = toUbl(buildInvoiceDocument(creditNoteNl));
const total = /<cbc:TaxInclusiveAmount currencyID="EUR">([0-9.]+)</.exec(invoiceXml)?.[1] ?? '';
/** One cent off the total with VAT: BR-CO-15 (and BR-CO-16, the amount due) must fire. */
const wrongTotalXml = invoiceXml.replace(
  `<cbc:TaxInclusiveAmount currencyID="EUR">${total}<`,
  `<cbc:TaxInclusiveAmount currencyID="EUR">${(Number(total) + 0.01).toFixed(2)}<`,
);

const official = new Map<string, UblValidation>();
/** What the stand-in was asked to validate, in order. */
let validated: string[] = [];
const validate = async (xml: string): Promise<UblValidation> => {
  validated.push(xml);
  return official.get(xml) ?? validateUbl(xml);
};

beforeAll(async () => {
  expect(total).not.toBe('');
  const xmls = [invoiceXml, creditNoteXml, wrongTotalXml];
  const results = await validateUblBatch(xmls);
  xmls.forEach((xml, i) => official.set(xml, results[i]!));
  expect(results.map((r) => r.valid)).toEqual([true, true, false]);
}, 300_000);

let ap: PeppolAccessPointStandIn | undefined;
afterEach(async () => {
  await ap?.close();
  ap = undefined;
  validated = [];
});
const start = async (options: Partial<PeppolAccessPointStandInOptions> = {}): Promise<PeppolAccessPointStandIn> =>
  (ap = await startPeppolAccessPointStandIn({ receivers: [BUYER], validate, ...options }));

const invoice = (over: Partial<PeppolOutboundDocument> = {}): PeppolOutboundDocument => ({
  documentId: 'inv-000101',
  senderId: SELLER,
  receiverId: BUYER,
  documentType: 'invoice',
  ubl: invoiceXml,
  ...over,
});

/** The error a promise rejects with, checked to be the adapter's. */
const refusal = async (p: Promise<unknown>): Promise<PeppolAccessPointError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PeppolAccessPointError);
  return err as PeppolAccessPointError;
};

describe('Peppol access point over HTTP', () => {
  it('transmits a valid invoice once, however often it is sent', async () => {
    const standIn = await start({ apiKey: 'ap-secret' });
    const client = createHttpPeppolAccessPoint(standIn.url, { apiKey: 'ap-secret' });

    const first = await client.send(invoice());
    const again = await client.send(invoice());
    // A retried activity in another worker process: a new client, the same document.
    const third = await createHttpPeppolAccessPoint(standIn.url, { apiKey: 'ap-secret' }).send(invoice());

    expect(first.status).toBe('accepted');
    expect(first.transmissionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(again).toEqual(first);
    expect(third).toEqual(first);
    expect(standIn.requests.map((r) => r.idempotencyKey)).toEqual(['inv-000101', 'inv-000101', 'inv-000101']);
    expect(validated).toHaveLength(1); // repeats are answered from the first submission
    expect([...standIn.received.keys()]).toEqual(['inv-000101']);
    expect(standIn.received.get('inv-000101')).toMatchObject({
      transmissionId: first.transmissionId,
      sender: SELLER,
      receiver: BUYER,
      documentType: 'invoice',
      documentTypeId: PEPPOL_DOCUMENT_TYPE_IDS.invoice,
      processId: PEPPOL_BILLING_PROCESS_ID,
      ubl: invoiceXml, // the base64 round trip keeps every byte
    });
    expect(await client.status(first.transmissionId)).toMatchObject({
      transmissionId: first.transmissionId,
      documentId: 'inv-000101',
      status: 'delivered',
    });
  });

  it('sends a credit note as a CreditNote and follows its delivery', async () => {
    const standIn = await start({ deliveryDelayMs: 300 });
    const client = createHttpPeppolAccessPoint(standIn.url);
    const { transmissionId } = await client.send({
      documentId: 'cn-000007',
      senderId: SELLER,
      receiverId: BUYER,
      documentType: 'credit_note',
      ubl: creditNoteXml,
    });
    expect(standIn.received.get('cn-000007')?.documentTypeId).toBe(
      'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1',
    );
    expect((await client.status(transmissionId)).status).toBe('accepted');
    await new Promise((r) => setTimeout(r, 350));
    expect(await client.status(transmissionId)).toMatchObject({ status: 'delivered', deliveredAt: expect.any(String) });

    const unknown = await refusal(client.status('no-such-transmission'));
    expect(unknown).toMatchObject({ retryable: false, details: { httpStatus: 404, code: 'NOT_FOUND' } });
  });

  it('refuses an invalid document for good, naming the rules it breaks', async () => {
    const standIn = await start();
    const err = await refusal(
      createHttpPeppolAccessPoint(standIn.url, { retries: 3, backoffMs: 10 }).send(
        invoice({ documentId: 'inv-bad', ubl: wrongTotalXml }),
      ),
    );
    expect(err.retryable).toBe(false);
    expect(err.details).toMatchObject({ httpStatus: 422, code: 'VALIDATION_FAILED' });
    expect(err.ruleIds).toEqual(['BR-CO-15', 'BR-CO-16']);
    expect(err.message).toMatch(/HTTP 422 VALIDATION_FAILED: .*BR-CO-15/);
    expect(err.details.findings?.[0]).toMatchObject({
      id: 'BR-CO-15',
      flag: 'fatal',
      text: expect.stringMatching(/\S/),
    });
    expect(standIn.requests).toHaveLength(1);
    expect(standIn.received.size).toBe(0);
  });

  it('refuses a payload that is not the declared document type without validating it', async () => {
    const standIn = await start();
    const err = await refusal(createHttpPeppolAccessPoint(standIn.url).send(invoice({ documentType: 'credit_note' })));
    expect(err).toMatchObject({ retryable: false, details: { httpStatus: 422, code: 'DOCUMENT_TYPE_MISMATCH' } });
    expect(validated).toHaveLength(0);
  });

  it('refuses a receiver the SMP does not know, for good, until it is registered', async () => {
    const standIn = await start();
    const client = createHttpPeppolAccessPoint(standIn.url, { retries: 3, backoffMs: 10 });
    const err = await refusal(client.send(invoice({ receiverId: '0192:987654321' })));
    expect(err.retryable).toBe(false);
    expect(err.details).toMatchObject({ httpStatus: 404, code: 'RECEIVER_NOT_REGISTERED' });
    expect(err.message).toMatch(/receiver 0192:987654321 is not registered/);
    expect(standIn.requests).toHaveLength(1);
    expect(standIn.received.size).toBe(0);

    // A refusal is not remembered under the Idempotency-Key: once the buyer registers, the same send goes through.
    standIn.receivers.add('0192:987654321');
    expect((await client.send(invoice({ receiverId: '0192:987654321' }))).status).toBe('accepted');
    expect(standIn.received.get('inv-000101')?.receiver).toBe('0192:987654321');
  });

  it('retries 503s with back-off and gives up after the configured retries', async () => {
    let standIn = await start({ failFirst: 2 });
    const sent = await createHttpPeppolAccessPoint(standIn.url, { retries: 2, backoffMs: 10 }).send(invoice());
    expect(standIn.requests).toHaveLength(3);
    expect(standIn.received.get('inv-000101')?.transmissionId).toBe(sent.transmissionId);
    expect(standIn.received.size).toBe(1);
    await standIn.close();

    standIn = await start({ failFirst: 5 });
    const err = await refusal(createHttpPeppolAccessPoint(standIn.url, { retries: 1, backoffMs: 10 }).send(invoice()));
    expect(err).toMatchObject({ retryable: true, details: { httpStatus: 503, code: 'SERVICE_UNAVAILABLE' } });
    expect(standIn.requests).toHaveLength(2);
    expect(standIn.received.size).toBe(0);
  });

  it('times out each attempt, and the AP still transmits only once', async () => {
    const standIn = await start({ delayMs: 400 });
    const err = await refusal(
      createHttpPeppolAccessPoint(standIn.url, { timeoutMs: 100, retries: 1, backoffMs: 10 }).send(invoice()),
    );
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/unreachable: no answer within 100 ms/);
    expect(standIn.requests).toHaveLength(2);

    // The AP did get the document; the activity's retry, with time to wait, learns the transmission it started.
    const retried = await createHttpPeppolAccessPoint(standIn.url, { timeoutMs: 5_000 }).send(invoice());
    expect(standIn.requests).toHaveLength(3);
    expect(standIn.received.size).toBe(1);
    expect(standIn.received.get('inv-000101')?.transmissionId).toBe(retried.transmissionId);
    expect(validated).toHaveLength(1);
  });

  it('does not retry a refusal: wrong API key, a reused Idempotency-Key, a malformed participant id', async () => {
    const standIn = await start({ apiKey: 'ap-secret' });
    const wrongKey = await refusal(
      createHttpPeppolAccessPoint(standIn.url, { apiKey: 'wrong', retries: 3 }).send(invoice()),
    );
    expect(wrongKey).toMatchObject({ retryable: false, details: { httpStatus: 401, code: 'UNAUTHENTICATED' } });
    expect(standIn.requests).toHaveLength(1);

    const client = createHttpPeppolAccessPoint(standIn.url, { apiKey: 'ap-secret', retries: 3 });
    await client.send(invoice());
    const reused = await refusal(client.send(invoice({ documentType: 'credit_note', ubl: creditNoteXml })));
    expect(reused).toMatchObject({ retryable: false, details: { httpStatus: 409, code: 'IDEMPOTENCY_KEY_REUSED' } });

    const requestsBefore = standIn.requests.length;
    const malformed = await refusal(client.send(invoice({ receiverId: '87654321' })));
    expect(malformed.retryable).toBe(false);
    expect(malformed.message).toMatch(/receiverId "87654321" is not a Peppol participant id/);
    expect(standIn.requests).toHaveLength(requestsBefore);
  });
});
