/**
 * The device flow's polling, driven by a scripted relay: the intervals the
 * CLI waits (slow_down adds five seconds), the device code sent back byte for
 * byte, and the named failures. The clock and sleep are injected, so the test
 * waits for nothing.
 */
import { describe, expect, it } from 'vitest';
import { deviceLogin, type HubConfig } from '../src/auth.ts';
import type { HttpRequest, HttpResponse, Transport } from '../src/transport.ts';

const HUB = 'http://127.0.0.1:1';
const HUB_CONFIG: HubConfig = {
  issuer: 'http://127.0.0.1:2/',
  clientId: 'heph',
  audience: 'heph',
  authRequired: true,
  hubVersion: '0.1.0',
  protocol: 1,
};
const DEVICE_CODE = `dc+#&'"=`;

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A relay that answers the device request, then the token polls in order. */
function scriptedRelay(polls: HttpResponse[]) {
  const sent: { url: string; request: HttpRequest }[] = [];
  const transport: Transport = {
    async send(url, request) {
      sent.push({ url, request });
      if (url === `${HUB}/auth/device`) {
        return json(200, {
          device_code: DEVICE_CODE,
          user_code: 'WDJB-MJHT',
          verification_uri: 'http://127.0.0.1:2/device',
          verification_uri_complete: 'http://127.0.0.1:2/device?user_code=WDJB-MJHT',
          expires_in: 600,
          interval: 2,
        });
      }
      const next = polls.shift();
      if (!next) throw new Error('polled more often than scripted');
      return next;
    },
  };
  return { transport, sent };
}

function runLogin(transport: Transport) {
  let time = 1_000_000;
  const sleeps: number[] = [];
  const said: string[] = [];
  const login = deviceLogin({
    hubUrl: HUB,
    transport,
    hub: HUB_CONFIG,
    now: () => time,
    sleep: async (ms) => {
      sleeps.push(ms);
      time += ms;
    },
    say: (line) => said.push(line),
  });
  return { login, sleeps, said };
}

const GRANTED = json(200, {
  access_token: 'access-1',
  refresh_token: 'refresh-1',
  token_type: 'Bearer',
  expires_in: 300,
  scope: 'openid offline_access',
});

describe('device login polling', () => {
  it('prints the link and code, waits the interval, and adds five seconds on slow_down', async () => {
    const relay = scriptedRelay([
      json(400, { error: 'authorization_pending' }),
      json(400, { error: 'slow_down' }),
      json(400, { error: 'authorization_pending' }),
      GRANTED,
    ]);
    const { login, sleeps, said } = runLogin(relay.transport);

    const tokens = await login;

    expect(sleeps).toEqual([2000, 2000, 7000, 7000]);
    expect(said[0]).toBe(
      'Open this link to sign in: http://127.0.0.1:2/device?user_code=WDJB-MJHT',
    );
    expect(said[1]).toBe('and check that it shows the code: WDJB-MJHT');
    expect(tokens).toMatchObject({
      access_token: 'access-1',
      refresh_token: 'refresh-1',
      token_type: 'bearer',
      expires_at: 1_000_000 + 18_000 + 300_000,
    });
  });

  it('sends the device code back byte for byte, form-encoded, with the device grant', async () => {
    const relay = scriptedRelay([GRANTED]);
    await runLogin(relay.transport).login;

    const poll = relay.sent.find((entry) => entry.url === `${HUB}/auth/token`);
    const form = new URLSearchParams(poll?.request.body);
    expect(form.get('device_code')).toBe(DEVICE_CODE);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:device_code');
    const device = relay.sent.find((entry) => entry.url === `${HUB}/auth/device`);
    expect(new URLSearchParams(device?.request.body).get('scope')).toBe('openid offline_access');
  });

  it('fails as auth when the code expires or the login is denied', async () => {
    for (const error of ['expired_token', 'access_denied']) {
      const relay = scriptedRelay([json(400, { error })]);
      await expect(runLogin(relay.transport).login).rejects.toMatchObject({
        code: 'auth',
        data: { error },
      });
    }
  });

  it('names a relay that cannot reach its issuer', async () => {
    const relay = scriptedRelay([
      json(502, {
        error: { code: 'issuer_unreachable', message: 'the hub cannot reach the issuer' },
      }),
    ]);
    await expect(runLogin(relay.transport).login).rejects.toMatchObject({
      code: 'auth',
      data: { error: 'issuer_unreachable' },
    });
  });

  it('gives up when the code outlives its lifetime while still pending', async () => {
    const pending = Array.from({ length: 400 }, () =>
      json(400, { error: 'authorization_pending' }),
    );
    const relay = scriptedRelay(pending);
    const { login, sleeps } = runLogin(relay.transport);

    await expect(login).rejects.toMatchObject({ code: 'auth' });
    expect(sleeps.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThan(600_000);
    expect(sleeps.length).toBe(301);
  });
});
