import { ActivityFailure, ApplicationFailure, condition } from '@temporalio/workflow';

/**
 * A step whose activity failed for good (a bug or bad data, non-retryable by activities/failures.ts; or a
 * refusal nobody expected here) stops the process where it is, says why, and waits for an operator to fix the
 * cause and ask for a retry: never a silent retry loop, never a lost order. Transient I/O never gets here; it is
 * retried by Temporal with back-off.
 */
export class Attention {
  /** Why the process waits for a person; undefined while it runs. */
  reason: string | undefined;
  private retryRequested = false;

  /** `report` tells the world (status projection, parent workflow) that it waits, and, with undefined, that it runs on. */
  constructor(private readonly report: (reason: string | undefined) => Promise<void>) {}

  /** An operator's retry; false when nothing waits. */
  retry(): boolean {
    if (this.reason === undefined) return false;
    this.retryRequested = true;
    return true;
  }

  async run<T>(step: string, attempt: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await attempt();
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        this.reason = `${step}: ${failureMessage(err)}`;
        await this.report(this.reason);
        await condition(() => this.retryRequested);
        this.retryRequested = false;
        this.reason = undefined;
        await this.report(undefined);
      }
    }
  }
}

/** The activities, each call run as a step that waits for attention when it fails for good. */
export function attended<A extends object>(activities: A, attention: Attention): A {
  return new Proxy(activities, {
    get: (target, name) => {
      const call = target[name as keyof A] as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => attention.run(String(name), () => call(...args));
    },
  });
}

const failureMessage = (err: ActivityFailure): string =>
  err.cause instanceof ApplicationFailure ? err.cause.message : (err.cause?.message ?? err.message);
