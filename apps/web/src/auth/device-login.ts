/**
 * One device-code login from start to stored tokens, as a sequence of states
 * the sign-in screen renders. It polls at the provider's interval (5 s when
 * it names none), adds 5 s on each `slow_down` (RFC 8628 3.5), gives up when
 * the code's lifetime is over, and checks the new access token against the
 * hub before storing it, so an account the hub does not allow is told so
 * here rather than by a failing sync later.
 *
 * Time and waiting are injected: tests run a whole login without a clock.
 */
import type { AuthFailureCode, DeviceAuthorization, DevicePoll } from './hub-auth.ts';
import { TokenRefusal } from './pasted-token.ts';
import type { StoredTokens } from './token-store.ts';

export const SLOW_DOWN_STEP_MS = 5_000;

export type DeviceLoginFailure = AuthFailureCode | 'forbidden' | 'rejected';

export type DeviceLoginState =
  | { step: 'starting' }
  | ({ step: 'waiting' } & Omit<DeviceAuthorization, 'deviceCode'>)
  | { step: 'checking' }
  | { step: 'signed-in'; subject: string }
  | { step: 'failed'; failure: DeviceLoginFailure; message?: string };

/** What the login needs from the hub (HubAuth in the app, a fake in tests). */
export interface DeviceLoginHub {
  startDeviceLogin(): Promise<DeviceAuthorization | { ok: false; code: AuthFailureCode }>;
  pollDeviceLogin(deviceCode: string): Promise<DevicePoll>;
  checkAccessToken(accessToken: string): Promise<{ subject: string }>;
}

export interface DeviceLoginOptions {
  hub: DeviceLoginHub;
  save: (tokens: StoredTokens) => Promise<void>;
  onState: (state: DeviceLoginState) => void;
  now: () => number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  wait: (ms: number, signal: AbortSignal) => Promise<void>;
  signal: AbortSignal;
}

/** Runs until signed in, failed or aborted; resolves with the final state. */
export async function runDeviceLogin(options: DeviceLoginOptions): Promise<DeviceLoginState> {
  const { hub, signal } = options;
  const report = (state: DeviceLoginState) => {
    if (!signal.aborted) options.onState(state);
    return state;
  };

  report({ step: 'starting' });
  const authorization = await hub.startDeviceLogin();
  if ('ok' in authorization) return report({ step: 'failed', failure: authorization.code });
  const { deviceCode, ...shown } = authorization;
  report({ step: 'waiting', ...shown });

  const tokens = await pollUntilDone(options, authorization);
  if (signal.aborted) return { step: 'failed', failure: 'expired_token' };
  if ('failure' in tokens) return report({ step: 'failed', failure: tokens.failure });

  report({ step: 'checking' });
  try {
    const { subject } = await hub.checkAccessToken(tokens.accessToken);
    await options.save(tokens);
    return report({ step: 'signed-in', subject });
  } catch (error) {
    if (!(error instanceof TokenRefusal)) throw error;
    const failure = error.problem === 'forbidden' ? 'forbidden' : 'rejected';
    return report({ step: 'failed', failure, message: error.message });
  }
}

async function pollUntilDone(
  options: DeviceLoginOptions,
  authorization: DeviceAuthorization,
): Promise<StoredTokens | { failure: DeviceLoginFailure }> {
  const { hub, signal, now } = options;
  let intervalMs = authorization.intervalMs;

  for (;;) {
    await options.wait(intervalMs, signal);
    if (signal.aborted) return { failure: 'expired_token' };
    if (now() >= authorization.expiresAt) return { failure: 'expired_token' };

    const poll = await hub.pollDeviceLogin(authorization.deviceCode);
    if (poll.ok) return poll.tokens;
    if (poll.code === 'authorization_pending') continue;
    if (poll.code === 'slow_down') {
      intervalMs += SLOW_DOWN_STEP_MS;
      continue;
    }
    return { failure: poll.code };
  }
}

/** A wait that ends early on abort; the app's choice of `wait`. */
export function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
