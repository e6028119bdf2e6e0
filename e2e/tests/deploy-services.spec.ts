/**
 * deploy/systemd/hephd.service and deploy/launchd/org.heph.hephd.plist start
 * the hub with the command line of its interface (issue 3), and hephd really
 * starts from each: same flags, same order, only machine-specific values
 * swapped for a temporary home, a loopback address and the test issuer.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestIssuer, type TestIssuer } from '@heph/test-issuer';
import { expect, test } from '@playwright/test';
import { startHubWithArgs } from '../deploy-fixtures/hub.ts';
import { hephdBin, webDist } from '../deploy-fixtures/paths.ts';
import { freePort } from '../deploy-fixtures/process.ts';
import {
  flagsOf,
  flagValue,
  launchdCommand,
  systemdCommand,
  systemdUnit,
  withValue,
} from '../deploy-fixtures/service-files.ts';

test.describe.configure({ mode: 'default' });

/** The hub's command line as issue 3 writes it, flag for flag. */
const issueFlags = [
  '--mode',
  '--http-addr',
  '--db',
  '--web-root',
  '--oidc-issuer',
  '--oidc-audience',
  '--authorized-sub',
  '--socket',
];

const files = [
  { name: 'systemd unit', command: () => systemdCommand(), home: '%h', runtime: '%t' },
  { name: 'launchd plist', command: () => launchdCommand(), home: '/Users/owner', runtime: null },
];

let scratch: string;
let issuer: TestIssuer;

// Made in beforeAll, not at load: Playwright also loads this file to list its tests.
test.beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'heph-services-'));
  issuer = await startTestIssuer({ audience: 'heph' });
});
test.afterAll(async () => {
  await issuer?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

for (const file of files) {
  test(`the ${file.name} runs hephd with the interface's flags and values`, () => {
    const command = file.command();

    expect(command[0]?.endsWith('/hephd')).toBe(true);
    expect(flagsOf(command)).toEqual(issueFlags);
    expect(flagValue(command, '--mode')).toBe('server');
    expect(flagValue(command, '--http-addr')).toBe('0.0.0.0:8787');
    expect(flagValue(command, '--db')).toBe(`${file.home}/.local/share/heph/heph.db`);
    expect(flagValue(command, '--oidc-issuer')).toMatch(/^https:\/\/.+\/application\/o\/heph\/$/);
    expect(flagValue(command, '--oidc-audience')).toBe('heph');
    // Every flag takes one value: no flag is followed by another flag.
    expect(command.length).toBe(1 + issueFlags.length * 2);
  });
}

test('every flag of the service files is listed by hephd --help', () => {
  const help = spawnSync(process.execPath, [hephdBin, '--help'], { encoding: 'utf8' });

  expect(help.status, help.stderr).toBe(0);
  for (const flag of new Set([...flagsOf(systemdCommand()), ...flagsOf(launchdCommand())])) {
    expect(help.stdout, flag).toContain(flag);
  }
});

test('systemd-analyze verifies the unit with no warning', () => {
  const home = join(scratch, 'verify');
  const runtime = join(home, 'run');
  mkdirSync(join(home, '.local/bin'), { recursive: true });
  mkdirSync(runtime, { mode: 0o700 });
  // The unit names %h/.local/bin/hephd, as the guide installs it.
  symlinkSync(hephdBin, join(home, '.local/bin/hephd'));

  const result = spawnSync('systemd-analyze', ['verify', '--user', systemdUnit], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home, XDG_RUNTIME_DIR: runtime },
  });

  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).toBe('');
});

for (const file of files) {
  test(`hephd starts from the ${file.name}'s command line`, async () => {
    const home = mkdtempSync(join(scratch, 'home-'));
    const port = await freePort();
    const socket = join(home, 'hephd.sock');

    // Only values change: the home directory, the web root of this checkout,
    // loopback instead of every interface, the in-process issuer, a socket
    // path in the temporary home. The flags stay exactly as in the file.
    let command = file.command().map((word) => word.replaceAll(file.home, home));
    if (file.runtime) command = command.map((word) => word.replaceAll(file.runtime, home));
    command = withValue(command, '--http-addr', `127.0.0.1:${port}`);
    command = withValue(command, '--web-root', webDist);
    command = withValue(command, '--oidc-issuer', issuer.issuer);
    command = withValue(command, '--authorized-sub', 'owner');
    command = withValue(command, '--socket', socket);
    mkdirSync(join(home, '.local/share/heph'), { recursive: true });

    const hub = await startHubWithArgs(command.slice(1), {
      port,
      env: { PATH: process.env.PATH, HOME: home },
    });

    try {
      const base = hub.url;
      // Auth is on: a pull without a token is refused, with a token let in.
      expect((await fetch(`${base}/sync/pull`, { method: 'POST' })).status).toBe(401);
      const tokens = await issuer.deviceLogin('owner');
      const pull = await fetch(`${base}/sync/pull`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens.access_token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ protocol: 1, origin: 'servicestest', cursor: 0, hubId: null }),
      });
      expect(pull.status, await pull.clone().text()).toBe(200);

      // The socket is the owner's alone and answers /rpc without a token.
      expect(statSync(socket).mode & 0o777).toBe(0o600);
      expect(await rpcOverSocket(socket, 'project.list')).toHaveProperty('result');
    } finally {
      await hub.stop();
    }
  });
}

function rpcOverSocket(socketPath: string, method: string): Promise<Record<string, unknown>> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: {} });
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, path: '/rpc', method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
