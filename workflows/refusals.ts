import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** Whether an activity failed with the business refusal `type` (activities/failures.ts). */
export const isRefusal = (err: unknown, type: string): err is ActivityFailure & { cause: ApplicationFailure } =>
  err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === type;

/** An Update answers a business refusal of its activity with that refusal, type and field included. */
export function refusalOf(err: unknown): unknown {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : err;
}
