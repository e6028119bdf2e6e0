import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createCommandTokenStore,
  createFileTokenStore,
  parseTokenSet,
  type TokenSet,
} from '../src/token-store.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heph-cli-tokens-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tokens(access: string): TokenSet {
  return {
    access_token: access,
    refresh_token: `refresh-${access}`,
    token_type: 'bearer',
    expires_at: 2_000_000,
    obtained_at: 1_000_000,
    scope: 'openid offline_access',
    sub: 'owner',
    issuer: 'http://127.0.0.1:1/',
  };
}

describe('the token file', () => {
  it('keeps one token set per hub URL in a 0600 file inside a 0700 directory', async () => {
    const dir = join(tempDir(), 'heph');
    const file = join(dir, 'tokens.json');
    const first = createFileTokenStore(file, 'http://127.0.0.1:1');
    const second = createFileTokenStore(file, 'https://heph.example.net');

    await first.save(tokens('a'));
    await second.save(tokens('b'));

    expect(await first.load()).toEqual(tokens('a'));
    expect(await second.load()).toEqual(tokens('b'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('forgets only the one hub on logout', async () => {
    const file = join(tempDir(), 'tokens.json');
    const first = createFileTokenStore(file, 'http://127.0.0.1:1');
    const second = createFileTokenStore(file, 'http://127.0.0.1:2');
    await first.save(tokens('a'));
    await second.save(tokens('b'));

    await first.save(null);

    expect(await first.load()).toBeNull();
    expect(await second.load()).toEqual(tokens('b'));
  });

  it('reads a missing file as no tokens, and a broken one as an auth error', async () => {
    const file = join(tempDir(), 'tokens.json');
    const store = createFileTokenStore(file, 'http://127.0.0.1:1');
    expect(await store.load()).toBeNull();

    writeFileSync(file, '{ not json');
    await expect(store.load()).rejects.toMatchObject({ code: 'auth' });
  });

  it('tightens a file that was created with looser permissions when it saves', async () => {
    const file = join(tempDir(), 'tokens.json');
    writeFileSync(file, JSON.stringify({ hubs: {} }), { mode: 0o644 });
    await createFileTokenStore(file, 'http://127.0.0.1:1').save(tokens('a'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('the refresh lock', () => {
  it('lets one refresh run at a time through a token file', async () => {
    const file = join(tempDir(), 'tokens.json');
    const first = createFileTokenStore(file, 'http://127.0.0.1:1');
    const second = createFileTokenStore(file, 'http://127.0.0.1:1');
    const events: string[] = [];
    let releaseFirst = () => {};
    const firstHeld = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstEntered = () => {};
    const entered = new Promise<void>((resolve) => {
      firstEntered = resolve;
    });

    const one = first.exclusive(async () => {
      events.push('one in');
      firstEntered();
      await firstHeld;
      events.push('one out');
    });
    await entered;
    const two = second.exclusive(async () => {
      events.push('two in');
    });
    expect(existsSync(`${file}.lock`)).toBe(true);
    releaseFirst();
    await Promise.all([one, two]);

    expect(events).toEqual(['one in', 'one out', 'two in']);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const file = join(tempDir(), 'tokens.json');
    const gone = spawnSync('/bin/sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(`${file}.lock`, gone);

    const result = await createFileTokenStore(file, 'http://127.0.0.1:1').exclusive(
      async () => 'ran',
    );

    expect(result).toBe('ran');
  });

  it('takes over even when a takeover guard was left by a process that is gone', async () => {
    const file = join(tempDir(), 'tokens.json');
    const gone = spawnSync('/bin/sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(`${file}.lock`, gone);
    writeFileSync(`${file}.lock.takeover`, gone);

    const result = await createFileTokenStore(file, 'http://127.0.0.1:1').exclusive(
      async () => 'ran',
    );

    expect(result).toBe('ran');
    expect(existsSync(`${file}.lock.takeover`)).toBe(false);
  });

  it('lets only one of several waiters take over an abandoned lock', async () => {
    const file = join(tempDir(), 'tokens.json');
    const gone = spawnSync('/bin/sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(`${file}.lock`, gone);
    let inside = 0;
    let most = 0;

    const runs = Array.from({ length: 6 }, () =>
      createFileTokenStore(file, 'http://127.0.0.1:1').exclusive(async () => {
        inside += 1;
        most = Math.max(most, inside);
        // Yield to the other waiters while holding the lock.
        for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
        inside -= 1;
      }),
    );
    await Promise.all(runs);

    expect(most).toBe(1);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});

describe('token commands', () => {
  it('saves through --token-save-cmd and loads through --token-load-cmd, with HEPH_HUB_URL set', async () => {
    const dir = tempDir();
    const file = join(dir, 'held.json');
    const store = createCommandTokenStore({
      loadCommand: `cat "${file}"`,
      saveCommand: `cat > "${file}"; printf %s "$HEPH_HUB_URL" > "${dir}/hub"`,
      hubUrl: 'http://127.0.0.1:9',
      env: { PATH: process.env.PATH },
    });

    await store.save(tokens('a'));

    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(tokens('a'));
    expect(readFileSync(join(dir, 'hub'), 'utf8')).toBe('http://127.0.0.1:9');
    expect(await store.load()).toEqual(tokens('a'));
  });

  it('reads empty output or null as no tokens', async () => {
    for (const loadCommand of ['true', 'echo null']) {
      const store = createCommandTokenStore({
        loadCommand,
        saveCommand: undefined,
        hubUrl: 'http://127.0.0.1:9',
        env: { PATH: process.env.PATH },
      });
      expect(await store.load()).toBeNull();
    }
  });

  it('fails as auth when a command fails or prints something else, with its stderr', async () => {
    const failing = createCommandTokenStore({
      loadCommand: 'echo "vault is locked" >&2; exit 7',
      saveCommand: 'exit 1',
      hubUrl: 'http://127.0.0.1:9',
      env: { PATH: process.env.PATH },
    });
    await expect(failing.load()).rejects.toMatchObject({
      code: 'auth',
      message: expect.stringContaining('vault is locked'),
    });
    await expect(failing.save(tokens('a'))).rejects.toMatchObject({ code: 'auth' });

    const garbage = createCommandTokenStore({
      loadCommand: 'echo "{\\"nope\\": 1}"',
      saveCommand: undefined,
      hubUrl: 'http://127.0.0.1:9',
      env: { PATH: process.env.PATH },
    });
    await expect(garbage.load()).rejects.toMatchObject({ code: 'auth' });
  });

  it('refuses to save without --token-save-cmd rather than lose a rotated pair', async () => {
    const store = createCommandTokenStore({
      loadCommand: 'true',
      saveCommand: undefined,
      hubUrl: 'http://127.0.0.1:9',
      env: { PATH: process.env.PATH },
    });
    await expect(store.save(tokens('a'))).rejects.toMatchObject({ code: 'usage' });
  });
});

describe('parseTokenSet', () => {
  it('fills defaults for a minimal token set', () => {
    expect(parseTokenSet('{"access_token":"x"}', 'input')).toEqual({
      access_token: 'x',
      refresh_token: null,
      token_type: 'bearer',
      expires_at: null,
      obtained_at: 0,
      scope: null,
      sub: null,
      issuer: null,
    });
  });
});
