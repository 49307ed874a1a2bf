import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../domain/errors.js';

/** The one error shape of the API: `{"error":{"code","message","field"?}}` with a stable code. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * The HTTP status of each business refusal code that is not a plain 422, whether db/ raised it (DomainError) or a
 * workflow's Update refused (ApplicationFailure of that type): one table, so a code means one status everywhere.
 */
const REFUSAL_STATUS: Record<string, 404 | 409> = {
  NOT_FOUND: 404,
  IDEMPOTENCY_KEY_REUSED: 409,
  INVOICE_PARTLY_SETTLED: 409,
  NO_DOCUMENT: 409,
  NO_UBL: 409,
  PAYMENT_CONFLICT: 409,
  PAYMENT_REFUNDED: 409,
  SKU_EXISTS: 409,
  WAREHOUSE_EXISTS: 409,
  PREFIX_IN_USE: 409,
  NOT_ON_CREDIT_HOLD: 409,
  ORDER_CLOSED: 409,
  INVOICE_CLOSED: 409,
  ALREADY_DISPATCHED: 409,
  ALREADY_INVOICED: 409,
  EXPOSURE_BEYOND_HARD_LIMIT: 409,
  NOTHING_TO_RETRY: 409,
  NOT_AN_EXCEPTION: 409,
  DISPUTE_NOT_OPEN: 409,
  PROMISE_OPEN: 409,
  WRITE_OFF_DECIDED: 409,
  FOUR_EYES_REQUIRED: 409,
  POLICY_TARGET_TAKEN: 409,
  CHARGE_PAID: 409,
};

const refusal = (code: string, message: string, field?: string) =>
  new ApiError(REFUSAL_STATUS[code] ?? 422, code, message, field);

export function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) return refusal(error.code, error.message, error.field);
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type) {
    const field = (error.cause.details?.[0] as { field?: string } | undefined)?.field;
    return refusal(error.cause.type, error.cause.message, field);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0]!;
    const context = (error as { validationContext?: string }).validationContext;
    const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const field = context === 'headers' ? path : path || undefined;
    return new ApiError(400, 'VALIDATION_FAILED', `${field ?? context ?? 'request'}: ${first.message}`, field);
  }
  if (error instanceof WorkflowNotFoundError) {
    return new ApiError(409, 'WORKFLOW_CLOSED', 'The order has finished and accepts no more commands');
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json');
  if (fastifyError.statusCode === 400) return new ApiError(400, 'INVALID_REQUEST', fastifyError.message);
  if (fastifyError.statusCode === 413) return new ApiError(413, 'PAYLOAD_TOO_LARGE', fastifyError.message);
  return undefined;
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const apiError = toApiError(error);
  if (!apiError) {
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send({ error: { code: 'INTERNAL', message: 'Internal error; the request id is in the logs' } });
  }
  if (apiError.statusCode >= 500) request.log.error({ err: error }, apiError.message);
  const { code, message, field } = apiError;
  return reply.code(apiError.statusCode).send({ error: { code, message, ...(field ? { field } : {}) } });
}
