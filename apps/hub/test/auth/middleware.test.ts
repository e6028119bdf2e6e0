import { startTestIssuer, type TestIssuer } from '@heph/test-issuer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authConfig, bearer, createGuardedApp, createMemoryLogger, errorOf } from './fixtures.ts';

// A pinned clock for the tokens this file signs; device-login tokens use the issuer's clock.
const now = 1_800_000_000;
const pinned = { now: () => now * 1000 };

// A real issuer does real RSA and HTTP work; leave room for a loaded machine.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startTestIssuer();
});

afterAll(async () => {
  await issuer.stop();
});

function pinnedApp(overrides = {}) {
  return createGuardedApp(authConfig(issuer.issuer, overrides), pinned);
}

async function refusal(token: string, app = pinnedApp()) {
  const response = await app.request('/rpc', bearer(token));
  return {
    ...(await errorOf(response)),
    challenge: response.headers.get('www-authenticate'),
  };
}

describe('[AUTH-1] a valid token passes', () => {
  it('lets a device-login access token in and sets the subject', async () => {
    const tokens = await issuer.deviceLogin('owner');
    const app = createGuardedApp(authConfig(issuer.issuer));

    const response = await app.request('/rpc', bearer(tokens.access_token));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ subject: 'owner' });
  });

  it('accepts a signed token with the audience among several', async () => {
    const token = await issuer.signToken({ aud: ['other', 'heph'], sub: 'x' }, { now });
    const response = await pinnedApp().request('/rpc', bearer(token));
    expect(await response.json()).toEqual({ subject: 'x' });
  });
});

