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
}

/**
 * Runs `load` now and after every change event. `deps` works as in
 * useEffect. A slow answer never overwrites a newer one.
 */
export function useLiveQuery<T>(
  load: (client: HephClient) => Promise<T>,
  deps: readonly unknown[],
): LiveQuery<T> {
  const client = useHephClient();
  const [state, setState] = useState<LiveQuery<T>>({ data: undefined, error: null });

  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's
  useEffect(() => {
    let latest = 0;
    let active = true;
    const run = () => {
      const ticket = ++latest;
      load(client).then(
        (data) => active && ticket === latest && setState({ data, error: null }),
        (error: Error) => active && ticket === latest && setState((old) => ({ ...old, error })),
      );
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
