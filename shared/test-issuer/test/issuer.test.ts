import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  approveUserCode,
  startTestIssuer,
  type TestIssuer,
  TestIssuerError,
} from '../src/index.ts';

const deviceCodeGrant = 'urn:ietf:params:oauth:grant-type:device_code';

// A real issuer does real RSA and HTTP work; leave room for a loaded machine.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startTestIssuer({ audience: 'heph-test', clientId: 'heph-cli' });
});

afterAll(async () => {
  await issuer.stop();
});

async function poll(deviceCode: string) {
  const response = await fetch(new URL('token', issuer.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: deviceCodeGrant,
      device_code: deviceCode,
      client_id: issuer.clientId,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('startTestIssuer', () => {
  it('listens on loopback with an issuer ending in a slash', () => {
    expect(issuer.issuer).toBe(`http://127.0.0.1:${issuer.port}/`);
  });

  it('publishes the device endpoint and one RS256 key with a kid', async () => {
    const discoveryUrl = `${issuer.issuer}.well-known/openid-configuration`;
    const discovery = (await (await fetch(discoveryUrl)).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(issuer.issuer);
    expect(discovery.device_authorization_endpoint).toBe(`${issuer.issuer}device/auth`);

    const jwksUrl = discovery.jwks_uri as string;
    const jwks = (await (await fetch(jwksUrl)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: issuer.keyId, alg: 'RS256' })]);
    expect(jwks.keys[0]?.d).toBeUndefined();
  });
});

describe('deviceLogin', () => {
  it('gives a JWT access token for the audience, with sub, and a refresh token', async () => {
    const tokens = await issuer.deviceLogin('alice');

    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({
      alg: 'RS256',
      kid: issuer.keyId,
    });
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      iss: issuer.issuer,
      aud: 'heph-test',
      sub: 'alice',
      client_id: 'heph-cli',
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.id_token).toEqual(expect.any(String));
  });

  it('rotates refresh tokens and refuses a reused one', async () => {
    const first = await issuer.deviceLogin('bob');
    const second = await issuer.refresh(first.refresh_token);

    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token)).toMatchObject({ sub: 'bob', aud: 'heph-test' });

    const reuse = issuer.refresh(first.refresh_token);
    await expect(reuse).rejects.toMatchObject({
      code: 'token_refused',
      data: { status: 400, body: { error: 'invalid_grant' } },
    });
  });
});

describe('device codes started by the test', () => {
  it('stays pending until approved', async () => {
    const authorization = await issuer.startDeviceAuthorization();
    expect(await poll(authorization.device_code)).toMatchObject({
      status: 400,
      body: { error: 'authorization_pending' },
    });

    await issuer.approveUserCode(authorization.user_code, 'carol');
    const answer = await poll(authorization.device_code);
    expect(answer.status).toBe(200);
    expect(decodeJwt(answer.body.access_token as string).sub).toBe('carol');
  });

  it('answers access_denied after denyUserCode', async () => {
    const authorization = await issuer.startDeviceAuthorization();
    await issuer.denyUserCode(authorization.user_code);

    expect(await poll(authorization.device_code)).toMatchObject({
      status: 400,
      body: { error: 'access_denied' },
    });
  });

  it('answers expired_token after expireDeviceCode, and refuses to approve it', async () => {
    const authorization = await issuer.startDeviceAuthorization();
    issuer.expireDeviceCode(authorization.user_code);

    expect(await poll(authorization.device_code)).toMatchObject({
      status: 400,
      body: { error: 'expired_token' },
    });
    const approval = issuer.approveUserCode(authorization.user_code, 'dave');
    await expect(approval).rejects.toBeInstanceOf(TestIssuerError);
    await expect(approval).rejects.toMatchObject({ code: 'user_code_rejected' });
  });

  it('refuses an unknown user code', async () => {
    await expect(issuer.approveUserCode('BCDF-GHJK', 'erin')).rejects.toMatchObject({
      code: 'user_code_rejected',
    });
  });

  it('records what the token endpoint received, decoded', async () => {
    const deviceCode = `a+b#c&d'e"f g`;
    await poll(deviceCode);
    expect(issuer.received.at(-1)).toEqual({
      path: '/token',
      form: { grant_type: deviceCodeGrant, device_code: deviceCode, client_id: 'heph-cli' },
    });
  });
});

describe('signToken', () => {
  const now = 1_800_000_000;

  it('defaults to the claims of a real access token', async () => {
    const token = await issuer.signToken({}, { now });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: issuer.keyId });
    expect(decodeJwt(token)).toMatchObject({
      iss: issuer.issuer,
      aud: 'heph-test',
      sub: 'test-subject',
      iat: now,
      exp: now + 3600,
    });
  });

  it('lets a claim be replaced or dropped', async () => {
    const token = await issuer.signToken({ aud: 'other', sub: undefined }, { now });
    const claims = decodeJwt(token);
    expect(claims.aud).toBe('other');
    expect('sub' in claims).toBe(false);
  });

  it.each([
    ['unknown-kid', 'RS256'],
    ['forged', 'RS256'],
    ['hs256', 'HS256'],
    ['none', 'none'],
  ] as const)('signs with the %s key as %s', async (key, alg) => {
    const header = decodeProtectedHeader(await issuer.signToken({}, { key }));
    expect(header.alg).toBe(alg);
    if (key === 'unknown-kid') expect(header.kid).not.toBe(issuer.keyId);
    if (key === 'forged' || key === 'hs256') expect(header.kid).toBe(issuer.keyId);
  });
});

describe('slowDown', () => {
  it('turns the next pending polls of a code into slow_down, then back', async () => {
    const authorization = await issuer.startDeviceAuthorization();
    issuer.slowDown(authorization.device_code, 2);

    const answers = [];
    for (let attempt = 0; attempt < 3; attempt++)
      answers.push(await poll(authorization.device_code));

    expect(answers.map((answer) => [answer.status, answer.body.error])).toEqual([
      [400, 'slow_down'],
      [400, 'slow_down'],
      [400, 'authorization_pending'],
    ]);
  });
});

describe('pages', () => {
  it('reference no host but the issuer', async () => {
    const authorization = await issuer.startDeviceAuthorization();
    const pages = [
      await (await fetch(new URL('device', issuer.issuer))).text(),
      await (await fetch(authorization.verification_uri_complete)).text(),
    ];
    for (const html of pages) {
      expect(html).toContain('<form');
      expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    }
  });
});

describe('approveUserCode from another process', () => {
  it('needs only the issuer URL', async () => {
    const authorization = await issuer.startDeviceAuthorization();
    await approveUserCode(issuer.issuer, authorization.user_code, 'frank');

    const answer = await poll(authorization.device_code);
    expect(decodeJwt(answer.body.access_token as string).sub).toBe('frank');
  });
});
