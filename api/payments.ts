import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { reversePayment } from '../db/cash-application.js';
import { closeCollectionCase, getCollectionCase } from '../db/collection-cases.js';
import type { CaseFile } from '../integrations/collection-agency.js';
import { invoiceViews } from '../db/invoices.js';
import { requestWriteOff } from '../db/write-offs.js';
import {
  getPayment,
  paymentOutcome,
  recordPayment,
  type IncomingPayment,
  type ReceivedPayment,
} from '../db/payments.js';
import { reopenReceivables, tellPaymentRecorded } from '../temporal/starts.js';
import { principalOf } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { stableId } from './idempotency.js';
import { currency, idParams, isoDateString, positiveMinorUnits } from './schemas.js';
import { verifyWebhook } from './webhook-signature.js';

export const PAYMENT_METHODS = [
  'card',
  'sepa_credit_transfer',
  'sepa_direct_debit',
  'ach',
  'wire',
  'cheque',
  'cash',
] as const;

const iban = z
  .string()
  .trim()
  .toUpperCase()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/, 'must be an IBAN'));

/** What the payer told us: a structured reference, an invoice number, free text; any or none. */
const payerDetails = {
  invoiceNumber: z.string().trim().min(1).max(64).optional(),
  reference: z.string().trim().min(1).max(64).optional(),
  remittance: z.string().trim().min(1).max(500).optional(),
  valueDate: isoDateString.optional(),
};

const providerPayment = z.object({
  /** The provider's id of the payment: the same id twice is the same payment. */
  externalId: z.string().trim().min(1).max(200),
  amount: positiveMinorUnits,
  currency,
  method: z.enum(PAYMENT_METHODS),
  payer: z.object({ name: z.string().trim().min(1).max(200).optional(), iban: iban.optional() }).optional(),
  ...payerDetails,
});

const manualPayment = z.object({
  /** The receipt or cheque number: the same number twice is the same payment. */
  receiptNumber: z.string().trim().min(1).max(200),
  customerId: z.uuid('must be a UUID'),
  amount: positiveMinorUnits,
  currency,
  method: z.enum(['cheque', 'cash', 'wire', 'card']),
  ...payerDetails,
});

const reversal = z.object({
  reason: z.string().trim().min(1, 'a reversal needs a reason').max(1000),
  /** The bank's or scheme's code: a SEPA R-transaction code (AC04, MD06, ...), a chargeback reason. */
  returnCode: z.string().trim().min(1).max(35).optional(),
});

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as sent, for signature checks. */
    rawBody?: Buffer;
  }
}

/**
 * Money coming in: the payment provider's webhook (signed), finance's manual entries, and reversals. Each payment
 * is recorded once and applied as the payer said (a reference or invoice number) or as the matcher finds it; what
 * it cannot place is an exception for a person (GET /v1/cash-application/exceptions).
 */
