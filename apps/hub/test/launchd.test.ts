/**
 * The launchd plist's command line (deploy/launchd/org.heph.hephd.plist),
 * flag for flag, against a real OIDC issuer from @heph/test-issuer. The only
 * change is the port: 0 instead of 8787, so parallel runs never collide. The
 * store and socket paths keep their `~`, resolved against a temporary HOME.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { PROTOCOL_VERSION } from '@heph/oplog';
import { startTestIssuer, type TestIssuer } from '@heph/test-issuer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { type HephdProcess, startHephd, stopHephd } from './process.ts';

let home: ReturnType<typeof tempDir>;
let issuer: TestIssuer;
let hub: HephdProcess;
let args: string[];

const OWNER = 'owner-sub';

beforeAll(async () => {
  home = tempDir('hephd-home-');
  const webRoot = join(home.path, 'heph', 'apps', 'web', 'dist');
  mkdirSync(webRoot, { recursive: true });
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>heph</title>');
  writeFileSync(join(home.path, 'heph', 'secret.txt'), 'outside the web root');
  issuer = await startTestIssuer({ audience: 'heph' });

  // biome-ignore format: one flag and its value per line, as in the plist
  args = [
    '--mode', 'server',
    '--http-addr', '0.0.0.0:0',
    '--db', '~/.local/share/heph/heph.db',
    '--web-root', webRoot,
    '--oidc-issuer', issuer.issuer,
    '--oidc-audience', 'heph',
    '--authorized-sub', OWNER,
    '--socket', '~/.local/share/heph/hephd.sock',
  ];
  hub = await startHephd(args, { HOME: home.path });
});

afterAll(async () => {
  if (hub) await stopHephd(hub);
  await issuer?.stop();
  home?.remove();
});

const socketPath = () => join(home.path, '.local/share/heph/hephd.sock');

function pull(token?: string) {
  return fetch(`${hub.url}/sync/pull`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({
      protocol: PROTOCOL_VERSION,
      origin: 'spoke001',
      cursor: 0,
      hubId: null,
    }),
  });
}

function rpcOverSocket(body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: socketPath(),
        path: '/rpc',
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** A request written byte for byte, so no client library normalizes the path first. */
function rawGet(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(hub.port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\nConnection: close\r\n\r\n`,
    );
  });
}

describe('the launchd command line', () => {
  it('[HUB-CLI-6] starts the hub with the store under ~ and the PWA served', async () => {
    const health = await fetch(`${hub.url}/healthz`);
    const shell = await fetch(`${hub.url}/`);

    expect(health.status).toBe(200);
    expect(await shell.text()).toContain('<title>heph</title>');
    expect(existsSync(join(home.path, '.local/share/heph/heph.db'))).toBe(true);
  });

  it('[HUB-CLI-6] /config tells the PWA the issuer, client id and that auth is on', async () => {
    const config = await (await fetch(`${hub.url}/config`)).json();

    expect(config).toEqual({
      issuer: issuer.issuer,
      clientId: 'heph',
      audience: 'heph',
      authRequired: true,
      hubVersion: '0.1.0',
      protocol: PROTOCOL_VERSION,
    });
  });

  it('[SYNC-2] a sync request without a token gets 401 that still carries the hub stamp', async () => {
    const response = await pull();
    const body = await response.json();

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(body).toMatchObject({ protocol: PROTOCOL_VERSION, hubId: expect.any(String) });
  });

  it('[HUB-CLI-6] the authorized subject syncs; another subject gets 403', async () => {
    const owner = await pull(await issuer.signToken({ sub: OWNER }));
    const stranger = await pull(await issuer.signToken({ sub: 'someone-else' }));

    expect(owner.status).toBe(200);
    expect(stranger.status).toBe(403);
  });

  it('[RPC-7] the Unix socket is mode 0600 and serves /rpc without a token', async () => {
    const mode = statSync(socketPath()).mode & 0o777;
    const created = await rpcOverSocket({
      jsonrpc: '2.0',
      id: 1,
      method: 'task.create',
      params: { title: 'from a local script' },
    });

    expect(mode).toBe(0o600);
    expect(created.status).toBe(200);
    expect(JSON.parse(created.body).result.node_id).toEqual(expect.any(String));
  });

  it.each([
    '/../../../secret.txt',
    '/%2e%2e/%2e%2e/%2e%2e/secret.txt',
    '/assets/..%2f..%2f..%2f..%2fsecret.txt',
    '/..%5c..%5c..%5csecret.txt',
  ])('[HUB-WEB-4] the raw request line GET %s never reads outside the web root', async (path) => {
    const answer = await rawGet(path);

    expect(answer).toMatch(/^HTTP\/1\.1 (200|400|404) /);
    expect(answer).not.toContain('outside the web root');
  });

  it('[HUB-OPS-2] a socket file left by a killed hub is replaced at the next start', async () => {
    await stopHephd(hub, 'SIGKILL');
    expect(existsSync(socketPath())).toBe(true);

    hub = await startHephd(args, { HOME: home.path });
    const listed = await rpcOverSocket({ jsonrpc: '2.0', id: 2, method: 'task.list', params: {} });

    expect(listed.status).toBe(200);
    expect(JSON.parse(listed.body).result.tasks).toHaveLength(1);
  });
});
