import { describe, expect, it } from 'vitest';
import { HubAuth } from './hub-auth.ts';
import { TokenRefusal } from './pasted-token.ts';
import { AUDIENCE, ISSUER, testToken } from './test-tokens.ts';

const HUB = 'http://127.0.0.1:9';
const NOW = 1_800_000_000_000;
const CONFIG = { issuer: ISSUER, clientId: AUDIENCE, audience: AUDIENCE, authRequired: true };

type Route = (body: URLSearchParams | unknown, init: RequestInit) => Response | Promise<Response>;

/** A hub whose routes answer canned responses; records what reached each path. */
function fakeHub(routes: Record<string, Route>) {
  const seen: Array<{ path: string; body: string }> = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = typeof init.body === 'string' ? init.body : String(init.body ?? '');
    seen.push({ path: url.pathname, body });
    if (url.pathname === '/config' && !routes['/config']) return json(200, CONFIG);
    const route = routes[url.pathname];
    if (!route) return json(404, { error: { code: 'not_found' } });
    return route(new URLSearchParams(body), init);
  };
  return {
    auth: new HubAuth({ hubUrl: HUB, fetch: fetch as typeof globalThis.fetch, now: () => NOW }),
    seen,
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

const deviceAnswer = {
  device_code: 'dc+#1',
  user_code: 'ABCD-EFGH',
  verification_uri: 'http://127.0.0.1:9/device',
  verification_uri_complete: 'http://127.0.0.1:9/device?user_code=ABCD-EFGH',
  expires_in: 600,
};

describe('HubAuth.startDeviceLogin', () => {
  it('asks the relay for a code and defaults the interval to 5 s', async () => {
    const { auth, seen } = fakeHub({ '/auth/device': () => json(200, deviceAnswer) });
    expect(await auth.startDeviceLogin()).toEqual({
      deviceCode: 'dc+#1',
      userCode: 'ABCD-EFGH',
      verificationUri: deviceAnswer.verification_uri,
      verificationUriComplete: deviceAnswer.verification_uri_complete,
      expiresAt: NOW + 600_000,
      intervalMs: 5_000,
    });
    expect(seen.find((entry) => entry.path === '/auth/device')?.body).toContain(
      'scope=openid+offline_access',
    );
  });

  it.each([
    [404, { error: { code: 'device_flow_unavailable', message: 'x' } }, 'device_flow_unavailable'],
    [502, { error: { code: 'issuer_unreachable', message: 'x' } }, 'issuer_unreachable'],
    [404, { error: 'auth_disabled', error_description: 'x' }, 'auth_disabled'],
  ])('tells the relay’s %i %j as %s', async (status, body, code) => {
    const { auth } = fakeHub({ '/auth/device': () => json(status, body) });
    expect(await auth.startDeviceLogin()).toMatchObject({ ok: false, code });
  });

  it('a hub that runs without sign-in is auth_disabled before asking the relay', async () => {
    const { auth, seen } = fakeHub({
      '/config': () => json(200, { ...CONFIG, issuer: null, authRequired: false }),
    });
    expect(await auth.startDeviceLogin()).toMatchObject({ ok: false, code: 'auth_disabled' });
    expect(seen.map((entry) => entry.path)).toEqual(['/config']);
  });

  it('an unreachable hub is hub_unreachable', async () => {
    const auth = new HubAuth({
      hubUrl: HUB,
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    expect(await auth.startDeviceLogin()).toMatchObject({ ok: false, code: 'hub_unreachable' });
  });
});

describe('HubAuth.pollDeviceLogin', () => {
  it.each(['authorization_pending', 'slow_down', 'expired_token', 'access_denied'])(
    'passes the issuer’s %s on as its code',
    async (error) => {
      const { auth } = fakeHub({ '/auth/token': () => json(400, { error }) });
      expect(await auth.pollDeviceLogin('dc')).toMatchObject({ ok: false, code: error });
    },
  );

  it('sends the device code form-encoded, byte for byte', async () => {
    const { auth, seen } = fakeHub({
      '/auth/token': () => json(400, { error: 'authorization_pending' }),
    });
    await auth.pollDeviceLogin(`a+b#c'"&d`);
    const sent = new URLSearchParams(seen.find((entry) => entry.path === '/auth/token')?.body);
    expect(sent.get('device_code')).toBe(`a+b#c'"&d`);
    expect(sent.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:device_code');
  });

  it('turns granted tokens into the stored pair with its expiry and issuer', async () => {
    const accessToken = testToken({}, NOW);
    const { auth } = fakeHub({
      '/auth/token': () =>
        json(200, {
          access_token: accessToken,
          refresh_token: 'r1',
          token_type: 'Bearer',
          expires_in: 300,
        }),
    });
    expect(await auth.pollDeviceLogin('dc')).toEqual({
      ok: true,
      tokens: { accessToken, refreshToken: 'r1', expiresAt: NOW + 300_000, issuer: ISSUER },
    });
  });
});

describe('HubAuth.refresh', () => {
  it('keeps the old refresh token when the issuer sends no new one', async () => {
    const accessToken = testToken({}, NOW);
    const { auth, seen } = fakeHub({
      '/auth/token': () => json(200, { access_token: accessToken, token_type: 'bearer' }),
    });
    const outcome = await auth.refresh({ accessToken: 'old', refreshToken: 'r1' });
    expect(outcome).toMatchObject({ ok: true, tokens: { accessToken, refreshToken: 'r1' } });
    const sent = new URLSearchParams(seen.find((entry) => entry.path === '/auth/token')?.body);
    expect(sent.get('grant_type')).toBe('refresh_token');
    expect(sent.get('refresh_token')).toBe('r1');
  });

  it('a refused refresh token is invalid_grant', async () => {
    const { auth } = fakeHub({ '/auth/token': () => json(400, { error: 'invalid_grant' }) });
    expect(await auth.refresh({ accessToken: 'old', refreshToken: 'r1' })).toMatchObject({
      ok: false,
      code: 'invalid_grant',
    });
  });
});

describe('HubAuth.checkAccessToken', () => {
  async function refusalOf(run: Promise<unknown>): Promise<TokenRefusal> {
    const error = await run.then(
      () => null,
      (caught: unknown) => caught,
    );
    if (!(error instanceof TokenRefusal)) throw new Error(`expected a TokenRefusal, got ${error}`);
    return error;
  }

  it('passes a token the hub accepts and names its subject', async () => {
    const { auth, seen } = fakeHub({ '/sync/pull': () => json(200, { hubId: 'h', hubTime: 1 }) });
    expect(await auth.checkAccessToken(testToken({}, NOW))).toEqual({ subject: 'owner' });
    expect(seen.some((entry) => entry.path === '/sync/pull')).toBe(true);
  });

  it('refuses a wrong audience locally, without asking the hub', async () => {
    const { auth, seen } = fakeHub({});
    const error = await refusalOf(auth.checkAccessToken(testToken({ aud: 'other' }, NOW)));
    expect(error.problem).toBe('wrong_audience');
    expect(seen.some((entry) => entry.path === '/sync/pull')).toBe(false);
  });

  it('names the hub’s 401 reason', async () => {
    const { auth } = fakeHub({
      '/sync/pull': () =>
        json(401, { error: { code: 'unauthorized', data: { reason: 'bad_signature' } } }),
    });
    const error = await refusalOf(auth.checkAccessToken(testToken({}, NOW)));
    expect(error.problem).toBe('rejected');
    expect(error.data).toEqual({ reason: 'bad_signature' });
  });

  it('a 403 is forbidden: this account is not allowed on this hub', async () => {
    const { auth } = fakeHub({ '/sync/pull': () => json(403, { error: { code: 'forbidden' } }) });
    const error = await refusalOf(auth.checkAccessToken(testToken({}, NOW)));
    expect(error.problem).toBe('forbidden');
    expect(error.message).toContain('not allowed on this hub');
  });
});

describe('HubAuth.checkPastedTokens', () => {
  const expired = testToken({ exp: Math.floor(NOW / 1000) - 3600 }, NOW - 7_200_000);

  it('refreshes an expired pasted token that came with a refresh token', async () => {
    const fresh = testToken({}, NOW);
    const { auth } = fakeHub({
      '/auth/token': () =>
        json(200, { access_token: fresh, refresh_token: 'r2', token_type: 'bearer' }),
      '/sync/pull': () => json(200, { hubId: 'h', hubTime: 1 }),
    });
    const checked = await auth.checkPastedTokens({ accessToken: expired, refreshToken: 'r1' });
    expect(checked).toMatchObject({
      subject: 'owner',
      tokens: { accessToken: fresh, refreshToken: 'r2' },
    });
  });

  it('still calls it expired when the refresh is refused, or there is none', async () => {
    const { auth } = fakeHub({ '/auth/token': () => json(400, { error: 'invalid_grant' }) });
    for (const tokens of [{ accessToken: expired, refreshToken: 'r1' }, { accessToken: expired }]) {
      const error = await auth.checkPastedTokens(tokens).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TokenRefusal);
      expect((error as TokenRefusal).problem).toBe('expired');
    }
  });
});
