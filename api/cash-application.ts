import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getBankFileProfile, listBankFileProfiles, putBankFileProfile } from '../db/bank-file-profiles.js';
import { importStatement, listStatements, statementView } from '../db/bank-statements.js';
import { applyUnappliedCash, refundUnappliedCash, resolveException, unappliedCashOf } from '../db/cash-application.js';
import { cashApplicationMetrics } from '../db/cash-metrics.js';
import { getCustomer } from '../db/customers.js';
import { invoiceViews } from '../db/invoices.js';
import { openExceptions } from '../db/payments.js';
import { validateCsvProfile } from '../formats/bank-csv.js';
import { STATEMENT_FORMATS, StatementFormatError } from '../formats/bank-statement.js';
import { parseBankFile } from '../formats/parse-bank-file.js';
import { reopenReceivables, startCashApplication } from '../temporal/starts.js';
import { ANY_ROLE, principalOf } from './auth.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { currency, idParams, idempotencyHeader, isoDateString, positiveMinorUnits } from './schemas.js';

const BANK_FILE_TYPES = ['application/xml', 'text/xml', 'text/plain', 'text/csv', 'application/octet-stream'];

const reason = z.string().trim().min(1, 'a decision needs a reason').max(1000);

const resolution = z.union([
  z.object({
    allocations: z
      .array(z.object({ invoiceId: z.uuid('must be a UUID'), amount: positiveMinorUnits }))
      .min(1, 'name at least one invoice')
      .max(100),
    reason,
  }),
  z.object({ action: z.literal('on_account'), customerId: z.uuid('must be a UUID').optional(), reason }),
  z.object({ action: z.literal('refund'), reason }),
]);

/**
 * Cash application: bank files in (CAMT.053/054, MT940, CSV by profile), applied by their own workflow; the
 * exceptions queue for what the matcher would not decide; a customer's unapplied cash, applied or refunded; and how
 * well it all went.
 */
