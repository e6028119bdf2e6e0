/**
 * Retry delays after a failed sync: exponential, capped, with "equal
 * jitter" (half fixed, half random) so that many spokes coming back online
 * after a hub outage do not all knock at the same moment.
 */

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Uniform in [0, 1). Injected so tests are repeatable. */
  random: () => number;
}

export const DEFAULT_BACKOFF = { baseMs: 1_000, maxMs: 5 * 60_000 };

/** The delay before retry number `attempt` (1 for the first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * options.random());
}
