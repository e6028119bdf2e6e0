import { describe, expect, it } from 'vitest';
import { AuthSession, needsRefresh, type RefreshOutcome } from './session.ts';
import { testToken } from './test-tokens.ts';
import type { StoredTokens } from './token-store.ts';

const NOW = 1_800_000_000_000;
const HUB = 'http://127.0.0.1:9';

/** A lock that really serializes, like navigator.locks within one origin. */
function createLocks() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(name) ?? Promise.resolve();
    const next = previous.then(work, work);
    tails.set(
      name,
      next.catch(() => {}),
    );
    return next;
  };
}

function setup(initial: StoredTokens | null, outcomes: RefreshOutcome[] = []) {
  let stored = initial;
  const presented: string[] = [];
  const requests: string[] = [];
  const withLock = createLocks();
  const options = {
    store: {
      get: async () => stored,
      set: async (tokens: StoredTokens) => {
        stored = tokens;
      },
    },
    refresh: async (_hub: string, tokens: StoredTokens): Promise<RefreshOutcome> => {
      presented.push(tokens.refreshToken ?? '');
      return outcomes.shift() ?? { ok: false, code: 'invalid_grant' };
    },
    fetch: async (_input: RequestInfo | URL, init?: RequestInit) => {
      const auth = new Headers(init?.headers).get('authorization') ?? '';
      requests.push(auth);
      return new Response('{}', { status: auth === `Bearer ${fresh.accessToken}` ? 200 : 401 });
    },
    now: () => NOW,
    withLock,
  };
  // Two sessions sharing one store and lock: two tabs.
  return {
    first: new AuthSession(options),
    second: new AuthSession(options),
    stored: () => stored,
    presented,
    requests,
  };
}

const old: StoredTokens = {
  accessToken: testToken({ jti: 'old' }, NOW - 3_600_000),
  refreshToken: 'r1',
  expiresAt: NOW - 1000,
};
const fresh: StoredTokens = {
  accessToken: testToken({ jti: 'new' }, NOW),
  refreshToken: 'r2',
  expiresAt: NOW + 3_600_000,
};

describe('needsRefresh', () => {
  it('is true within a minute of expiry, or half the lifetime of a short token', () => {
    const long = { accessToken: testToken({}, NOW), refreshToken: 'r', expiresAt: NOW + 3_600_000 };
    expect(needsRefresh(long, NOW)).toBe(false);
    expect(needsRefresh(long, NOW + 3_540_000)).toBe(true);

    const iat = Math.floor(NOW / 1000);
    const short = { accessToken: testToken({ iat, exp: iat + 20 }), refreshToken: 'r' };
    expect(needsRefresh(short, NOW + 9_000)).toBe(false);
    expect(needsRefresh(short, NOW + 10_000)).toBe(true);
  });

  it('is false without a refresh token: nothing to refresh with', () => {
    expect(needsRefresh({ accessToken: old.accessToken, expiresAt: NOW - 1 }, NOW)).toBe(false);
  });
});

describe('AuthSession', () => {
  it('hands out the stored token while it is fresh', async () => {
    const session = setup(fresh);
    expect(await session.first.accessToken(HUB)).toBe(fresh.accessToken);
    expect(session.presented).toEqual([]);
  });

  it('refreshes an expiring token and stores the new pair before returning it', async () => {
    const session = setup(old, [{ ok: true, tokens: fresh }]);
    expect(await session.first.accessToken(HUB)).toBe(fresh.accessToken);
    expect(session.stored()).toEqual(fresh);
  });

  it('two tabs refreshing at once present the refresh token once', async () => {
    const session = setup(old, [{ ok: true, tokens: fresh }]);
    const tokens = await Promise.all([
      session.first.accessToken(HUB),
      session.second.accessToken(HUB),
    ]);
    expect(tokens).toEqual([fresh.accessToken, fresh.accessToken]);
    expect(session.presented).toEqual(['r1']);
  });

  it('a 401 refreshes once and retries with the new token', async () => {
    const session = setup(old, [{ ok: true, tokens: fresh }]);
    const response = await session.first.fetch(`${HUB}/sync/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${old.accessToken}` },
    });
    expect(response.status).toBe(200);
    expect(session.requests).toEqual([`Bearer ${old.accessToken}`, `Bearer ${fresh.accessToken}`]);
  });

  it('a 401 without a bearer token is passed on: signed out', async () => {
    const session = setup(null);
    const response = await session.first.fetch(`${HUB}/sync/push`, { method: 'POST' });
    expect(response.status).toBe(401);
    expect(session.presented).toEqual([]);
  });

  it('a refused refresh drops the dead refresh token and keeps the rest', async () => {
    const session = setup(old, [{ ok: false, code: 'invalid_grant' }]);
    expect(await session.first.accessToken(HUB)).toBe(old.accessToken);
    expect(session.stored()).toEqual({ accessToken: old.accessToken, expiresAt: old.expiresAt });
    expect(await session.first.accessToken(HUB)).toBe(old.accessToken);
    expect(session.presented).toEqual(['r1']);
  });

  it('an unreachable relay keeps the refresh token for the next try', async () => {
    const session = setup(old, [{ ok: false, code: 'hub_unreachable' }]);
    expect(await session.first.accessToken(HUB)).toBe(old.accessToken);
    expect(session.stored()).toEqual(old);
  });
});
