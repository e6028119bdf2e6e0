import { startTestIssuer, type TestIssuer } from '@heph/test-issuer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authConfig, bearer, createGuardedApp, errorOf } from './fixtures.ts';

const deviceCodeGrant = 'urn:ietf:params:oauth:grant-type:device_code';

// A real issuer does real RSA and HTTP work; leave room for a loaded machine.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

let issuer: TestIssuer;
let app: ReturnType<typeof createGuardedApp>;

beforeAll(async () => {
  issuer = await startTestIssuer({ audience: 'heph', clientId: 'heph-pwa' });
  app = createGuardedApp(authConfig(issuer.issuer, { clientId: 'heph-pwa' }));
});

afterAll(async () => {
  await issuer.stop();
});

function postJson(path: string, body: unknown) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function postForm(path: string, body: string) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

async function startDevice() {
  const response = await app.request('/auth/device', { method: 'POST' });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, string>;
}

async function answerOf(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const poll = (deviceCode: string) =>
  postJson('/auth/token', { grant_type: deviceCodeGrant, device_code: deviceCode });

describe('[RELAY-1] POST /auth/device', () => {
  it('starts a device authorization with our client id and the fixed scopes', async () => {
    const device = await startDevice();

    expect(device).toMatchObject({
      device_code: expect.any(String),
      user_code: expect.any(String),
      verification_uri: `${issuer.issuer}device`,
      verification_uri_complete: expect.stringContaining(`${issuer.issuer}device?user_code=`),
      expires_in: expect.any(Number),
    });
    expect(issuer.received.at(-1)).toEqual({
      path: '/device/auth',
      form: { client_id: 'heph-pwa', scope: 'openid offline_access' },
    });
  });

  it('ignores scopes and client ids the caller sends', async () => {
    const response = await postForm('/auth/device', 'scope=admin&client_id=evil');
    expect(response.status).toBe(200);
    expect(issuer.received.at(-1)?.form).toEqual({
      client_id: 'heph-pwa',
      scope: 'openid offline_access',
    });
  });
});

describe('[RELAY-2] POST /auth/token', () => {
  it('runs a whole device login: pending, approved, tokens that open the hub', async () => {
    const device = await startDevice();
    const pendingAtIssuer = await fetch(new URL('token', issuer.issuer), {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: deviceCodeGrant,
        device_code: device.device_code as string,
        client_id: 'heph-pwa',
      }),
    });
    const direct = await answerOf(pendingAtIssuer);

    const pending = await poll(device.device_code as string);
    expect(await answerOf(pending)).toEqual(direct);
    expect(direct).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });

    await issuer.approveUserCode(device.user_code as string, 'owner');
    const granted = await answerOf(await poll(device.device_code as string));
    expect(granted).toMatchObject({
      status: 200,
      body: { access_token: expect.any(String), refresh_token: expect.any(String) },
    });

    const hub = await app.request('/rpc', bearer(granted.body.access_token as string));
    expect(await hub.json()).toEqual({ subject: 'owner' });
  });

  it('passes the issuer answer through byte for byte, with no-store', async () => {
    const response = await poll('no-such-code');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe(
      '{"error":"invalid_grant","error_description":"grant request is invalid"}',
    );
  });

  it('refreshes through the relay, and a reused refresh token is refused', async () => {
    const first = await issuer.deviceLogin('owner');

    const refreshed = await answerOf(
      await postForm(
        '/auth/token',
        `grant_type=refresh_token&refresh_token=${first.refresh_token}`,
      ),
    );
    expect(refreshed).toMatchObject({ status: 200, body: { refresh_token: expect.any(String) } });
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    const hub = await app.request('/rpc', bearer(refreshed.body.access_token as string));
    expect(hub.status).toBe(200);

    const reused = await postJson('/auth/token', {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    expect(await answerOf(reused)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('passes slow_down through', async () => {
    const device = await startDevice();
    issuer.slowDown(device.device_code as string);

    const answer = await answerOf(await poll(device.device_code as string));
    expect(answer).toMatchObject({ status: 400, body: { error: 'slow_down' } });
  });

  it('passes expired_token through for an expired device code', async () => {
    const device = await startDevice();
    issuer.expireDeviceCode(device.user_code as string);

    const answer = await answerOf(await poll(device.device_code as string));
    expect(answer).toMatchObject({ status: 400, body: { error: 'expired_token' } });
  });

  it('passes access_denied through for a denied device code', async () => {
    const device = await startDevice();
    await issuer.denyUserCode(device.user_code as string);

    const answer = await answerOf(await poll(device.device_code as string));
    expect(answer).toMatchObject({ status: 400, body: { error: 'access_denied' } });
  });
});

describe('[RELAY-3] parameters reach the issuer byte for byte', () => {
  const awkward = `+#&'"= %2B+`;

  it('forwards a device code from JSON unchanged', async () => {
    const answer = await answerOf(await poll(`code${awkward}end`));

    expect(issuer.received.at(-1)).toEqual({
      path: '/token',
      form: {
        grant_type: deviceCodeGrant,
        device_code: `code${awkward}end`,
        client_id: 'heph-pwa',
      },
    });
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('forwards a device code from a form unchanged', async () => {
    const body = new URLSearchParams({ grant_type: deviceCodeGrant, device_code: awkward });
    await postForm('/auth/token', body.toString());

    expect(issuer.received.at(-1)?.form.device_code).toBe(awkward);
  });

  it('forwards a refresh token unchanged', async () => {
    await postJson('/auth/token', { grant_type: 'refresh_token', refresh_token: awkward });
    expect(issuer.received.at(-1)?.form).toEqual({
      grant_type: 'refresh_token',
      refresh_token: awkward,
      client_id: 'heph-pwa',
    });
  });
});

describe('[RELAY-4] an issuer that is down or has no device flow', () => {
  it('answers 502 issuer_unreachable on both routes', async () => {
    const gone = await startTestIssuer();
    await gone.stop();
    const offline = createGuardedApp(authConfig(gone.issuer));

    const device = await offline.request('/auth/device', { method: 'POST' });
    expect(await errorOf(device)).toMatchObject({ status: 502, code: 'issuer_unreachable' });

    const token = await offline.request('/auth/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'r' }),
    });
    expect(await errorOf(token)).toMatchObject({ status: 502, code: 'issuer_unreachable' });
  });

  it('answers 502 when the issuer stops after discovery', async () => {
    const shortLived = await startTestIssuer();
    const relay = createGuardedApp(authConfig(shortLived.issuer));
    expect((await relay.request('/auth/device', { method: 'POST' })).status).toBe(200);

    await shortLived.stop();
    const response = await relay.request('/auth/device', { method: 'POST' });
    expect(await errorOf(response)).toMatchObject({ status: 502, code: 'issuer_unreachable' });
  });

  it('answers 404 device_flow_unavailable when the issuer offers no device flow', async () => {
    const plain = await startTestIssuer({ deviceFlow: false });
    try {
      const relay = createGuardedApp(authConfig(plain.issuer));
      const response = await relay.request('/auth/device', { method: 'POST' });
      expect(await errorOf(response)).toMatchObject({
        status: 404,
        code: 'device_flow_unavailable',
      });
    } finally {
      await plain.stop();
    }
  });

  it('answers 404 device_flow_unavailable without an issuer', async () => {
    const open = createGuardedApp(authConfig(null));
    const response = await open.request('/auth/device', { method: 'POST' });
    expect(await errorOf(response)).toMatchObject({ status: 404, code: 'device_flow_unavailable' });
  });
});

describe('[RELAY-5] bad input never reaches the issuer', () => {
  it.each([
    ['an unknown grant type', { grant_type: 'password' }, 'unsupported_grant_type'],
    ['no grant type', {}, 'unsupported_grant_type'],
    ['a device grant without a code', { grant_type: deviceCodeGrant }, 'invalid_request'],
    [
      'an empty refresh token',
      { grant_type: 'refresh_token', refresh_token: '' },
      'invalid_request',
    ],
    ['a non-string value', { grant_type: 'refresh_token', refresh_token: 7 }, 'invalid_request'],
  ])('refuses %s', async (_label, body, error) => {
    const before = issuer.received.length;
    const answer = await answerOf(await postJson('/auth/token', body));

    expect(answer).toMatchObject({ status: 400, body: { error } });
    expect(issuer.received.length).toBe(before);
  });

  it('refuses truncated JSON and duplicate form fields', async () => {
    const truncated = await postJson('/auth/token', 'x');
    const raw = await app.request('/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":',
    });
    const duplicated = await postForm(
      '/auth/token',
      'grant_type=refresh_token&refresh_token=a&refresh_token=b',
    );

    for (const response of [truncated, raw, duplicated]) {
      expect(await answerOf(response)).toMatchObject({
        status: 400,
        body: { error: 'invalid_request' },
      });
    }
  });

  it('refuses a body over 16 KiB with 413', async () => {
    const response = await postJson('/auth/token', {
      grant_type: 'refresh_token',
      refresh_token: 'r'.repeat(17 * 1024),
    });
    expect(await errorOf(response)).toMatchObject({ status: 413, code: 'body_too_large' });
  });
});
