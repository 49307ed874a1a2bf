/**
 * A business rule refused the request: a stable code and, where one is to blame, the field. Raised by db/ and
 * domain/ alike; the API maps codes to HTTP statuses (api/errors.ts), and an activity reports it as a
 * non-retryable ApplicationFailure of that type (activities/failures.ts): it is an answer, not a fault.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
