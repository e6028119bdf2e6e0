/**
 * The auth exports mounted in the real hub app (createAuthMount + createHubApp), against the
 * real test issuer: the guard sits in front of /sync and /rpc, the relay answers under /auth,
 * and the hub's request log never sees a token.
 */
import { join } from 'node:path';
import { createIdFactory } from '@heph/oplog';
import { startTestIssuer, type TestIssuer } from '@heph/test-issuer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHubApp } from '../../src/app.ts';
import { createAuthMount } from '../../src/auth-mount.ts';
import type { AuthConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { type HubStore, openHubStore } from '../../src/store.ts';
import { fakeClock, pullBody, seededRandomBytes, tempDir } from '../helpers.ts';
import { bearer } from './fixtures.ts';

const SPOKE = 'aaaa0001';
const deviceCodeGrant = 'urn:ietf:params:oauth:grant-type:device_code';

// A real issuer does real RSA and HTTP work; leave room for a loaded machine.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

let issuer: TestIssuer;
let dir: ReturnType<typeof tempDir>;
const stores: HubStore[] = [];

beforeAll(async () => {
  issuer = await startTestIssuer();
  dir = tempDir('hephd-auth-');
});

afterAll(async () => {
  for (const store of stores) await store.close();
  await issuer.stop();
  dir.remove();
});

async function createHub(authorizedSubs: string[] = []) {
  const authConfig: AuthConfig = {
    issuer: issuer.issuer,
    audience: 'heph',
    clientId: 'heph',
    authorizedSubs,
  };
  const clock = fakeClock();
  const dbPath = join(dir.path, `hub-${stores.length}.db`);
  const store = await openHubStore(dbPath, { now: clock.now, randomBytes: seededRandomBytes(1) });
  stores.push(store);
  const lines: string[] = [];
  const requestIds = countingRequestIds();

  const app = createHubApp({
    hub: { replica: store.replica, hubId: store.hubId, now: clock.now },
    auth: await createAuthMount(authConfig),
    authConfig,
    webRoot: join(dir.path, 'no-web-root'),
    logger: createLogger({ write: (line: string) => lines.push(line) }),
    version: '0.0.0-test',
    timeZone: 'Europe/Berlin',
    newId: createIdFactory(clock.now, seededRandomBytes(2)),
    newRequestId: requestIds,
  });
  return { app, store, log: () => lines.join('\n') };
}

function countingRequestIds() {
  let count = 0;
  return () => {
    count += 1;
    return `req-${count}`;
  };
}

function pull(token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return { method: 'POST', headers, body: JSON.stringify(pullBody(SPOKE, 0, null)) };
}

describe('[AUTH-1] the hub app behind the auth middleware', () => {
  it('refuses /sync and /rpc without a token, with WWW-Authenticate', async () => {
    const { app } = await createHub();

    for (const path of ['/sync/pull', '/rpc']) {
      const response = await app.request(path, { method: 'POST' });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_request"');
    }
  });

  it('lets a device-login token pull, and leaves /config open', async () => {
    const { app } = await createHub();
    const tokens = await issuer.deviceLogin('owner');

    const pulled = await app.request('/sync/pull', pull(tokens.access_token));
    expect(pulled.status).toBe(200);

    const config = await app.request('/config');
    expect(config.status).toBe(200);
    expect(await config.json()).toMatchObject({ issuer: issuer.issuer, authRequired: true });
  });
});

describe('[AUTH-8] --authorized-sub through the hub app', () => {
  it('forbids an unlisted subject and lets a listed one pull', async () => {
    const { app } = await createHub(['owner']);
    const stranger = await issuer.deviceLogin('stranger');
    const owner = await issuer.deviceLogin('owner');

    const refused = await app.request('/sync/pull', pull(stranger.access_token));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: { code: 'forbidden', data: { sub: 'stranger' } },
    });

    expect((await app.request('/sync/pull', pull(owner.access_token))).status).toBe(200);
  });
});

describe('[RELAY-2] device login through the hub app', () => {
  it('starts, polls and redeems through /auth, then syncs with the token', async () => {
    const { app } = await createHub();
    const device = (await (await app.request('/auth/device', { method: 'POST' })).json()) as {
      device_code: string;
      user_code: string;
    };
    await issuer.approveUserCode(device.user_code, 'owner');

    const answer = await app.request('/auth/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: deviceCodeGrant, device_code: device.device_code }),
    });
    expect(answer.status).toBe(200);
    const tokens = (await answer.json()) as { access_token: string };

    expect((await app.request('/sync/pull', pull(tokens.access_token))).status).toBe(200);
  });
});

describe('[AUTH-11] the hub request log', () => {
  it('never holds a token, refused or accepted', async () => {
    const { app, log } = await createHub();
    const good = await issuer.deviceLogin('owner');
    const forged = await issuer.signToken({}, { key: 'forged' });

    await app.request('/sync/pull', pull(good.access_token));
    await app.request('/sync/pull', pull(forged));
    await app.request('/rpc', bearer(forged));
    await app.request('/auth/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: good.refresh_token }),
    });

    const text = log();
    expect(text).toContain('/sync/pull');
    for (const secret of [good.access_token, good.refresh_token, forged]) {
      expect(text).not.toContain(secret);
    }
  });
});