export const cashApplicationRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser(
      BANK_FILE_TYPES,
      { parseAs: 'buffer', bodyLimit: deps.bankFileLimitBytes },
      (_req, body, done) => done(null, body),
    );

    /**
     * The body is the file as the bank sent it. It is read and validated whole before anything is applied: a
     * malformed file is refused (422 naming the entry and the field) and applies nothing. The same file again finds
     * the statement the first import created (200, same id) and applies nothing new.
     */
    app.post(
      '/v1/bank-statements',
      {
        schema: {
          tags: ['cash application'],
          querystring: z.object({
            format: z.enum(STATEMENT_FORMATS).optional(),
            profile: z.string().trim().min(1).max(64).optional(),
          }),
        },
        config: { roles: ['integration', 'finance'] },
      },
      async (request, reply) => {
        const content = request.body as Buffer | undefined;
        if (!Buffer.isBuffer(content) || content.length === 0) {
          throw new ApiError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            `Send the bank file itself as ${BANK_FILE_TYPES.join(', ')}`,
          );
        }
        const { format, profile: profileName } = request.query;
        const profile = profileName ? await getBankFileProfile(deps.db, profileName) : undefined;
        if (profileName && !profile)
          throw new ApiError(422, 'UNKNOWN_PROFILE', `No bank file profile ${profileName}`, 'profile');
        let statement;
        try {
          statement = parseBankFile(content, { ...(format ? { format } : {}), ...(profile ? { profile } : {}) });
        } catch (err) {
          if (!(err instanceof StatementFormatError)) throw err;
          // The parsers' messages name the entry (index and the bank's reference) and what is wrong with it.
          throw new ApiError(422, 'INVALID_STATEMENT', err.message, err.field);
        }
        const fileHash = createHash('sha256').update(content).digest('hex');
        const { id, created } = await importStatement(deps.db, statement, fileHash);
        await startCashApplication(deps, { statementId: id, linesTotal: statement.entries.length });
        const view = await statementView(deps.db, id, { entries: false });
        return reply.code(created ? 202 : 200).send({ id, status: view!.status, lines: view!.lines });
      },
    );

    app.get(
      '/v1/bank-statements',
      {
        schema: {
          tags: ['cash application'],
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(100).default(20),
            after: z.uuid('must be a UUID').optional(),
          }),
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => listStatements(deps.db, request.query),
    );

    app.get(
      '/v1/bank-statements/:id',
      {
        schema: {
          tags: ['cash application'],
          params: idParams,
          // Progress alone (?entries=false) for a client that polls a big file.
          querystring: z.object({ entries: z.enum(['true', 'false']).default('true') }),
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const view = await statementView(deps.db, request.params.id, { entries: request.query.entries === 'true' });
        if (!view) throw new ApiError(404, 'NOT_FOUND', `No bank statement with id ${request.params.id}`);
        return view;
      },
    );

    /** How a bank's CSV export reads: separator, decimal comma, date format, encoding, column mapping. Audited. */
    app.put(
      '/v1/bank-file-profiles/:name',
      {
        schema: { tags: ['cash application'], params: z.object({ name: z.string().regex(/^[a-z0-9-]{2,64}$/) }) },
        config: { roles: ['finance'] },
      },
      async (request, reply) => {
        let profile;
        try {
          profile = validateCsvProfile({ ...(request.body as object), name: request.params.name });
        } catch (err) {
          if (!(err instanceof RangeError)) throw err;
          throw new ApiError(400, 'VALIDATION_FAILED', err.message, err.message.split(/[ :]/)[0]);
        }
        const created = await putBankFileProfile(
          deps.db,
          profile,
          principalOf(request).name,
          `profile:${randomUUID()}`,
        );
        return reply.code(created ? 201 : 200).send(profile);
      },
    );

    app.get(
      '/v1/bank-file-profiles',
      { schema: { tags: ['cash application'] }, config: { roles: ANY_ROLE } },
      async () => ({ profiles: await listBankFileProfiles(deps.db) }),
    );

    /** Payments waiting for a person, oldest first, each with the matcher's ranked suggestions. */
    app.get(
      '/v1/cash-application/exceptions',
      {
        schema: {
          tags: ['cash application'],
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        },
        config: { roles: ['finance'] },
      },
      async (request) => {
        const rows = await openExceptions(deps.db, request.query.limit);
        const ids = [...new Set(rows.flatMap((r) => (r.suggestions as Suggestion[]).flatMap((s) => s.invoiceIds)))];
        const numbers = new Map((ids.length ? await invoiceViews(deps.db, { ids }) : []).map((i) => [i.id, i.number]));
        return {
          exceptions: rows.map((r) => ({
            id: r.id,
            amount: r.amount,
            currency: r.currency,
            valueDate: r.valueDate,
            source: r.source,
            payer: { name: r.payerName, iban: r.payerIban },
            reference: r.reference,
            remittance: r.remittance ?? r.invoiceNumber,
            customerId: r.customerId,
            statementId: r.statementId,
            receivedAt: r.receivedAt.toISOString(),
            reasons: r.reasons,
            suggestions: (r.suggestions as Suggestion[]).map((s) => ({
              allocations: s.allocations.map((a) => ({ ...a, invoiceNumber: numbers.get(a.invoiceId) ?? null })),
              confidence: s.confidence,
              reasons: s.reasons,
            })),
          })),
        };
      },
    );

    app.post(
      '/v1/cash-application/exceptions/:id/resolve',
      { schema: { tags: ['cash application'], params: idParams, body: resolution }, config: { roles: ['finance'] } },
      async (request) => {
        const { reason: why, ...rest } = request.body;
        const touched = await resolveException(deps.db, {
          paymentId: request.params.id,
          resolution: rest,
          reason: why,
          actor: principalOf(request).name,
        });
        await reopenReceivables(deps, touched, request.params.id);
        return { id: request.params.id, resolved: true, invoices: touched.map((t) => t.invoiceId) };
      },
    );

    app.get(
      '/v1/customers/:id/unapplied-cash',
      { schema: { tags: ['cash application'], params: idParams }, config: { roles: ['finance'] } },
      async (request) => {
        if (!(await getCustomer(deps.db, request.params.id)))
          throw new ApiError(404, 'NOT_FOUND', `No customer with id ${request.params.id}`);
        return unappliedCashOf(deps.db, request.params.id);
      },
    );

    /** Applies the customer's unapplied cash: to the invoices named, or the oldest first. Audited. */
    app.post(
      '/v1/customers/:id/unapplied-cash/apply',
      {
        schema: {
          tags: ['cash application'],
          params: idParams,
          headers: idempotencyHeader,
          body: z.object({ invoiceIds: z.array(z.uuid()).min(1).max(100).optional(), reason }),
        },
        config: { roles: ['finance'] },
      },
      async (request) => {
        const { touched, charges } = await applyUnappliedCash(deps.db, {
          customerId: request.params.id,
          ...(request.body.invoiceIds ? { invoiceIds: request.body.invoiceIds } : {}),
          key: `${request.params.id}:${request.headers['idempotency-key']}`,
          reason: request.body.reason,
          actor: principalOf(request).name,
        });
        await reopenReceivables(deps, touched, `unapplied:${request.params.id}`);
        return {
          ...(await unappliedCashOf(deps.db, request.params.id)),
          invoices: await invoiceViews(deps.db, { ids: touched.map((t) => t.invoiceId) }),
          charges,
        };
      },
    );

    app.post(
      '/v1/customers/:id/unapplied-cash/refund',
      {
        schema: {
          tags: ['cash application'],
          params: idParams,
          headers: idempotencyHeader,
          body: z.object({ amount: positiveMinorUnits, currency, reason }),
        },
        config: { roles: ['finance'] },
      },
      async (request) => {
        await refundUnappliedCash(deps.db, {
          customerId: request.params.id,
          ...request.body,
          key: `${request.params.id}:${request.headers['idempotency-key']}`,
          actor: principalOf(request).name,
        });
        return unappliedCashOf(deps.db, request.params.id);
      },
    );

    app.get(
      '/v1/cash-application/metrics',
      {
        schema: {
          tags: ['cash application'],
          querystring: z.object({ from: isoDateString, to: isoDateString }),
        },
        config: { roles: ['finance'] },
      },
      async (request) => cashApplicationMetrics(deps.db, request.query.from, request.query.to),
    );
  };

interface Suggestion {
  invoiceIds: string[];
  allocations: { invoiceId: string; amount: number }[];
  confidence: number;
  reasons: string[];
}
