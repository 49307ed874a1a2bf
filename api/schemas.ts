import { z } from 'zod';
import { SUPPORTED_CURRENCIES } from '../domain/currency.js';

// Field rules shared by several resources.
export const minorUnits = z.number().int('must be an integer amount in minor units').min(0).max(Number.MAX_SAFE_INTEGER);
export const positiveMinorUnits = minorUnits.min(1, 'must be positive');
export const currency = z.enum(SUPPORTED_CURRENCIES, { message: `must be one of ${SUPPORTED_CURRENCIES.join(', ')}` });
export const sku = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only');
export const idParams = z.object({ id: z.uuid('must be a UUID') });
