/**
 * React bindings for the client: a context, the spoke status, and live
 * queries that re-run whenever any tab or a sync changes data.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import type { SpokeStatus } from '../worker/protocol.ts';
import type { HephClient } from './heph-client.ts';

export const HephClientContext = createContext<HephClient | null>(null);

export function useHephClient(): HephClient {
  const client = useContext(HephClientContext);
  if (!client) throw new Error('useHephClient needs a HephClientContext provider');
  return client;
}

export function useSpokeStatus(): SpokeStatus | null {
  const client = useHephClient();
  const [status, setStatus] = useState<SpokeStatus | null>(client.status);
  useEffect(() => client.onStatus(setStatus), [client]);
  return status;
}

export interface LiveQuery<T> {
  data: T | undefined;
  error: Error | null;
  /** True while `data` is the saved picture given as `initial`, not yet a live answer. */
  saved?: boolean;
}

/**
 * Runs `load` now and after every change event. `deps` works as in
 * useEffect. Loads never overlap, so a slow answer never overwrites a newer one.
 * `initial` may give saved data to show until the first answer arrives.
 */
export function useLiveQuery<T>(
  load: (client: HephClient) => Promise<T>,
  deps: readonly unknown[],
  initial?: (client: HephClient) => T | undefined,
): LiveQuery<T> {
  const client = useHephClient();
  const [state, setState] = useState<LiveQuery<T>>(() => {
    const data = initial?.(client);
    return data === undefined ? { data, error: null } : { data, error: null, saved: true };
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's
  useEffect(() => {
    let active = true;
    let loading = false;
    let again = false;
    // A burst of changes (a sync applying page after page) must not queue a
    // load per change: one runs at a time, and one more after it if needed.
    const run = () => {
      if (loading) {
        again = true;
        return;
      }
      loading = true;
      again = false;
      load(client)
        .then(
          (data) => active && setState({ data, error: null }),
          (error: Error) => active && setState((old) => ({ ...old, error })),
        )
        .finally(() => {
          loading = false;
          if (again && active) run();
        });
    };
    run();
    const unsubscribe = client.subscribe(run);
    return () => {
      active = false;
      unsubscribe();
    };
  }, [client, ...deps]);

  return state;
}
