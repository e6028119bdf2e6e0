/**
 * docs/operations.md, run: every block marked `<!-- tested: NAME -->` is
 * executed by bash exactly as written, in a temporary home where ~/heph is
 * this checkout, against a real hephd behind a real Caddy (local mode) and
 * the in-process OIDC issuer. The steps follow the guide's order: install,
 * check the issuer and Caddy, seed, find the subject, back up, restore,
 * check versions.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestIssuer, type TestIssuer } from '@heph/test-issuer';
import { expect, test } from '@playwright/test';
import { type RunningCaddy, startCaddy } from '../deploy-fixtures/caddy.ts';
import { guidePath, runBlock, testedBlocks } from '../deploy-fixtures/guide.ts';
import { type RunningHub, startHub } from '../deploy-fixtures/hub.ts';
import { repoRoot } from '../deploy-fixtures/paths.ts';
import { expectedCsp } from '../deploy-fixtures/policy.ts';
import { freePort } from '../deploy-fixtures/process.ts';

test.describe.configure({ mode: 'serial' });

const blocks = testedBlocks();
let scratch: string;
let home: string;
let hubDb: string;
const sub = 'guide-owner';

let issuer: TestIssuer;
let hub: RunningHub | undefined;
let caddy: RunningCaddy;
let hubPort: number;
let env: NodeJS.ProcessEnv;
let token: string | undefined;

function block(name: string): string {
  const body = blocks.get(name);
  if (body === undefined) throw new Error(`docs/operations.md has no block tested: ${name}`);
  return body;
}

async function run(name: string) {
  const result = await runBlock(block(name), env);
  expect(result.status, `${name}:\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

async function startGuideHub() {
  hub = await startHub({
    port: hubPort,
    dir: scratch,
    db: hubDb,
    issuer: issuer.issuer,
    audience: 'heph',
  });
}

async function rpc(method: string, params: Record<string, unknown>) {
  token ??= (await issuer.deviceLogin(sub)).access_token;
  const res = await fetch(`http://127.0.0.1:${hubPort}/rpc`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await res.json()) as { result?: unknown; error?: unknown };
}

// Made in beforeAll, not at load: Playwright also loads this file to list its tests.
test.beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'heph-guide-'));
  home = join(scratch, 'home');
  hubDb = join(home, '.local/share/heph/heph.db');
  mkdirSync(home, { recursive: true });
  symlinkSync(repoRoot, join(home, 'heph'));
  issuer = await startTestIssuer({ audience: 'heph' });
  hubPort = await freePort();
  const caddyPort = await freePort();
  caddy = await startCaddy({
    port: caddyPort,
    domain: `localhost:${caddyPort}`,
    upstream: `127.0.0.1:${hubPort}`,
    home: join(scratch, 'caddy'),
  });
  const caBundle = join(scratch, 'caddy-root.crt');
  writeFileSync(caBundle, caddy.rootPem);

  env = {
    PATH: `${join(home, '.local/bin')}:${process.env.PATH}`,
    HOME: home,
    HEPH_URL: caddy.origin,
    HEPH_ISSUER: issuer.issuer,
    // curl trusts exactly Caddy's local root for the blocks that call the hub.
    CURL_CA_BUNDLE: caBundle,
    LANG: 'C.UTF-8',
  };
});

test.afterAll(async () => {
  await hub?.stop();
  await caddy?.stop();
  await issuer?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('every tested block of the guide is run by this file', () => {
  const run = [
    'install-link',
    'issuer-check',
    'caddy-validate',
    'seed',
    'headers-check',
    'find-sub-start',
    'find-sub-finish',
    'backup',
    'restore',
    'versions',
  ];
  expect([...blocks.keys()].sort()).toEqual(run.sort());
});

test('every shell block of the guide says whether it is tested, run by hand, or not run', () => {
  const lines = readFileSync(guidePath, 'utf8').split('\n');
  const unmarked = lines.flatMap((line, i) =>
    line === '```sh' && !/^<!-- (tested: |by hand|not run: )/.test(lines[i - 1] ?? '')
      ? [`line ${i + 1}`]
      : [],
  );

  expect(unmarked).toEqual([]);
});

test('install-link puts hephd on the PATH and it prints its version', async () => {
  const out = await run('install-link');

  expect(out).toMatch(/^hephd \d+\.\d+\.\d+ \([0-9a-f]{7,}\)\n$/);
});

test('issuer-check shows the exact issuer, a device endpoint and RS256', async () => {
  const discovery = JSON.parse(await run('issuer-check')) as Record<string, unknown>;

  expect(discovery.issuer).toBe(issuer.issuer);
  expect(discovery.device_authorization_endpoint).toEqual(expect.any(String));
  expect(discovery.id_token_signing_alg_values_supported).toContain('RS256');
});

test('caddy-validate accepts the Caddyfile', async () => {
  await run('caddy-validate');
});

test('seed copies a device store into the hub database', async () => {
  // A device store with one task: a loopback hub without sign-in writes it.
  const deviceDir = join(scratch, 'device');
  mkdirSync(deviceDir);
  const device = await startHub({ port: await freePort(), dir: deviceDir });
  const created = await fetch(`${device.url}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'task.create',
      params: { text: 'seeded from the device' },
    }),
  });
  expect(created.status, await created.clone().text()).toBe(200);
  await device.stop();
  writeFileSync(join(home, 'heph-device.db'), readFileSync(join(deviceDir, 'heph.db')));

  await run('seed');
  await startGuideHub();

  const listed = JSON.stringify(await rpc('task.list', {}));
  expect(listed).toContain('seeded from the device');
});

test('headers-check shows the policy, HSTS, the hub cache header and /config', async () => {
  const out = await run('headers-check');

  expect(out).toContain(`content-security-policy: ${expectedCsp}`);
  expect(out).toMatch(/strict-transport-security: max-age=31536000; includeSubDomains/i);
  expect(out).toMatch(/cache-control: no-cache/i);
  expect(out).toContain(issuer.issuer);
});

test('find-sub-start and find-sub-finish print the subject of a device login', async () => {
  const link = (await run('find-sub-start')).trim();
  const login = JSON.parse(readFileSync(join(home, 'heph-login.json'), 'utf8')) as {
    user_code: string;
    verification_uri_complete: string;
  };
  expect(link).toBe(login.verification_uri_complete);

  await issuer.approveUserCode(login.user_code, sub);

  expect((await run('find-sub-finish')).trim()).toBe(sub);
  expect(existsSync(join(home, 'heph-login.json'))).toBe(false);
});

test('backup then restore brings back the store as it was at the backup', async () => {
  await rpc('task.create', { text: 'before the backup' });
  await run('backup');
  const backups = readdirSync(join(home, 'heph-backups'));
  expect(backups).toHaveLength(1);
  await rpc('task.create', { text: 'after the backup' });

  await hub?.stop();
  await run('restore');
  await startGuideHub();

  const listed = JSON.stringify(await rpc('task.list', {}));
  expect(listed).toContain('before the backup');
  expect(listed).not.toContain('after the backup');
  expect(readdirSync(join(home, '.local/share/heph/broken'))).toContain('heph.db');
});

test('versions prints the hub version three ways that agree', async () => {
  const lines = (await run('versions')).split('\n');
  const [full, bare] = lines;
  const config = JSON.parse(lines.slice(2).join('\n')) as { hubVersion: string; protocol: number };

  expect(full).toMatch(/^hephd \d+\.\d+\.\d+ \([0-9a-f]{7,}\)$/);
  expect(full?.split(' ')[1]).toBe(bare);
  expect(config.hubVersion).toContain(bare);
  expect(config.protocol).toBe(1);
});
