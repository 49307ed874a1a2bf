import { useCallback, useEffect, useState } from 'react';
import { api, ApiFailure } from './api';

export interface Loaded<T> {
  data?: T;
  error?: ApiFailure;
  reload: () => void;
}

/**
 * A GET kept current: fetched now and again every `everyMs` while the page is visible, so queues and figures
 * follow the engine without a reload; nothing while `path` is undefined.
 */
export function usePolled<T>(path: string | undefined, everyMs = 5000): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiFailure }>({});
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  useEffect(() => {
    if (path === undefined) return; // what to ask for depends on an answer still to come
    let live = true;
    const load = () => {
      if (document.hidden) return;
      api<T>('GET', path).then(
        (data) => live && setState({ data }),
        (error: unknown) => live && setState((s) => ({ ...s, error: asFailure(error) })),
      );
    };
    load();
    const timer = setInterval(load, everyMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [path, everyMs, round]);
  return { ...state, reload };
}

export const asFailure = (error: unknown): ApiFailure =>
  error instanceof ApiFailure ? error : new ApiFailure(0, 'NETWORK', (error as Error).message);
