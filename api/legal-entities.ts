import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listLegalEntities, putLegalEntity } from '../db/legal-entities.js';
import { PAYMENT_REFERENCE_SCHEMES } from '../domain/payment-reference.js';
import { countryTimeZone, isTimeZone } from '../domain/time-zones.js';
import { ANY_ROLE, principalOf } from './auth.js';
import type { ApiDeps } from './deps.js';
import { peppolParticipant, vatId, vatIdMatchesCountry } from './schemas.js';

const code = z.object({ code: z.string().regex(/^[A-Z0-9]{2,10}$/, 'upper-case letters and digits, 2 to 10') });
const prefix = z
  .string()
  .regex(
    /^[A-Z0-9]{1,6}(-[A-Z0-9]{1,6})?$/,
    'upper-case letters and digits, optionally two parts joined by a dash (NL1-INV)',
  );

const legalEntity = z
  .object({
    name: z.string().trim().min(1).max(200),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as NL'),
    vatId,
    legalId: z
      .object({
        id: z.string().trim().min(1).max(50),
        scheme: z.string().regex(/^[0-9]{4}$/, 'must be a 4-digit ISO 6523 ICD such as 0106'),
      })
      .optional(),
    /** Norwegian companies in the register of business enterprises: "Foretaksregisteret". */
    taxRegistration: z.string().trim().min(1).max(100).optional(),
    address: z.object({
      street: z.string().trim().min(1).max(200),
      city: z.string().trim().min(1).max(100),
      postalCode: z.string().trim().min(1).max(20),
    }),
    peppol: peppolParticipant,
    iban: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/, 'must be an IBAN'),
    bic: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/, 'must be a BIC')
      .optional(),
    paymentReferenceScheme: z.enum(PAYMENT_REFERENCE_SCHEMES).default('rf'),
    invoicePrefix: prefix,
    creditNotePrefix: prefix,
    /** IANA zone of the entity's books; absent: its country's. Decides invoice dates and so the year's series. */
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Amsterdam').optional(),
  })
  .refine((e) => e.timeZone !== undefined || countryTimeZone(e.country) !== undefined, {
    message: "give the time zone of the entity's books (no default for its country)",
    path: ['timeZone'],
  })
  .refine((e) => vatIdMatchesCountry(e.vatId, e.country), {
    message: "must start with the entity's country code",
    path: ['vatId'],
  })
  .refine((e) => e.invoicePrefix !== e.creditNotePrefix, {
    message: 'invoices and credit notes need series of their own',
    path: ['creditNotePrefix'],
  });

/** The group's selling companies: each invoices in its own number series with its own VAT id, bank account and references. */
export const legalEntityRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.put(
      '/v1/legal-entities/:code',
      {
        schema: { tags: ['legal entities'], params: code, body: legalEntity },
        config: { roles: ['admin'] },
      },
      async (request, reply) => {
        const { address, peppol, legalId, timeZone, ...rest } = request.body;
        const { entity, created } = await putLegalEntity(
          deps.db,
          request.params.code,
          {
            ...rest,
            ...address,
            peppolId: peppol.id,
            peppolScheme: peppol.scheme,
            legalId: legalId?.id ?? null,
            legalIdScheme: legalId?.scheme ?? null,
            taxRegistration: rest.taxRegistration ?? null,
            bic: rest.bic ?? null,
            timeZone: timeZone ?? countryTimeZone(rest.country)!,
          },
          principalOf(request).name,
        );
        return reply.code(created ? 201 : 200).send(entity);
      },
    );

    app.get(
      '/v1/legal-entities',
      {
        schema: { tags: ['legal entities'] },
        config: { roles: ANY_ROLE },
      },
      async () => ({ legalEntities: await listLegalEntities(deps.db) }),
    );
  };
