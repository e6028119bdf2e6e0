/**
 * The production path, end to end: Chromium opens the PWA at an https://
 * address served by the real Caddy (local mode, its internal CA) in front
 * of a real hephd that requires tokens from the in-process OIDC issuer.
 * The service worker installs (it needs a trusted certificate, so Chromium
 * trusts Caddy's CA by SPKI rather than ignoring certificate errors), the
 * app signs in, syncs both ways over same-origin HTTPS, and nothing in the
 * page trips the Content-Security-Policy.
 *
 * Sign-in goes through the app's own screen: it asks the hub's /auth relay
 * (over the same HTTPS origin) for a device code, the test approves that
 * code on the issuer's pages as the owner would on Authentik's, and the app
 * redeems it through the relay.
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

let scratch: string;
const owner = 'tls-owner';

let issuer: TestIssuer;
let hub: RunningHub;
let caddy: RunningCaddy;
let context: BrowserContext;
/** The owner's tokens, for asking the hub directly what it holds. */
let tokens: TokenSet;

/** Everything the page and its workers said about the CSP, and any page error. */
const problems: string[] = [];

// Made in beforeAll, not at load: Playwright also loads this file to list its tests.
test.beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'heph-tls-'));
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
  if (scratch) rmSync(scratch, { recursive: true, force: true });
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

/** The app's sign-in screen, with a code, approved on the issuer's pages as `sub`. */
async function signIn(page: Page, sub: string): Promise<void> {
  await page.getByTestId('signin-banner').getByRole('button', { name: 'Sign in' }).click();
  const dialog = page.getByRole('dialog');
  const code = dialog.getByTestId('user-code');
  await expect(code).not.toBeEmpty();
  await expect(dialog.getByTestId('signin-qr')).toBeVisible();

  await issuer.approveUserCode((await code.textContent()) ?? '', sub);

  await expect(dialog.getByTestId('signin-success')).toContainText(`Signed in as ${sub}`);
  await dialog.getByRole('button', { name: 'Done' }).click();
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
  // /config, not the app: the policy covers every response, and this page
  // registers no service worker before the next test watches it install.
  await page.goto(`${caddy.origin}/config`);

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
  // Polled with its state, so a worker stuck installing or waiting says so.
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return {
            controlled: navigator.serviceWorker.controller !== null,
            installing: registration?.installing?.state ?? null,
            waiting: registration?.waiting?.state ?? null,
            active: registration?.active?.state ?? null,
          };
        }),
      { timeout: 30_000 },
    )
    .toEqual({ controlled: true, installing: null, waiting: null, active: 'activated' });
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

  await signIn(page, owner);
  await app.expectSynced();
  await app.addTask('written in the browser over TLS');

  // The hub's own answer is the proof of the push (the status can still read
  // "Synced" from before the write for a moment).
  await expect
    .poll(async () => JSON.stringify(await hubRpc('task.list', {})))
    .toContain('written in the browser over TLS');
  await app.expectSynced();

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
