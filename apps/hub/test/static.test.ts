import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src/static.ts';
import { createTestHub, type TestHub, tempDir } from './helpers.ts';

let dir: ReturnType<typeof tempDir>;
let hub: TestHub;
let bare: TestHub;

beforeAll(async () => {
  dir = tempDir();
  const web = join(dir.path, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>heph</title>');
  writeFileSync(join(web, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(web, 'manifest.webmanifest'), '{"name":"heph"}');
  writeFileSync(join(web, 'assets', 'index-3f9a2c.js'), 'console.log(1)');
  writeFileSync(join(web, 'assets', 'sqlite-9c1d.wasm'), new Uint8Array([0, 97, 115, 109]));
  writeFileSync(join(dir.path, 'secret.txt'), 'outside the web root');
  symlinkSync(join(dir.path, 'secret.txt'), join(web, 'link.txt'));

  hub = await createTestHub({ dbPath: join(dir.path, 'hub.db'), webRoot: web });
  bare = await createTestHub({
    dbPath: join(dir.path, 'bare.db'),
    webRoot: join(dir.path, 'none'),
  });
});

afterAll(async () => {
  await hub.close();
  await bare.close();
  dir.remove();
});

const html = { headers: { Accept: 'text/html,application/xhtml+xml' } };

describe('the PWA shell', () => {
  it.each([
    ['/', 'text/html; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/sw.js', 'text/javascript; charset=utf-8'],
    ['/manifest.webmanifest', 'application/manifest+json'],
  ])('[HUB-WEB-1] %s is served with Cache-Control no-cache', async (path, type) => {
    const response = await hub.app.request(path);

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-type')).toBe(type);
  });

  it('[HUB-WEB-2] hashed assets are immutable for a year, wasm as application/wasm', async () => {
    const script = await hub.app.request('/assets/index-3f9a2c.js');
    const wasm = await hub.app.request('/assets/sqlite-9c1d.wasm');

    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
  });

  it('[HUB-WEB-3] an unknown navigation falls back to index.html', async () => {
    const response = await hub.app.request('/tasks/01JABC/edit', html);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>heph</title>');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it.each([
    ['/assets/missing.js', {}],
    ['/missing.png', {}],
    ['/sync/nothing', html],
    ['/rpc/x', html],
    ['/auth/other', html],
    ['/config/x', html],
  ])('[HUB-WEB-3] %s is a 404, not the shell', async (path, init) => {
    const response = await hub.app.request(path, init);

    expect(response.status).toBe(404);
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/..%2fsecret.txt',
    '/link.txt',
    '/assets/..%5c..%5csecret.txt',
  ])('[HUB-WEB-4] %s never escapes the web root', async (path) => {
    const response = await hub.app.fetch(new Request(`http://hub.test${path}`, html));
    const text = await response.text();

    expect(text).not.toContain('outside the web root');
    expect([400, 404, 200]).toContain(response.status);
    if (response.status === 200) expect(text).toContain('<title>heph</title>');
  });

  it('[HUB-WEB-5] without a built PWA a navigation explains how to build it', async () => {
    const response = await bare.app.request('/', html);

    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
  });

  it('[HUB-WEB-5] without a built PWA the API still answers', async () => {
    const health = await bare.app.request('/healthz');
    const config = await bare.app.request('/config');

    expect(health.status).toBe(200);
    expect(await config.json()).toMatchObject({ authRequired: false, protocol: 1 });
  });

  it.each([
    ['/', html, 200],
    ['/index.html', {}, 200],
    ['/assets/index-3f9a2c.js', {}, 200],
    ['/tasks/01JABC', html, 200],
    ['/missing.png', {}, 404],
  ])('[HUB-WEB-6] %s carries the CSP, nosniff and no-referrer', async (path, init, status) => {
    const response = await hub.app.request(path, init);

    expect(response.status).toBe(status);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-security-policy')).toContain(
      "img-src 'self' data: blob:;",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('[HUB-WEB-6] the page shown before a build carries the same headers', async () => {
    const response = await bare.app.request('/', html);

    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('[HUB-WEB-6] the hub sends the same policy as deploy/caddy/Caddyfile', () => {
    const caddyfile = readFileSync(
      new URL('../../../deploy/caddy/Caddyfile', import.meta.url),
      'utf8',
    );

    expect(caddyfile).toMatch(/Content-Security-Policy "([^"]*)"/);
    expect(caddyfile.match(/Content-Security-Policy "([^"]*)"/)?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });
});