export const paymentRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    // The signature is over the bytes as sent: keep them beside the parsed body.
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
      request.rawBody = body;
      try {
        done(null, body.length ? JSON.parse(body.toString('utf8')) : undefined);
      } catch (err) {
        done(Object.assign(err as Error, { statusCode: 400 }), undefined);
      }
    });

    const answer = async (received: ReceivedPayment) => {
      await tellReceivables(deps, received);
      return view(received);
    };

    app.post(
      '/v1/payments',
      {
        schema: {
          tags: ['payments'],
          body: providerPayment,
          headers: z.object({ 'x-provider': z.string().min(1).max(64), 'x-signature': z.string().max(200).optional() }),
        },
        config: { roles: ['integration'] },
      },
      async (request, reply) => {
        const provider = request.headers['x-provider'];
        const secrets = deps.paymentProviders[provider];
        if (!secrets)
          throw new ApiError(401, 'UNKNOWN_PROVIDER', `No payment provider ${provider} is configured`, 'X-Provider');
        verifyWebhook(secrets, request.headers['x-signature'], request.rawBody ?? Buffer.alloc(0));
        const { payer, ...body } = request.body;
        const received = await recordPayment(
          deps.db,
          {
            ...withoutUndefined(body),
            externalId: `${provider}:${body.externalId}`,
            source: 'provider',
            ...(payer?.name ? { payerName: payer.name } : {}),
            ...(payer?.iban ? { payerIban: payer.iban } : {}),
          },
          deps.cashApplication.matchPolicy,
        );
        return reply.code(received.duplicate ? 200 : 201).send(await answer(received));
      },
    );

    /** The collection agency's reports on a case handed to it: a payment it collected, or the case closed. */
    app.post(
      '/v1/webhooks/collection-agency',
      {
        schema: {
          tags: ['payments', 'collections'],
          body: agencyEvent,
          headers: z.object({ 'x-signature': z.string().max(200).optional() }),
        },
        config: { roles: ['integration'] },
      },
      async (request, reply) => {
        verifyWebhook(
          deps.collections.agencyWebhookSecrets,
          request.headers['x-signature'],
          request.rawBody ?? Buffer.alloc(0),
        );
        const event = request.body;
        const found = await getCollectionCase(deps.db, event.caseId);
        if (!found) throw new ApiError(404, 'NOT_FOUND', `No collection case ${event.caseId}`, 'caseId');
        const caseFile = found.caseFile as CaseFile;
        if (event.type === 'closed') {
          const closed = await closeCollectionCase(deps.db, found.id, {
            outcome: event.outcome,
            ...(event.note ? { note: event.note } : {}),
          });
          // Uncollectable: what is still owed waits as a write-off request for an admin (never applied alone).
          const [invoice] = await invoiceViews(deps.db, { invoiceId: found.invoiceId });
          const writeOff =
            event.outcome === 'uncollectable' && invoice?.status === 'open' && invoice.balance > 0
              ? await requestWriteOff(deps.db, {
                  requestId: stableId('write-off', found.invoiceId, `agency-closure:${found.id}`),
                  invoiceId: found.invoiceId,
                  reason: `Collection agency case ${found.agencyReference ?? found.id} closed as uncollectable${event.note ? `: ${event.note}` : ''}`,
                  actor: 'collection-agency',
                  approvalAbove: {},
                })
              : null;
          return { caseId: closed.id, status: closed.status, outcome: closed.outcome, writeOff };
        }
        if (event.currency !== caseFile.invoice.currency) {
          throw new ApiError(422, 'CURRENCY_MISMATCH', `The case is in ${caseFile.invoice.currency}`, 'currency');
        }
        // Collected for us: a payment of the invoice like any other, applied to it, once per event.
        const received = await recordPayment(
          deps.db,
          {
            externalId: `agency:${event.eventId}`,
            amount: event.amount,
            currency: event.currency,
            method: 'collection_agency',
            source: 'provider',
            valueDate: event.paidOn,
            invoiceNumber: caseFile.invoice.number,
            customerId: found.customerId,
          },
          deps.cashApplication.matchPolicy,
        );
        return reply.code(received.duplicate ? 200 : 201).send(await answer(received));
      },
    );

    app.post(
      '/v1/payments/manual',
      {
        schema: { tags: ['payments'], body: manualPayment },
        config: { roles: ['finance'] },
      },
      async (request, reply) => {
        const { receiptNumber, ...body } = request.body;
        const received = await recordPayment(
          deps.db,
          {
            ...withoutUndefined(body),
            externalId: `manual:${receiptNumber}`,
            source: 'manual',
          },
          deps.cashApplication.matchPolicy,
        );
        return reply.code(received.duplicate ? 200 : 201).send(await answer(received));
      },
    );

    app.get(
      '/v1/payments/:id',
      { schema: { tags: ['payments'], params: idParams }, config: { roles: ['finance'] } },
      async (request) => {
        const payment = await getPayment(deps.db, request.params.id);
        if (!payment) throw new ApiError(404, 'NOT_FOUND', `No payment with id ${request.params.id}`);
        return { ...payment, ...view(await paymentOutcome(deps.db, payment.id)) };
      },
    );

    /**
     * A payment came back (a bank return, a chargeback): its allocations are reversed and the invoices it settled
     * open again, their receivables restarted where dunning would now be. Audited.
     */
    app.post(
      '/v1/payments/:id/reversal',
      {
        schema: { tags: ['payments'], params: idParams, body: reversal },
        config: { roles: ['finance'] },
      },
      async (request) => {
        const { reason, returnCode } = request.body;
        const touched = await reversePayment(deps.db, {
          paymentId: request.params.id,
          reason: returnCode ? `${returnCode}: ${reason}` : reason,
          actor: principalOf(request).name,
        });
        await reopenReceivables(deps, touched, request.params.id);
        return {
          id: request.params.id,
          status: 'reversed',
          invoices: await invoiceViews(deps.db, { ids: touched.map((t) => t.invoiceId) }),
        };
      },
    );
  };

const agencyEvent = z.discriminatedUnion('type', [
  z.object({
    eventId: z.string().min(1).max(128),
    caseId: z.uuid(),
    type: z.literal('payment'),
    amount: positiveMinorUnits,
    currency,
    paidOn: isoDateString,
  }),
  z.object({
    eventId: z.string().min(1).max(128),
    caseId: z.uuid(),
    type: z.literal('closed'),
    outcome: z.enum(['paid', 'uncollectable', 'withdrawn']),
    note: z.string().max(2000).optional(),
  }),
]);

/** Every receivable the payment changed re-reads its balance. */
async function tellReceivables(deps: ApiDeps, received: ReceivedPayment): Promise<void> {
  for (const workflowId of received.invoiceWorkflowIds) await tellPaymentRecorded(deps, workflowId, received.paymentId);
}

const view = (received: ReceivedPayment) => ({
  id: received.paymentId,
  matchStatus: received.matchStatus,
  customerId: received.customerId,
  allocations: received.allocations,
  applied: received.allocations.reduce((sum, a) => sum + a.amount, 0),
  charges: received.charges,
  unapplied: received.unapplied,
  confidence: received.confidence,
  reasons: received.reasons,
});

/** The optional fields the payer left out stay absent (exactOptionalPropertyTypes-style), not undefined. */
const withoutUndefined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Omit<
    IncomingPayment,
    'externalId' | 'source'
  >;
