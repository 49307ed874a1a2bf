import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createCustomer, getCustomer } from '../db/customers.js';
import { DomainError } from '../db/errors.js';
import { legalEntities, priceLists } from '../db/schema.js';
import { eq } from 'drizzle-orm';
import { VAT_ID_ADDRESS_COUNTRIES, electronicAddressOf } from '../domain/electronic-address.js';
import { LETTER_LANGUAGES } from '../domain/letters.js';
import type { ApiDeps } from './deps.js';
import { ApiError } from './errors.js';
import { ANY_ROLE } from './auth.js';
import { INVOICE_CHANNELS, currency, idParams, minorUnits, peppolParticipant, vatId, vatIdMatchesCountry } from './schemas.js';

const newCustomer = z.object({
  name: z.string().trim().min(1).max(200),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as NL'),
  currency,
  email: z.email(),
  language: z.enum(LETTER_LANGUAGES, { message: `must be one of ${LETTER_LANGUAGES.join(', ')}` }),
  creditLimit: minorUnits,
  paymentTermsDays: z.number().int().min(0).max(365),
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
  invoiceChannel: z.enum(INVOICE_CHANNELS).default('email'),
  buyerReference: z.string().trim().min(1).max(100).optional(),
  priceListId: z.string().trim().min(1).max(64).optional(),
}).refine((c) => c.invoiceChannel !== 'peppol' || c.peppol, { message: 'the peppol channel needs the customer\'s Peppol participant id', path: ['peppol'] })
  .refine((c) => !c.vatId || vatIdMatchesCountry(c.vatId, c.country), { message: 'must start with the customer\'s country code (EL for Greece)', path: ['vatId'] })
  .refine((c) => electronicAddressOf(c), {
    message: `e-invoices need the buyer's electronic address: give peppol {scheme, id}, or a VAT id of ${VAT_ID_ADDRESS_COUNTRIES.join(', ')}`,
    path: ['peppol'],
  });

async function mustExist(deps: ApiDeps, body: z.infer<typeof newCustomer>) {
  if (body.legalEntity && !(await deps.db.select({ code: legalEntities.code }).from(legalEntities).where(eq(legalEntities.code, body.legalEntity))).length) {
    throw new DomainError('UNKNOWN_LEGAL_ENTITY', `legalEntity: no legal entity ${body.legalEntity}`, 422, 'legalEntity');
  }
  if (body.priceListId && !(await deps.db.select({ id: priceLists.id }).from(priceLists).where(eq(priceLists.id, body.priceListId))).length) {
    throw new DomainError('UNKNOWN_PRICE_LIST', `priceListId: no price list ${body.priceListId}`, 422, 'priceListId');
  }
}

export const customerRoutes = (deps: ApiDeps): FastifyPluginAsyncZod => async (app) => {
  app.post('/v1/customers', {
    schema: { tags: ['customers'], body: newCustomer },
    config: { roles: ['finance'] },
  }, async (request, reply) => {
    await mustExist(deps, request.body);
    const { address, peppol, ...customer } = request.body;
    return reply.code(201).send(await createCustomer(deps.db, {
      ...customer,
      ...address,
      ...(peppol ? { peppolId: peppol.id, peppolScheme: peppol.scheme } : {}),
    }));
  });

  app.get('/v1/customers/:id', {
    schema: { tags: ['customers'], params: idParams },
    config: { roles: ANY_ROLE },
  }, async (request) => {
    const customer = await getCustomer(deps.db, request.params.id);
    if (!customer) throw new ApiError(404, 'NOT_FOUND', `No customer with id ${request.params.id}`);
    return customer;
  });
};
