// The console's one way to the engine's API: same origin, the session cookie, and the session's CSRF token on
// every state-changing request (the API refuses them without it).

/** A refusal or failure the API answered with: its stable code, its message, and the field it names, if any. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let signedOut: () => void = () => undefined;

/** The session's CSRF token, from signing in or from GET /v1/session. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** What to do when the API no longer knows the session (it ended, or was signed out elsewhere). */
export function whenSignedOut(handler: () => void): void {
  signedOut = handler;
}

export function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body === undefined ? undefined : ['application/json', JSON.stringify(body)]);
}

/** A file sent as it is (a bank file: the API detects its format from the content). */
export function upload<T>(path: string, file: Blob): Promise<T> {
  return send<T>('POST', path, ['application/octet-stream', file]);
}

async function send<T>(method: string, path: string, body?: [contentType: string, data: BodyInit]): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body) headers['content-type'] = body[0];
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body ? { body: body[1] } : {}),
  });
  if (response.status === 204) return undefined as T;
  const json = (await response.json().catch(() => undefined)) as
    { error?: { code: string; message: string; field?: string } } | undefined;
  if (!response.ok) {
    const error = json?.error;
    if (response.status === 401 && path !== '/v1/session') signedOut();
    throw new ApiFailure(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? response.statusText,
      error?.field,
    );
  }
  return json as T;
}

/** A query string of the set values only. */
export function query(params: Record<string, string | number | undefined>): string {
  const set = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '');
  return set.length ? `?${new URLSearchParams(set.map(([k, v]) => [k, String(v)])).toString()}` : '';
}
