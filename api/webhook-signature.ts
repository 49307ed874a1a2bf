import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors.js';

/** How far a signature's timestamp may be from our clock: a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The signature a sender puts on a webhook: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with its
 * secret (the scheme payment providers such as Stripe use). Tests and stand-ins sign with it too.
 */
export function signWebhook(
  secret: string,
  rawBody: string | Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  return `t=${nowSeconds},v1=${hmac(secret, nowSeconds, rawBody)}`;
}

/**
 * Checks a webhook's `X-Signature` against the sender's secrets (several while a secret is rotated: the new one
 * and the old one are both accepted until the sender has switched). Refuses a missing, malformed, wrong or stale
 * signature with 401 and a code saying which.
 */
export function verifyWebhook(
  secrets: readonly string[],
  header: string | undefined,
  rawBody: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
): void {
  if (!header)
    throw new ApiError(401, 'SIGNATURE_REQUIRED', 'Sign the body: X-Signature: t=<unix seconds>,v1=<HMAC-SHA256>');
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isSafeInteger(t) || !given || !/^[0-9a-f]{64}$/.test(given)) {
    throw new ApiError(401, 'SIGNATURE_INVALID', 'X-Signature must be t=<unix seconds>,v1=<64 hex digits>');
  }
  if (Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new ApiError(
      401,
      'SIGNATURE_STALE',
      `The signature's timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s from now`,
    );
  }
  const expected = Buffer.from(given, 'hex');
  const valid = secrets.some((secret) => timingSafeEqual(Buffer.from(hmac(secret, t, rawBody), 'hex'), expected));
  if (!valid) throw new ApiError(401, 'SIGNATURE_INVALID', 'The signature does not match the body');
}

function hmac(secret: string, t: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
}
