import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { DomainError } from '../domain/errors.js';

/** ApplicationFailure type of a programming or data error: nothing a retry can mend, a person must look. */
export const BUG = 'BUG';
/** ApplicationFailure type of an outside system's permanent refusal that the activity did not name itself. */
export const EXTERNAL_REFUSAL = 'EXTERNAL_REFUSAL';

/**
 * Every error an activity ends with, in the one vocabulary workflows read:
 * - a business refusal (a DomainError, or an ApplicationFailure the activity chose): non-retryable, its code as
 *   the type, the offending field in the details;
 * - transient I/O (a connection refused or reset, a timeout, the database restarting or out of connections, an
 *   outside system answering 5xx/408/429): rethrown as it is, so Temporal retries it with back-off for as long
 *   as it takes;
 * - anything else is a bug or bad data: non-retryable, type BUG, so the workflow stops the process for a person
 *   (status needs_attention) instead of retrying it for ever in silence.
 */
export function toActivityFailure(err: unknown): unknown {
  if (err instanceof TemporalFailure) return err; // an ApplicationFailure of the activity's choosing, a cancellation
  if (err instanceof DomainError) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.code,
      nonRetryable: true,
      details: err.field ? [{ field: err.field }] : [],
    });
  }
  if (isTransient(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  const retryable = (err as { retryable?: unknown }).retryable;
  if (retryable === false)
    return ApplicationFailure.create({ message, type: EXTERNAL_REFUSAL, nonRetryable: true, cause: asError(err) });
  return ApplicationFailure.create({ message, type: BUG, nonRetryable: true, cause: asError(err) });
}

/** Node's socket errors, undici's, nodemailer's and postgres.js's, for connections that may work next time. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);
/** SQLSTATEs worth another try: connection exceptions, serialization failures, deadlocks, shutdown, no resources. */
const TRANSIENT_SQLSTATE = /^(08|53|57P0[123]|40001|40P01)/;

function isTransient(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; name?: unknown; retryable?: unknown; responseCode?: unknown; cause?: unknown };
  if (e.retryable === true) return true; // our outside-system clients say so themselves
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
  if (
    typeof e.code === 'string' &&
    (TRANSIENT_CODES.has(e.code) || (/^[0-9A-Z]{5}$/.test(e.code) && TRANSIENT_SQLSTATE.test(e.code)))
  ) {
    return true;
  }
  if (typeof e.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 500) return true; // SMTP 4xx: try later
  return isTransient(e.cause, depth + 1);
}

const asError = (err: unknown) => (err instanceof Error ? err : new Error(String(err)));

/** Puts every activity's failures into the vocabulary above (registered on the worker). */
export class ActivityFailureVocabulary implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      throw toActivityFailure(err);
    }
  }
}
