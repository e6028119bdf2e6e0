/**
 * The production path, end to end: Chromium opens the PWA at an https://
 * address served by the real Caddy (local mode, its internal CA) in front
 * of a real hephd that requires tokens from the in-process OIDC issuer.
 * The service worker installs (it needs a trusted certificate, so Chromium
 * trusts Caddy's CA by SPKI rather than ignoring certificate errors), the
 * app signs in, syncs both ways over same-origin HTTPS, and nothing in the
 * page trips the Content-Security-Policy.
 *
 * Sign-in: the PWA has no sign-in screen yet, so the test does the device
 * login with the issuer (the same tokens the hub's /auth relay hands out)
 * and stores them the way apps/web/src/auth/token-store.ts does, then
 * announces the change on its BroadcastChannel.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestIssuer, type TestIssuer, type TokenSet } from '@heph/test-issuer';
import { type BrowserContext, chromium, expect, type Page, test } from '@playwright/test';
import { type RunningCaddy, startCaddy } from '../deploy-fixtures/caddy.ts';
import { httpsRequest } from '../deploy-fixtures/https.ts';
import { type RunningHub, startHub } from '../deploy-fixtures/hub.ts';
import { webDist } from '../deploy-fixtures/paths.ts';
import { expectedCsp } from '../deploy-fixtures/policy.ts';
import { freePort } from '../deploy-fixtures/process.ts';
import { CHROMIUM, CHROMIUM_ARGS, PHONE } from '../fixtures/browser.ts';
import { HephApp } from '../fixtures/heph-app.ts';

test.describe.configure({ mode: 'serial' });

const scratch = mkdtempSync(join(tmpdir(), 'heph-tls-'));
const owner = 'tls-owner';

let issuer: TestIssuer;
let hub: RunningHub;
let caddy: RunningCaddy;
let context: BrowserContext;
let tokens: TokenSet;

/** Everything the page and its workers said about the CSP, and any page error. */
const problems: string[] = [];

test.beforeAll(async () => {
  issuer = await startTestIssuer({ audience: 'heph' });
  hub = await startHub({
    port: await freePort(),
    dir: join(scratch, 'hub'),
    issuer: issuer.issuer,
    audience: 'heph',
    authorizedSubs: [owner],
  });
  const port = await freePort();
  caddy = await startCaddy({
    port,
    domain: `localhost:${port}`,
    upstream: new URL(hub.url).host,
    home: join(scratch, 'caddy'),
  });
  tokens = await issuer.deviceLogin(owner);

  context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: PHONE,
    args: [
      ...CHROMIUM_ARGS,
      // Trust Caddy's CA for this profile only; unlike ignoreHTTPSErrors the
      // certificate then counts as valid, which service workers require.
      `--ignore-certificate-errors-spki-list=${caddy.spkiHashes.join(',')}`,
    ],
  });
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
});

test.afterAll(async () => {
  await context?.close();
  await caddy?.stop();
  await hub?.stop();
  await issuer?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

function watch(page: Page): void {
  page.on('console', (message) => {
    const text = message.text();
    if (/content security policy|refused to/i.test(text)) problems.push(`console: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
}

async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** Writes the tokens where the PWA's token store keeps them, and tells every tab. */
async function signIn(page: Page, set: TokenSet): Promise<void> {
  const stored = {
    accessToken: set.access_token,
    refreshToken: set.refresh_token,
    expiresAt: Date.now() + set.expires_in * 1000,
    issuer: issuer.issuer,
  };
  await page.evaluate(async (value) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('heph-auth', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('tokens');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise<void>((resolve, reject) => {
      const transaction = db.transaction('tokens', 'readwrite');
      transaction.objectStore('tokens').put(value, 'hub');
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
    });
    db.close();
    const channel = new BroadcastChannel('heph-auth');
    channel.postMessage({ kind: 'tokens-changed' });
    channel.close();
  }, stored);
}

async function hubRpc(method: string, params: Record<string, unknown>): Promise<unknown> {
  const res = await httpsRequest(`${caddy.origin}/rpc`, {
    ca: caddy.rootPem,
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  expect(res.status, res.body.toString()).toBe(200);
  return JSON.parse(res.body.toString('utf8'));
}

test('the built shell has no inline script or style for the policy to block', () => {
  const html = readFileSync(join(webDist, 'index.html'), 'utf8');

  // style-src 'self' and script-src without 'unsafe-inline' stay right only
  // while the build emits none of these; the browser tests below prove it
  // at run time, this names the culprit at once.
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  for (const [, attributes, body] of scripts) {
    expect(attributes).toMatch(/\bsrc=/);
    expect(body?.trim()).toBe('');
  }
  expect(html).not.toMatch(/<style\b/);
  expect(html).not.toMatch(/\sstyle=/);
  expect(html).not.toMatch(/\son[a-z]+=/);
});

test('the listeners catch a CSP violation (control)', async () => {
  const page = await context.newPage();
  watch(page);
  await page.goto(`${caddy.origin}/`);

  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.head.append(script);
  });

  await expect.poll(() => violations(page)).toContainEqual(expect.stringMatching(/^script-src/));
  expect(await page.evaluate(() => 'inlineRan' in window)).toBe(false);
  await expect.poll(() => problems.some((p) => p.startsWith('console:'))).toBe(true);
  await page.close();
  problems.length = 0;
});

test('the PWA loads over HTTPS under the exact policy and its service worker takes control', async () => {
  const page = await context.newPage();
  watch(page);
  const response = await page.goto(`${caddy.origin}/`);

  expect(response?.headers()['content-security-policy']).toBe(expectedCsp);
  expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  // Permissions-Policy: the microphone (voice capture) is this origin's, the camera nobody's.
  const allowed = await page.evaluate(() => {
    const policy = (document as unknown as { featurePolicy: { allowsFeature(f: string): boolean } })
      .featurePolicy;
    return {
      microphone: policy.allowsFeature('microphone'),
      camera: policy.allowsFeature('camera'),
    };
  });
  expect(allowed).toEqual({ microphone: true, camera: false });
  const app = new HephApp(page);
  await app.ready();
  await app.waitForServiceWorker();
  expect(
    await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL),
  ).toBe(`${caddy.origin}/sw.js`);

  expect(await violations(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
});

test('signed in, it syncs both ways over same-origin HTTPS with no CSP violation', async () => {
  const page = await context.newPage();
  watch(page);
  const syncUrls: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/sync/')) syncUrls.push(request.url());
  });
  const app = new HephApp(page);
  await app.goto(`${caddy.origin}/`);

  await signIn(page, tokens);
  await app.expectSynced();
  await app.addTask('written in the browser over TLS');
  await app.expectSynced();

  const listed = JSON.stringify(await hubRpc('task.list', {}));
  expect(listed).toContain('written in the browser over TLS');

  await hubRpc('task.create', { text: 'written on the hub' });
  await app.reload();
  await app.expectTasks(['written in the browser over TLS', 'written on the hub']);
  await app.expectSynced();

  expect(syncUrls.length).toBeGreaterThan(0);
  for (const url of syncUrls) expect(new URL(url).origin).toBe(caddy.origin);
  expect(await violations(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
});
