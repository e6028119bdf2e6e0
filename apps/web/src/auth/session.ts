/**
 * Staying signed in: hands sync a usable access token, refreshing it shortly
 * before it expires and again after any 401, through the hub's relay.
 *
 * Refresh tokens rotate, and the provider revokes the whole login when a
 * rotated-away one is presented again. So every refresh in every tab and
 * worker of the origin runs under one Web Lock, re-reads the stored pair
 * inside it (another tab may have refreshed while we waited), and stores the
 * new pair before anything uses it. A refresh the issuer refuses leaves the
 * access token in place without its dead refresh token: sync then reports
 * "sign-in needed" instead of retrying a token that can only fail.
 */
import { decodeJwt } from 'jose';
import type { AuthFailure } from './hub-auth.ts';
import type { StoredTokens } from './token-store.ts';

export const REFRESH_LOCK = 'heph-auth-refresh';
/** Refresh this long before expiry at most; short-lived tokens get half their lifetime. */
export const REFRESH_MARGIN_MS = 60_000;

export interface SessionStore {
  get(): Promise<StoredTokens | null>;
  set(tokens: StoredTokens): Promise<void>;
}

export type RefreshOutcome = { ok: true; tokens: StoredTokens } | AuthFailure;

export interface AuthSessionOptions {
  store: SessionStore;
  /** Redeems the stored refresh token at the hub's relay. */
  refresh: (hubUrl: string, tokens: StoredTokens) => Promise<RefreshOutcome>;
  fetch: typeof fetch;
  now: () => number;
  /** Runs `work` holding the named lock across tabs (navigator.locks in the browser). */
  withLock: <T>(name: string, work: () => Promise<T>) => Promise<T>;
  log?: (message: string, data?: Record<string, unknown>) => void;
}

export class AuthSession {
  readonly #options: AuthSessionOptions;

  constructor(options: AuthSessionOptions) {
    this.#options = options;
  }

  /** The token for a request to `hubUrl`, refreshed first when it is about to expire. */
  async accessToken(hubUrl: string): Promise<string | null> {
    const tokens = await this.#options.store.get();
    if (!tokens) return null;
    if (!needsRefresh(tokens, this.#options.now())) return tokens.accessToken;
    return (await this.refresh(hubUrl, tokens.accessToken)) ?? tokens.accessToken;
  }

  /**
   * Replaces `staleAccessToken` with a fresh one and returns it; returns the
   * stored token at once when another tab already replaced it, and null when
   * no refresh is possible.
   */
  refresh(hubUrl: string, staleAccessToken: string): Promise<string | null> {
    return this.#options.withLock(REFRESH_LOCK, async () => {
      const current = await this.#options.store.get();
      if (!current) return null;
      if (current.accessToken !== staleAccessToken) return current.accessToken;
      if (!current.refreshToken) return null;

      const outcome = await this.#options.refresh(hubUrl, current);
      if (outcome.ok) {
        await this.#options.store.set(outcome.tokens);
        this.#options.log?.('tokens refreshed');
        return outcome.tokens.accessToken;
      }
      this.#options.log?.('refresh failed', { code: outcome.code });
      if (outcome.code === 'invalid_grant') {
        const { refreshToken: _dead, ...rest } = current;
        await this.#options.store.set(rest);
      }
      return null;
    });
  }

  /**
   * `fetch` for hub requests: a 401 to a request that carried a bearer token
   * triggers one refresh and one retry with the new token.
   */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const response = await this.#options.fetch(input, init);
    if (response.status !== 401) return response;

    const used = bearerOf(init);
    if (!used) return response;
    const url = new URL(input instanceof Request ? input.url : String(input));
    const fresh = await this.refresh(url.origin, used);
    if (!fresh || fresh === used) return response;

    await response.body?.cancel();
    return this.#options.fetch(input, withBearer(init, fresh));
  };
}

/** True when the access token expires within the refresh margin. */
export function needsRefresh(tokens: StoredTokens, now: number): boolean {
  if (!tokens.refreshToken) return false;
  const expiresAt = tokens.expiresAt ?? claimMs(tokens.accessToken, 'exp');
  if (expiresAt === undefined) return false;
  const issuedAt = claimMs(tokens.accessToken, 'iat');
  const lifetime = issuedAt === undefined ? Number.POSITIVE_INFINITY : expiresAt - issuedAt;
  const margin = Math.min(REFRESH_MARGIN_MS, lifetime / 2);
  return now >= expiresAt - margin;
}

function claimMs(accessToken: string, claim: 'exp' | 'iat'): number | undefined {
  try {
    const value = decodeJwt(accessToken)[claim];
    return typeof value === 'number' ? value * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function bearerOf(init: RequestInit | undefined): string | null {
  const value = new Headers(init?.headers).get('authorization');
  const match = value?.match(/^Bearer (.+)$/);
  return match?.[1] ?? null;
}

function withBearer(init: RequestInit | undefined, token: string): RequestInit {
  const headers = new Headers(init?.headers);
  headers.set('authorization', `Bearer ${token}`);
  return { ...init, headers };
}
