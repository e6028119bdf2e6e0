/**
 * deploy/caddy/Caddyfile, checked by the real Caddy: it validates, it adapts
 * to the headers we mean, and a running Caddy in front of a running hephd
 * serves the PWA over HTTPS with those headers, the hub's own cache headers
 * and compression. No browser here; deploy-tls.spec.ts drives Chromium.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startTestIssuer, type TestIssuer } from '@heph/test-issuer';
import { expect, test } from '@playwright/test';
import { caddyCommand, caddyEnv, type RunningCaddy, startCaddy } from '../deploy-fixtures/caddy.ts';
import { httpsRequest, zstdMagic } from '../deploy-fixtures/https.ts';
import { type RunningHub, startHub } from '../deploy-fixtures/hub.ts';
import { webDist } from '../deploy-fixtures/paths.ts';
import { expectedSecurityHeaders } from '../deploy-fixtures/policy.ts';
import { freePort } from '../deploy-fixtures/process.ts';

test.describe.configure({ mode: 'default' });

let home: string;
// Made in beforeAll, not at load: Playwright also loads this file to list its tests.
test.beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'heph-caddy-'));
});
test.afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

function adapt(mode: 'public' | 'local'): Json {
  const env = { ...caddyEnv({ domain: 'localhost:8443', upstream: '127.0.0.1:9999', home }) };
  if (mode === 'public') {
    delete env.HEPH_CADDY_MODE;
    env.HEPH_DOMAIN = 'heph.example.com';
  }
  const result = caddyCommand(['adapt'], env);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Json;
}

/** Every handler object anywhere in the adapted config, depth first. */
function handlers(node: unknown, found: Json[] = []): Json[] {
  if (Array.isArray(node)) for (const item of node) handlers(item, found);
  else if (node && typeof node === 'object') {
    const object = node as Json;
    if (typeof object.handler === 'string') found.push(object);
    for (const value of Object.values(object)) handlers(value, found);
  }
  return found;
}

function handler(config: Json, name: string): Json {
  const found = handlers(config).filter((h) => h.handler === name);
  expect(found, `one ${name} handler`).toHaveLength(1);
  return found[0] as Json;
}

test.describe('the Caddyfile', () => {
  for (const mode of ['public', 'local'] as const) {
    test(`caddy validate accepts it in ${mode} mode`, () => {
      const env = caddyEnv({ domain: 'localhost:8443', upstream: '127.0.0.1:8787', home });
      if (mode === 'public') delete env.HEPH_CADDY_MODE;
      const result = caddyCommand(['validate'], env);
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout + result.stderr).toContain('Valid configuration');
    });
  }

  test('it adapts to exactly the security headers, deferred, and no Cache-Control', () => {
    const headers = handler(adapt('public'), 'headers');
    const response = headers.response as { deferred: boolean; set: Record<string, string[]> };

    expect(response.deferred).toBe(true);
    const set = Object.fromEntries(
      Object.entries(response.set).map(([name, values]) => [name.toLowerCase(), values.join()]),
    );
    expect(set).toEqual(expectedSecurityHeaders);
  });

  test('it compresses with zstd then gzip and proxies to HEPH_UPSTREAM', () => {
    const config = adapt('public');

    const encode = handler(config, 'encode') as { prefer: string[]; match: { headers: Json } };
    expect(encode.prefer).toEqual(['zstd', 'gzip']);
    expect(encode.match.headers['Content-Type']).toEqual(
      expect.arrayContaining(['text/*', 'application/json*', 'application/wasm*']),
    );
    expect(handler(config, 'reverse_proxy').upstreams).toEqual([{ dial: '127.0.0.1:9999' }]);
  });

  test('public mode keeps automatic HTTPS and the admin endpoint', () => {
    const config = adapt('public') as { admin?: unknown; apps: { tls?: unknown; pki?: unknown } };
    const text = JSON.stringify(config);

    expect(config.admin).toBeUndefined();
    expect(text).not.toContain('"internal"');
    expect(text).not.toContain('disable_redirects');
    expect(text).toContain('heph.example.com');
  });

  test('local mode: internal CA, loopback only, no admin, no trust-store install', () => {
    const config = adapt('local') as {
      admin: { disabled: boolean };
      apps: { http: { servers: Record<string, { listen: string[] }> } };
    };
    const text = JSON.stringify(config);

    expect(config.admin).toEqual({ disabled: true });
    const listens = Object.values(config.apps.http.servers).flatMap((server) => server.listen);
    expect(listens.sort()).toEqual(['127.0.0.1:8443', '[::1]:8443']);
    expect(text).toContain('"module":"internal"');
    expect(text).toContain('"install_trust":false');
    expect(text).toContain('"disable_redirects":true');
  });
});

