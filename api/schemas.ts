import { z } from 'zod';
import { SUPPORTED_CURRENCIES } from '../domain/currency.js';

// Field rules shared by several resources.
export const minorUnits = z
  .number()
  .int('must be an integer amount in minor units')
  .min(0)
  .max(Number.MAX_SAFE_INTEGER);
export const positiveMinorUnits = minorUnits.min(1, 'must be positive');
export const currency = z.enum(SUPPORTED_CURRENCIES, { message: `must be one of ${SUPPORTED_CURRENCIES.join(', ')}` });
export const sku = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only');
export const idParams = z.object({ id: z.uuid('must be a UUID') });
/** A calendar date, YYYY-MM-DD. */
export const isoDateString = z.iso.date('must be a date YYYY-MM-DD');

/** A VAT identifier with its country prefix, e.g. NL123456789B01, BE0123456789, NO974760673MVA. */
export const vatId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}[A-Z0-9]{2,13}$/, 'must be a VAT id with its country prefix, e.g. NL123456789B01');
/** EU VAT ids of Greece start EL, not GR; Norway's org.nr. VAT id starts NO. */
export const vatIdMatchesCountry = (id: string, country: string) =>
  id.slice(0, 2) === (country === 'GR' ? 'EL' : country);
/** A Peppol participant: EAS scheme (4 digits, e.g. 0106 KvK, 0192 org.nr., 9944 NL VAT) and id. */
export const peppolParticipant = z.object({
  scheme: z.string().regex(/^[0-9]{4}$/, 'must be a 4-digit EAS code such as 0106'),
  id: z.string().trim().min(1).max(135).regex(/^\S+$/, 'must not contain spaces'),
});

/** Commands that create something take a client key, so a retried request finds what the first one created. */
export const idempotencyHeader = z.object({
  'idempotency-key': z.string({ message: 'the Idempotency-Key header is required' }).min(1).max(255),
});

/** Quantities of invoice lines, as a credit note (or a dispute, which a credit note may resolve) names them. */
export const creditedLines = z
  .array(
    z.object({
      lineNo: z.number().int().min(1),
      quantity: z.number().int('must be a whole number').min(1, 'must be at least 1'),
    }),
  )
  .min(1, 'name at least one line')
  .max(500);

/** The corrected lines of a revised invoice: each names an invoice line and what changes on it. */
export const revisedLines = z
  .array(
    z.object({
      lineNo: z.number().int().min(1),
      quantity: z.number().int('must be a whole number').min(0).optional(),
      unitPrice: z.number().int('must be an integer amount in minor units').min(0).optional(),
      discountBp: z.number().int().min(0).max(10_000).optional(),
    }),
  )
  .min(1, 'name at least one corrected line')
  .max(500);
