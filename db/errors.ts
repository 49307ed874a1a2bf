/**
 * A business rule refused the request. Carries a stable code (and the offending field) so the API can map it
 * to a 4xx without parsing messages.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 404 | 409 | 422 = 422,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
