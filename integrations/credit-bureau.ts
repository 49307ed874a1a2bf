/** An external credit bureau (Creditsafe, Dun & Bradstreet, Graydon ...) behind one call. */
export interface CreditBureau {
  /** The bureau's 0-100 score for the company, or undefined when it does not know it. */
  score(subject: { reference: string; name: string; country: string }): Promise<number | undefined>;
}

export class CreditBureauError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'CreditBureauError';
  }
}

export interface HttpCreditBureauOptions {
  apiKey?: string | undefined;
  /** Per attempt. */
  timeoutMs?: number;
  /** Further attempts after the first, on timeouts, network errors, 429 and 5xx. */
  retries?: number;
  backoffMs?: number;
}

/**
 * JSON over HTTP: POST {baseUrl}/v1/scores {reference, name, country} -> {score}. A 404 means "unknown company".
 * Each attempt has its own timeout and transient failures are retried with exponential back-off, so one slow
 * bureau answer cannot stall the daily credit review.
 */
export function createHttpCreditBureau(baseUrl: string, options: HttpCreditBureauOptions = {}): CreditBureau {
  const { timeoutMs = 3_000, retries = 2, backoffMs = 200 } = options;
  const url = new URL('v1/scores', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const attempt = async (body: string): Promise<number | undefined> => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new CreditBureauError(`credit bureau unreachable: ${(err as Error).message}`, true);
    }
    if (res.status === 404) return undefined;
    if (!res.ok) {
      const retryable = res.status >= 500 || res.status === 429;
      throw new CreditBureauError(
        `credit bureau answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`,
        retryable,
      );
    }
    const { score } = (await res.json()) as { score?: unknown };
    if (typeof score !== 'number' || score < 0 || score > 100)
      throw new CreditBureauError(`credit bureau sent an invalid score: ${String(score)}`, false);
    return score;
  };
  return {
    async score(subject) {
      const body = JSON.stringify(subject);
      for (let n = 0; ; n++) {
        try {
          return await attempt(body);
        } catch (err) {
          if (!(err instanceof CreditBureauError) || !err.retryable || n >= retries) throw err;
          await new Promise((r) => setTimeout(r, backoffMs * 2 ** n));
        }
      }
    },
  };
}
