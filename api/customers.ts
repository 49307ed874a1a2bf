import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { customerActivity } from '../db/activity.js';
import {
  checkCustomerReferences,
  createCustomer,
  customerView,
  getCustomer,
  searchCustomers,
  updateInvoicingDetails,
  type InvoicingDetails,
} from '../db/customers.js';
import { CUSTOMER_SEGMENTS } from '../domain/dunning.js';
import { DEBTOR_KINDS } from '../domain/dunning-charges.js';
import { LETTER_LANGUAGES } from '../domain/letters.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { ANY_ROLE, principalOf } from './auth.js';
import { DELIVERY_CHANNELS } from '../domain/document-delivery.js';
import { currency, idParams, minorUnits, peppolParticipant, vatId, vatIdMatchesCountry } from './schemas.js';

/** What invoices need to know about a customer: where they go, under which VAT regime, from which entity. */
const invoicingFields = {
  /** The group company that invoices this customer; absent: the default one. */
  legalEntity: z.string().trim().min(1).max(20).optional(),
  vatId: vatId.optional(),
  /** Invoices must state it (EN 16931 BG-8). */
  address: z.object({
    street: z.string().trim().min(1).max(200),
    city: z.string().trim().min(1).max(100),
    postalCode: z.string().trim().min(1).max(20),
  }),
  peppol: peppolParticipant.optional(),
  invoiceChannel: z.enum(DELIVERY_CHANNELS).default('email'),
  buyerReference: z.string().trim().min(1).max(100).optional(),
};
type InvoicingInput = z.infer<z.ZodObject<typeof invoicingFields>>;

/** The rules across fields, as [field, message] of the first one broken. */
function invoicingProblem(c: InvoicingInput & { country: string }): [string, string] | undefined {
  if (c.invoiceChannel === 'peppol' && !c.peppol)
    return ['peppol', "the peppol channel needs the customer's Peppol participant id"];
  if (c.vatId && !vatIdMatchesCountry(c.vatId, c.country))
    return ['vatId', "must start with the customer's country code (EL for Greece)"];
  return undefined;
}

const newCustomer = z
  .object({
    name: z.string().trim().min(1).max(200),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as NL'),
    currency,
    email: z.email(),
    language: z.enum(LETTER_LANGUAGES, { message: `must be one of ${LETTER_LANGUAGES.join(', ')}` }),
    creditLimit: minorUnits,
    paymentTermsDays: z.number().int().min(0).max(365),
    /** Decides the dunning policy when the customer has none of its own (GET /v1/dunning-policies). */
    segment: z.enum(CUSTOMER_SEGMENTS, { message: `must be one of ${CUSTOMER_SEGMENTS.join(', ')}` }).optional(),
    /** business (default) or consumer: decides the statutory charges and notices of dunning. */
    kind: z.enum(DEBTOR_KINDS, { message: `must be one of ${DEBTOR_KINDS.join(', ')}` }).optional(),
    priceListId: z.string().trim().min(1).max(64).optional(),
    ...invoicingFields,
  })
  .superRefine((c, ctx) => {
    const problem = invoicingProblem(c);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem[0]], message: problem[1] });
  });

const invoicingChange = z.object({
  ...invoicingFields,
  reason: z.string().trim().min(1, 'a change needs a reason').max(1000),
});

/** The API's nested shape to the table's columns; absent optional fields are cleared. */
const toColumns = ({
  address,
  peppol,
  legalEntity,
  vatId: id,
  buyerReference,
  invoiceChannel,
}: InvoicingInput): InvoicingDetails => ({
  ...address,
  invoiceChannel,
  legalEntity: legalEntity ?? null,
  vatId: id ?? null,
  buyerReference: buyerReference ?? null,
  peppolId: peppol?.id ?? null,
  peppolScheme: peppol?.scheme ?? null,
});

export const customerRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/customers',
      {
        schema: { tags: ['customers'], body: newCustomer },
        config: { roles: ['finance'] },
      },
      async (request, reply) => {
        await checkCustomerReferences(deps.db, request.body);
        const {
          name,
          country,
          currency: cur,
          email,
          language,
          creditLimit,
          paymentTermsDays,
          priceListId,
          segment,
          kind,
        } = request.body;
        const customer = await createCustomer(deps.db, {
          name,
          country,
          currency: cur,
          email,
          language,
          creditLimit,
          paymentTermsDays,
          priceListId: priceListId ?? null,
          ...(segment ? { segment } : {}),
          ...(kind ? { kind } : {}),
          ...toColumns(request.body),
        });
        return reply.code(201).send(customerView(customer));
      },
    );

    /** Finding an account by what a person knows of it: part of its name or e-mail, its VAT id, its id. */
    app.get(
      '/v1/customers',
      {
        schema: {
          tags: ['customers'],
          querystring: z.object({
            q: z.string().trim().min(2, 'type at least 2 characters').max(100),
            limit: z.coerce.number().int().min(1).max(50).default(20),
          }),
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => ({ customers: await searchCustomers(deps.db, request.query.q, request.query.limit) }),
    );

    app.get(
      '/v1/customers/:id',
      {
        schema: { tags: ['customers'], params: idParams },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const customer = await getCustomer(deps.db, request.params.id);
        if (!customer) throw new ApiError(404, 'NOT_FOUND', `No customer with id ${request.params.id}`);
        return customerView(customer);
      },
    );

    /** The account's timeline, newest first (db/activity.ts). */
    app.get(
      '/v1/customers/:id/activity',
      {
        schema: {
          tags: ['customers'],
          params: idParams,
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const customer = await getCustomer(deps.db, request.params.id);
        if (!customer) throw new ApiError(404, 'NOT_FOUND', `No customer with id ${request.params.id}`);
        return { events: await customerActivity(deps.db, customer.id, request.query.limit) };
      },
    );

    /** Replaces the customer's invoicing details (address, VAT id, Peppol id, channel, entity); audited with old and new. */
    app.put(
      '/v1/customers/:id/invoicing',
      {
        schema: { tags: ['customers'], params: idParams, body: invoicingChange },
        config: { roles: ['finance'] },
      },
      async (request) => {
        const customer = await getCustomer(deps.db, request.params.id);
        if (!customer) throw new ApiError(404, 'NOT_FOUND', `No customer with id ${request.params.id}`);
        const problem = invoicingProblem({ ...request.body, country: customer.country });
        if (problem) throw new ApiError(400, 'VALIDATION_FAILED', `${problem[0]}: ${problem[1]}`, problem[0]);
        await checkCustomerReferences(deps.db, request.body);
        const { reason, ...details } = request.body;
        await updateInvoicingDetails(deps.db, {
          customerId: customer.id,
          details: toColumns(details),
          reason,
          actor: principalOf(request).name,
          decisionKey: `customer-invoicing:${randomUUID()}`,
        });
        return customerView((await getCustomer(deps.db, customer.id))!);
      },
    );
  };