describe('[AUTH-2] missing and malformed tokens', () => {
  it('refuses a request without a token with invalid_request', async () => {
    const response = await pinnedApp().request('/rpc', { method: 'POST' });
    expect(await errorOf(response)).toMatchObject({
      status: 401,
      code: 'unauthorized',
      data: { reason: 'missing_token' },
    });
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="heph", error="invalid_request", error_description="a bearer token is required"',
    );
  });

  it('treats another scheme as no bearer token', async () => {
    const init = { method: 'POST', headers: { authorization: 'Basic b3duZXI6cHc=' } };
    const response = await pinnedApp().request('/rpc', init);
    expect(await errorOf(response)).toMatchObject({ data: { reason: 'missing_token' } });
  });

  it.each([
    ['not a JWT', 'not-a-jwt'],
    ['two tokens', 'a.b.c d.e.f'],
    ['an empty value', ''],
    ['bad base64 in the header', '%%%.e30.sig'],
    ['a header that is not JSON', 'bm90IGpzb24.e30.c2ln'],
  ])('refuses %s as malformed_token', async (_label, value) => {
    const init = { method: 'POST', headers: { authorization: `Bearer ${value}` } };
    const response = await pinnedApp().request('/rpc', init);
    expect(await errorOf(response)).toMatchObject({
      status: 401,
      data: { reason: 'malformed_token' },
    });
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});

describe('[AUTH-3] expiry, with 30 s of tolerance', () => {
  it('refuses a token expired for longer than the tolerance', async () => {
    const token = await issuer.signToken({ iat: now - 3600, exp: now - 31 }, { now });
    expect(await refusal(token)).toMatchObject({
      status: 401,
      data: { reason: 'expired' },
      challenge: expect.stringContaining('error="invalid_token"'),
    });
  });

  it('lets a token expired within the tolerance pass', async () => {
    const token = await issuer.signToken({ iat: now - 3600, exp: now - 29 }, { now });
    const response = await pinnedApp().request('/rpc', bearer(token));
    expect(response.status).toBe(200);
  });

  it('refuses a token not valid yet', async () => {
    const token = await issuer.signToken({ nbf: now + 120 }, { now });
    expect(await refusal(token)).toMatchObject({ data: { reason: 'not_yet_valid' } });
  });
});

describe('[AUTH-4] audience', () => {
  it('refuses a token for another audience', async () => {
    const token = await issuer.signToken({ aud: 'another-app' }, { now });
    expect(await refusal(token)).toMatchObject({ status: 401, data: { reason: 'wrong_audience' } });
  });

  it('refuses a real token from an issuer whose client has another audience', async () => {
    const other = await startTestIssuer({ audience: 'not-heph' });
    try {
      const tokens = await other.deviceLogin('owner');
      const app = createGuardedApp(authConfig(other.issuer));
      const response = await app.request('/rpc', bearer(tokens.access_token));
      expect(await errorOf(response)).toMatchObject({ data: { reason: 'wrong_audience' } });
    } finally {
      await other.stop();
    }
  });
});

describe('[AUTH-5] issuer, exactly', () => {
  it('refuses a token naming another issuer', async () => {
    const token = await issuer.signToken(
      { iss: 'https://auth.example/application/o/heph/' },
      { now },
    );
    expect(await refusal(token)).toMatchObject({ status: 401, data: { reason: 'wrong_issuer' } });
  });

  it('refuses the same issuer without its trailing slash', async () => {
    const token = await issuer.signToken({ iss: issuer.issuer.slice(0, -1) }, { now });
    expect(await refusal(token)).toMatchObject({ status: 401, data: { reason: 'wrong_issuer' } });
  });

  it('answers 503 issuer_mismatch when configured without the trailing slash', async () => {
    const app = createGuardedApp(authConfig(issuer.issuer.slice(0, -1)), pinned);
    const token = await issuer.signToken({}, { now });

    const response = await app.request('/rpc', bearer(token));
    expect(await errorOf(response)).toMatchObject({
      status: 503,
      code: 'issuer_mismatch',
      data: { reason: 'issuer_mismatch' },
    });
  });
});

describe('[AUTH-6] asymmetric algorithms only', () => {
  it('refuses HS256, even under the issuer kid', async () => {
    const token = await issuer.signToken({}, { key: 'hs256', now });
    expect(await refusal(token)).toMatchObject({
      status: 401,
      data: { reason: 'unsupported_alg' },
    });
  });

  it('refuses an unsigned token', async () => {
    const token = await issuer.signToken({}, { key: 'none', now });
    expect(await refusal(token)).toMatchObject({
      status: 401,
      data: { reason: 'unsupported_alg' },
    });
  });
});

describe('[AUTH-7] keys and signatures', () => {
  it('refuses a token signed under an unknown key id', async () => {
    const token = await issuer.signToken({}, { key: 'unknown-kid', now });
    expect(await refusal(token)).toMatchObject({ status: 401, data: { reason: 'unknown_key' } });
  });

  it('refuses a token signed by another key under the issuer kid', async () => {
    const token = await issuer.signToken({}, { key: 'forged', now });
    expect(await refusal(token)).toMatchObject({ status: 401, data: { reason: 'bad_signature' } });
  });

  it('refuses a token without a subject', async () => {
    const token = await issuer.signToken({ sub: undefined }, { now });
    expect(await refusal(token)).toMatchObject({ status: 401, data: { reason: 'invalid_claims' } });
  });
});

describe('[AUTH-8] authorized subjects', () => {
  it('forbids a subject that is not listed', async () => {
    const token = await issuer.signToken({ sub: 'mallory' }, { now });
    const app = pinnedApp({ authorizedSubs: ['owner', 'partner'] });

    const response = await app.request('/rpc', bearer(token));
    expect(await errorOf(response)).toEqual({
      status: 403,
      code: 'forbidden',
      message: 'this account is not allowed on this hub',
      data: { sub: 'mallory' },
    });
  });

  it('lets a listed subject in', async () => {
    const tokens = await issuer.deviceLogin('partner');
    const app = createGuardedApp(
      authConfig(issuer.issuer, { authorizedSubs: ['owner', 'partner'] }),
    );

    const response = await app.request('/rpc', bearer(tokens.access_token));
    expect(await response.json()).toEqual({ subject: 'partner' });
  });
});

describe('[AUTH-9] an unreachable issuer', () => {
  it('answers 503 issuer_unreachable, then recovers once the issuer is back', async () => {
    const restarted = await startTestIssuer();
    const port = restarted.port;
    await restarted.stop();

    const app = createGuardedApp(authConfig(`http://127.0.0.1:${port}/`));
    const offline = await app.request('/rpc', bearer('e30.e30.e30'));
    expect(await errorOf(offline)).toMatchObject({
      status: 503,
      code: 'issuer_unreachable',
      data: { reason: 'issuer_unreachable' },
    });
    expect(offline.headers.get('www-authenticate')).toBeNull();

    const back = await startTestIssuer({ port });
    try {
      const tokens = await back.deviceLogin('owner');
      const response = await app.request('/rpc', bearer(tokens.access_token));
      expect(await response.json()).toEqual({ subject: 'owner' });
    } finally {
      await back.stop();
    }
  });

  it('keeps the discovery document and key set once read', async () => {
    const shortLived = await startTestIssuer();
    const app = createGuardedApp(authConfig(shortLived.issuer), pinned);
    const first = await app.request('/rpc', bearer(await shortLived.signToken({}, { now })));
    expect(first.status).toBe(200);

    const later = await shortLived.signToken({ sub: 'later' }, { now });
    await shortLived.stop();
    const response = await app.request('/rpc', bearer(later));
    expect(await response.json()).toEqual({ subject: 'later' });
  });
});

describe('[AUTH-10] no issuer configured', () => {
  it('lets requests through without a subject', async () => {
    const app = createGuardedApp(authConfig(null));
    const response = await app.request('/rpc', { method: 'POST' });
    expect(await response.json()).toEqual({ subject: null });
  });
});

describe('[AUTH-11] tokens stay out of the log', () => {
  it('logs reasons and subjects, never a token', async () => {
    const logger = createMemoryLogger();
    const app = createGuardedApp(authConfig(issuer.issuer, { authorizedSubs: ['owner'] }), {
      ...pinned,
      logger,
    });
    const tokens = [
      await issuer.signToken({ exp: now - 3600 }, { now }),
      await issuer.signToken({ sub: 'mallory' }, { now }),
      await issuer.signToken({}, { key: 'forged', now }),
    ];

    for (const token of tokens) await app.request('/rpc', bearer(token));

    expect(logger.lines.map((line) => line.fields.reason ?? line.fields.sub)).toEqual([
      'expired',
      'mallory',
      'bad_signature',
    ]);
    const logged = JSON.stringify(logger.lines);
    for (const token of tokens) {
      expect(logged).not.toContain(token);
      expect(logged).not.toContain(token.split('.')[2]);
    }
  });
});