test.describe('Caddy in front of hephd', () => {
  let hub: RunningHub;
  let caddy: RunningCaddy;
  let asset: string;
  let wasm: string;
  let issuer: TestIssuer;

  test.beforeAll(async () => {
    // The largest script: well over Caddy's 512-byte floor for compressing.
    const assetDir = join(webDist, 'assets');
    const scripts = readdirSync(assetDir)
      .filter((name) => name.endsWith('.js'))
      .sort((a, b) => statSync(join(assetDir, b)).size - statSync(join(assetDir, a)).size);
    expect(scripts.length, 'the PWA is built (npm run build)').toBeGreaterThan(0);
    asset = `/assets/${scripts[0]}`;
    wasm = `/assets/${readdirSync(assetDir).find((name) => name.endsWith('.wasm'))}`;

    issuer = await startTestIssuer({ audience: 'heph' });
    hub = await startHub({
      port: await freePort(),
      dir: mkdtempSync(join(home, 'hub-')),
      issuer: issuer.issuer,
      audience: 'heph',
    });
    const port = await freePort();
    caddy = await startCaddy({
      port,
      domain: `localhost:${port}`,
      upstream: new URL(hub.url).host,
      home: mkdtempSync(join(home, 'caddy-')),
    });
  });

  test.afterAll(async () => {
    await caddy?.stop();
    await hub?.stop();
    await issuer?.stop();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    httpsRequest(`${caddy.origin}${path}`, { ca: caddy.rootPem, headers });

  for (const path of ['/', '/index.html', '/config']) {
    test(`${path} carries every security header once, the CSP exactly`, async () => {
      const res = await get(path);

      expect(res.status).toBe(200);
      for (const [name, value] of Object.entries(expectedSecurityHeaders)) {
        expect(res.headers[name], name).toBe(value);
      }
      expect(res.headerNames.filter((name) => name === 'content-security-policy')).toHaveLength(1);
    });
  }

  test("index.html and a hashed asset keep the hub's Cache-Control", async () => {
    for (const path of ['/index.html', asset]) {
      const direct = await fetch(`${hub.url}${path}`);
      const proxied = await get(path);

      expect(proxied.status, path).toBe(200);
      expect(proxied.headers['cache-control'], path).toBe(direct.headers.get('cache-control'));
    }
    expect((await get('/index.html')).headers['cache-control']).toBe('no-cache');
    expect((await get(asset)).headers['cache-control']).toContain('immutable');
  });

  test('/config answers over HTTPS with what the hub says', async () => {
    const direct = await (await fetch(`${hub.url}/config`)).json();
    const proxied = await get('/config');

    expect(proxied.status).toBe(200);
    expect(proxied.headers['content-type']).toContain('application/json');
    expect(JSON.parse(proxied.body.toString('utf8'))).toEqual(direct);
  });

  test('gzip is applied and decodes to the same bytes', async () => {
    const direct = Buffer.from(await (await fetch(`${hub.url}${asset}`)).arrayBuffer());
    const res = await get(asset, { 'accept-encoding': 'gzip' });

    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.body).equals(direct)).toBe(true);
  });

  test('zstd is preferred when offered', async () => {
    const res = await get('/index.html', { 'accept-encoding': 'gzip, deflate, br, zstd' });

    expect(res.headers['content-encoding']).toBe('zstd');
    expect(res.body.subarray(0, 4).equals(zstdMagic)).toBe(true);
  });

  test("SQLite's WebAssembly and the manifest are compressed too", async () => {
    for (const path of [wasm, '/manifest.webmanifest']) {
      const res = await get(path, { 'accept-encoding': 'gzip' });

      expect(res.headers['content-encoding'], path).toBe('gzip');
      const direct = Buffer.from(await (await fetch(`${hub.url}${path}`)).arrayBuffer());
      expect(gunzipSync(res.body).equals(direct), path).toBe(true);
    }
  });

  test('nothing is compressed for a client that offers no encoding', async () => {
    const res = await get(asset, { 'accept-encoding': 'identity' });

    expect(res.headers['content-encoding']).toBeUndefined();
  });

  test('a script pulls over HTTPS with a bearer token; without one it gets 401', async () => {
    const body = JSON.stringify({ protocol: 1, origin: 'httpsscript', cursor: 0, hubId: null });
    const headers = { 'content-type': 'application/json' };
    const pull = (extra: Record<string, string> = {}) =>
      httpsRequest(`${caddy.origin}/sync/pull`, {
        ca: caddy.rootPem,
        method: 'POST',
        headers: { ...headers, ...extra },
        body,
      });

    const refused = await pull();
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer/);

    const { access_token } = await issuer.deviceLogin('https-script');
    const pulled = await pull({ authorization: `Bearer ${access_token}` });
    expect(pulled.status, pulled.body.toString()).toBe(200);
    const page = JSON.parse(pulled.body.toString('utf8')) as { hubId: string; ops: unknown[] };
    expect(page.hubId).toEqual(expect.any(String));
    expect(page.ops).toEqual([]);
  });
});
