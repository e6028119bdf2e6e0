/**
 * The CLI against a real hephd process and the real in-process OIDC issuer:
 * device login, every command in text and JSON, refresh, exit statuses, the
 * token commands, the Unix socket, and an https hub behind a TLS proxy. CLI
 * runs use a temporary HOME, so nothing touches the real user's files.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestIssuer, type TestIssuer } from '@heph/test-issuer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/errors.ts';
import type { TokenSet } from '../src/token-store.ts';
import {
  closedPort,
  type HubProcess,
  startHub,
  startTlsProxy,
  type TlsProxy,
} from './helpers/hub.ts';
import { runHeph, runHephProcess, spawnHeph, tempHome } from './helpers/run.ts';

// The hub's results are checked field by field; a loose type keeps that readable.
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON output under test
type Json = Record<string, any>;

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

interface TokenFile {
  hubs: Record<string, TokenSet>;
}

function tokenFileOf(home: string): string {
  return join(home, '.config', 'heph', 'tokens.json');
}

function readTokens(home: string): TokenFile {
  return JSON.parse(readFileSync(tokenFileOf(home), 'utf8')) as TokenFile;
}

function changeTokens(home: string, hubUrl: string, change: Partial<TokenSet>): TokenSet {
  const file = readTokens(home);
  const before = file.hubs[hubUrl] as TokenSet;
  file.hubs[hubUrl] = { ...before, ...change };
  writeFileSync(tokenFileOf(home), JSON.stringify(file));
  return before;
}

/** Runs `heph auth login --no-browser` as a process and approves its code at the issuer. */
async function login(issuer: TestIssuer, hubUrl: string, env: Record<string, string>) {
  const run = spawnHeph(['auth', 'login', '--hub-url', hubUrl, '--no-browser'], { env });
  const [, link] = await run.waitForOutput(/sign in: (\S+)\n/);
  const [, userCode] = await run.waitForOutput(/shows the code: (\S+)\n/);
  await issuer.approveUserCode(userCode as string, 'owner');
  return { link: link as string, userCode: userCode as string, result: await run.done };
}

function commonPrefix(a: string, b: string): string {
  let length = 0;
  while (length < a.length && a[length] === b[length]) length += 1;
  return a.slice(0, length);
}

describe('heph against a real hub', () => {
  let dir: string;
  let issuer: TestIssuer;
  let hub: HubProcess;
  let home: ReturnType<typeof tempHome>;
  let socket: string;
  const ids = { water: '', passport: '', bins: '', idea: '', idea2: '', household: '', boiler: '' };

  const heph = (args: string[], stdin?: string) => runHeph(args, { env: home.env, stdin });
  const json = async (args: string[]) => {
    const result = await heph([...args, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT.ok);
    return JSON.parse(result.stdout) as Json;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heph-cli-hub-'));
    socket = join(dir, 'hephd.sock');
    issuer = await startTestIssuer({ audience: 'heph' });
    hub = await startHub({ db: join(dir, 'hub.db'), issuer: issuer.issuer, socket });
    home = tempHome();
  });

  afterAll(async () => {
    await hub?.stop();
    await issuer?.stop();
    home?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('[CLI-LOGIN] logs in with a device code printed for --no-browser and keeps the tokens 0600', async () => {
    const { link, userCode, result } = await login(issuer, hub.url, home.env);

    expect(result.code).toBe(EXIT.ok);
    expect(link.startsWith(issuer.issuer)).toBe(true);
    expect(userCode.length).toBeGreaterThan(3);
    expect(result.stdout).toContain(`Logged in to ${hub.url} as owner.`);

    const file = tokenFileOf(home.home);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = readTokens(home.home).hubs[hub.url];
    expect(stored).toMatchObject({ sub: 'owner', token_type: 'bearer' });
    expect(stored?.refresh_token).toEqual(expect.any(String));
    expect(stored?.expires_at).toBeGreaterThan(Date.now());

    // The first login becomes the default hub: later commands need no --hub-url.
    const config = readFileSync(join(home.home, '.config', 'heph', 'config.toml'), 'utf8');
    expect(config).toContain(`hub_url = "${hub.url}"`);
  });

  it('[CLI-LOGIN] exits 3 and stores nothing when the login is denied at the issuer', async () => {
    const stranger = tempHome();
    try {
      const run = spawnHeph(['auth', 'login', '--hub-url', hub.url, '--no-browser'], {
        env: stranger.env,
      });
      const [, userCode] = await run.waitForOutput(/shows the code: (\S+)\n/);
      await issuer.denyUserCode(userCode as string);
      const result = await run.done;

      expect(result.code).toBe(EXIT.auth);
      expect(result.stderr).toContain('denied');
      expect(existsSync(tokenFileOf(stranger.home))).toBe(false);
    } finally {
      stranger.remove();
    }
  });

  it('[CLI-LOGIN] refuses to log in to a hub naming another issuer than config.toml expects', async () => {
    const stranger = tempHome();
    try {
      const configDir = join(stranger.home, '.config', 'heph');
      mkdirSync(configDir, { recursive: true });
      writeFileSync(
        join(configDir, 'config.toml'),
        'issuer = "https://auth.example/application/o/heph/"\n',
      );
      const before = issuer.received.length;

      const result = await runHeph(['auth', 'login', '--hub-url', hub.url, '--no-browser'], {
        env: stranger.env,
      });

      expect(result.code).toBe(EXIT.auth);
      expect(result.stderr).toContain('expects https://auth.example/application/o/heph/');
      expect(issuer.received.length).toBe(before);
    } finally {
      stranger.remove();
    }
  });

  it('creates, lists and shows tasks in text and JSON', async () => {
    const created = await heph(['task', 'Water the plants tomorrow @garden !orange']);
    expect(created.code).toBe(EXIT.ok);
    ids.water = created.stdout.trim();
    expect(ids.water).toMatch(ULID);

    const passport = await json([
      'task',
      'Renew passport',
      '--late-on',
      '2026-01-01',
      '--attention',
      'red',
    ]);
    ids.passport = passport.node_id;
    expect(Object.keys(passport)).toEqual(['node_id']);

    const list = await heph(['list']);
    expect(list.code).toBe(EXIT.ok);
    expect(list.stdout).toMatch(/^ID\s+ATTN\s+DO\s+LATE ON\s+TITLE$/m);
    expect(list.stdout).toMatch(
      new RegExp(`^${ids.water.slice(0, 12)}\\w*\\s+orange .*Water the plants @garden$`, 'm'),
    );
    expect(list.stdout).toMatch(
      new RegExp(`^${ids.passport.slice(0, 12)}\\w*\\s+red .*\\(late\\)\\s+Renew passport$`, 'm'),
    );

    const all = await json(['list']);
    expect(all.tasks.map((task: { id: string }) => task.id).sort()).toEqual(
      [ids.passport, ids.water].sort(),
    );
    const tagged = await json(['list', '--tag', 'garden']);
    expect(tagged.tasks.map((task: { id: string }) => task.id)).toEqual([ids.water]);
    const due = await json(['list', '--due']);
    expect(due.tasks.map((task: { id: string }) => task.id)).toEqual([ids.passport]);

    const next = await heph(['next']);
    expect(next.code).toBe(EXIT.ok);
    expect(next.stdout).toContain('Renew passport');
    expect((await json(['next'])).tasks[0].id).toBe(ids.passport);

    const shown = await heph(['show', ids.passport.slice(0, 20)]);
    expect(shown.code).toBe(EXIT.ok);
    expect(shown.stdout).toMatch(/^title:\s+Renew passport$/m);
    expect(shown.stdout).toMatch(/^attention:\s+red$/m);
    expect((await json(['show', ids.passport])).node).toMatchObject({
      id: ids.passport,
      attention: 'red',
    });
  });

  it('edits, skips, finishes and drops tasks in text and JSON', async () => {
    const edited = await heph([
      'edit',
      ids.passport,
      '--title',
      'Renew the passport',
      '--late-on',
      'none',
    ]);
    expect(edited).toMatchObject({
      code: EXIT.ok,
      stdout: `Edited: Renew the passport (${ids.passport})\n`,
    });
    expect((await json(['show', ids.passport])).node).toMatchObject({
      title: 'Renew the passport',
      lateOn: null,
    });
    expect((await json(['edit', ids.passport, '--attention', 'blue'])).node.attention).toBe('blue');

    ids.bins = (await heph(['task', 'Take out the bins every monday'])).stdout.trim();
    const before = (await json(['show', ids.bins])).node;
    expect(before.recurrence).toEqual(expect.any(String));
    const skipped = await heph(['skip', ids.bins]);
    expect(skipped.code).toBe(EXIT.ok);
    expect(skipped.stdout).toMatch(/^Skipped: Take out the bins .*next on \d{4}-\d{2}-\d{2}/);
    const again = await json(['skip', ids.bins]);
    expect(again.node.doDate).toBeGreaterThan(before.doDate);

    expect((await heph(['done', ids.water])).stdout).toBe(
      `Done: Water the plants (${ids.water})\n`,
    );
    const done = await json(['list', '--state', 'done']);
    expect(done.tasks.map((task: { id: string }) => task.id)).toEqual([ids.water]);

    ids.idea = (await heph(['task', 'An old idea'])).stdout.trim();
    expect((await heph(['drop', ids.idea])).stdout).toBe(`Dropped: An old idea (${ids.idea})\n`);
    ids.idea2 = (await heph(['task', 'Another old idea'])).stdout.trim();
    expect((await json(['drop', ids.idea2])).node.state).toBe('dropped');
    expect((await json(['done', ids.bins])).node.id).toBe(ids.bins);
  });

  it('reads and writes context documents, including from standard input', async () => {
    const body = '# Passport\nForms are at the post office.\n';
    expect((await heph(['context', ids.passport, '--body', '-'], body)).stdout).toBe(
      'Context replaced.\n',
    );
    expect(
      (await heph(['context', ids.passport, '--append', 'Photo booth on Main Street.'])).code,
    ).toBe(EXIT.ok);

    const text = (await heph(['context', ids.passport])).stdout;
    expect(text).toContain('Forms are at the post office.');
    expect(text).toContain('Photo booth on Main Street.');
    expect((await json(['context', ids.passport])).text).toContain('# Passport');
    expect(await json(['context', ids.passport, '--append', 'More.'])).toEqual({ ok: true });
  });

  it('refuses an empty standard input for --body - and --append -, and changes nothing', async () => {
    const before = (await heph(['context', ids.passport])).stdout;

    for (const flag of ['--body', '--append']) {
      const result = await heph(['context', ids.passport, flag, '-'], '');
      expect(result.code, flag).toBe(EXIT.usage);
      expect(result.stderr).toContain("--body ''");
      expect(result.stdout).not.toContain('Context replaced.');
    }

    expect((await heph(['context', ids.passport])).stdout).toBe(before);
    expect(before).toContain('# Passport');
  });

  it('appends to and lists the log in text and JSON', async () => {
    expect((await heph(['log', ids.passport, 'Filled', 'in the form'])).stdout).toBe('Logged.\n');
    expect(await json(['log', ids.passport, 'Posted it'])).toEqual({ ok: true });

    const listed = await heph(['log', ids.passport]);
    expect(listed.stdout).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s+Filled in the form$/m);
    const entries = (await json(['log', ids.passport])).entries;
    expect(entries.map((entry: { text: string }) => entry.text)).toEqual([
      'Filled in the form',
      'Posted it',
    ]);
  });

  it('adds and lists projects, and files tasks in them', async () => {
    const added = await heph(['project', 'add', 'Household']);
    ids.household = added.stdout.trim();
    expect(ids.household).toMatch(ULID);
    const work = await json(['project', 'add', 'Work']);
    expect(work.node_id).toMatch(ULID);

    expect((await heph(['project', 'list'])).stdout).toMatch(/^\w+\s+Household$/m);
    const projects = (await json(['project', 'list'])).projects;
    expect(projects.map((project: { title: string }) => project.title).sort()).toEqual([
      'Household',
      'Work',
    ]);

    ids.boiler = (
      await heph(['task', 'Service the boiler', '--project', 'Household'])
    ).stdout.trim();
    const filed = await json(['list', '--project', 'Household']);
    expect(filed.tasks.map((task: { id: string }) => task.id)).toEqual([ids.boiler]);
    expect((await heph(['list', '--project', 'Household'])).stdout).toMatch(
      /^\w+\s+-\s+-\s+-\s+Household\s+Service the boiler$/m,
    );
    const shown = await heph(['show', ids.boiler]);
    expect(shown.stdout).toMatch(new RegExp(`^project:\\s+Household \\(${ids.household}\\)$`, 'm'));
  });

  it('tags, links and searches in text and JSON', async () => {
    const tagged = await heph(['tag', ids.boiler, '+urgent', '+winter']);
    expect(tagged.stdout).toBe('Added @urgent @winter.\n');
    expect(await json(['tag', ids.boiler, '-winter'])).toEqual({ added: [], removed: ['winter'] });
    expect((await json(['show', ids.boiler])).node.tags).toEqual(['urgent']);

    expect((await heph(['link', ids.boiler, ids.passport])).stdout).toBe('Linked.\n');
    const shown = await json(['show', ids.boiler]);
    expect(shown.links.outgoing).toEqual([ids.passport]);
    expect((await heph(['show', ids.boiler])).stdout).toContain(`-> ${ids.passport}`);
    expect(await json(['link', ids.boiler, ids.passport, '--remove'])).toEqual({ ok: true });

    const found = await heph(['search', 'post', 'office']);
    expect(found.code).toBe(EXIT.ok);
    expect(found.stdout).toMatch(
      new RegExp(`^${ids.passport.slice(0, 12)}\\w*\\s+context\\s+.*\\[`, 'm'),
    );
    const hits = (await json(['search', 'boiler'])).hits;
    expect(hits.map((hit: { node: string }) => hit.node)).toContain(ids.boiler);
  });

  it('[CLI-EXIT-2] exits 2 for an ambiguous prefix and for an unknown id', async () => {
    const prefix = commonPrefix(ids.water, ids.passport);
    expect(prefix.length).toBeGreaterThan(0);

    const ambiguous = await heph(['show', prefix]);
    expect(ambiguous.code).toBe(EXIT.notFound);
    expect(ambiguous.stdout).toBe('');
    expect(ambiguous.stderr).toMatch(/^heph: .+/);
    expect(ambiguous.stderr).toContain(ids.water);
    expect(ambiguous.stderr).toContain(ids.passport);
    expect((await heph(['done', prefix])).code).toBe(EXIT.notFound);

    const missing = await heph(['show', 'ZZZZZZZZZZ']);
    expect(missing.code).toBe(EXIT.notFound);
    expect(missing.stderr).toMatch(/^heph: .+/);
  });

  it('reports the hub and the login with status and auth status', async () => {
    const status = await heph(['status']);
    expect(status.code).toBe(EXIT.ok);
    expect(status.stdout).toMatch(/reachable, hephd \S+, protocol 1/);
    expect(status.stdout).toContain('auth:  valid, as owner');
    expect(await json(['status'])).toMatchObject({
      hubUrl: hub.url,
      reachable: true,
      protocol: 1,
      auth: { ok: true, state: 'valid', sub: 'owner' },
    });

    const auth = await heph(['auth', 'status']);
    expect(auth.code).toBe(EXIT.ok);
    expect(auth.stdout).toMatch(/^account:\s+owner \(issuer /m);
    expect(await json(['auth', 'status'])).toMatchObject({
      loggedIn: true,
      sub: 'owner',
      expired: false,
      refreshable: true,
    });
  });

  it('[CLI-REFRESH] refreshes an access token about to expire before the call, and keeps the new pair', async () => {
    const before = changeTokens(home.home, hub.url, { expires_at: Date.now() - 1000 });

    const result = await heph(['list', '--json']);

    expect(result.code).toBe(EXIT.ok);
    const after = readTokens(home.home).hubs[hub.url] as TokenSet;
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(after.expires_at).toBeGreaterThan(Date.now());
    expect(statSync(tokenFileOf(home.home)).mode & 0o777).toBe(0o600);
  });

  it('[CLI-REFRESH] answers a refused access token with one refresh and a retry', async () => {
    const before = changeTokens(home.home, hub.url, { access_token: 'not.a.token' });

    const result = await heph(['next']);

    expect(result.code).toBe(EXIT.ok);
    const after = readTokens(home.home).hubs[hub.url] as TokenSet;
    expect(after.access_token).not.toBe('not.a.token');
    expect(after.refresh_token).not.toBe(before.refresh_token);
  });

  it('[CLI-REFRESH] lets two processes that find the token expired refresh it once between them', async () => {
    const refreshes = () =>
      issuer.received.filter(
        (form) => form.path === '/token' && form.form.grant_type === 'refresh_token',
      ).length;
    changeTokens(home.home, hub.url, { expires_at: Date.now() - 1000 });
    const before = refreshes();

    const results = await Promise.all([
      runHephProcess(['list', '--json'], { env: home.env }),
      runHephProcess(['next', '--json'], { env: home.env }),
    ]);

    expect(results.map((result) => [result.code, result.stderr])).toEqual([
      [EXIT.ok, ''],
      [EXIT.ok, ''],
    ]);
    expect(refreshes() - before).toBe(1);
  });

  it('[CLI-EXIT-3] exits 3 with a login hint, without prompting, when the refresh token is refused', async () => {
    const good = changeTokens(home.home, hub.url, {
      access_token: 'not.a.token',
      refresh_token: 'spent',
    });

    const result = await runHephProcess(['list'], { env: home.env });

    expect(result.code).toBe(EXIT.auth);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`heph auth login --hub-url ${hub.url}`);
    changeTokens(home.home, hub.url, good);
  });

  it('[CLI-EXIT-3] exits 3 when not logged in at all', async () => {
    const stranger = tempHome();
    try {
      const result = await runHeph(['--hub-url', hub.url, 'list'], { env: stranger.env });
      expect(result.code).toBe(EXIT.auth);
      expect(result.stderr).toContain('not logged in');
      const auth = await runHeph(['--hub-url', hub.url, 'auth', 'status'], { env: stranger.env });
      expect(auth.code).toBe(EXIT.auth);
      const status = await runHeph(['--hub-url', hub.url, 'status', '--json'], {
        env: stranger.env,
      });
      expect(status.code).toBe(EXIT.auth);
      expect(JSON.parse(status.stdout)).toMatchObject({
        reachable: true,
        auth: { ok: false, state: 'invalid' },
      });
    } finally {
      stranger.remove();
    }
  });

  it('[CLI-TOKEN-CMD] loads and saves tokens through shell commands', async () => {
    const vault = join(dir, 'vault.json');
    const held = {
      ...(readTokens(home.home).hubs[hub.url] as TokenSet),
      expires_at: Date.now() - 1000,
    };
    writeFileSync(vault, JSON.stringify(held));
    const fileBefore = readFileSync(tokenFileOf(home.home), 'utf8');

    const result = await runHephProcess(
      [
        '--token-load-cmd',
        `cat '${vault}'`,
        '--token-save-cmd',
        `cat > '${vault}.new' && mv '${vault}.new' '${vault}'`,
        'list',
        '--json',
      ],
      { env: home.env },
    );

    expect(result.code).toBe(EXIT.ok);
    const saved = JSON.parse(readFileSync(vault, 'utf8')) as TokenSet;
    expect(saved.access_token).not.toBe(held.access_token);
    expect(saved.refresh_token).not.toBe(held.refresh_token);
    expect(readFileSync(tokenFileOf(home.home), 'utf8')).toBe(fileBefore);

    // One run asks the token command once, however many calls it makes.
    const asked = join(dir, 'asked');
    const tagged = await runHeph(
      [
        '--token-load-cmd',
        `echo >> '${asked}'; cat '${vault}'`,
        'tag',
        ids.boiler,
        '+a',
        '+b',
        '-a',
      ],
      { env: home.env },
    );
    expect(tagged.code).toBe(EXIT.ok);
    expect(readFileSync(asked, 'utf8')).toBe('\n');
  });

  it('talks to the Unix socket without a token', async () => {
    const stranger = tempHome();
    try {
      const result = await runHeph(['--socket', socket, 'list', '--json'], { env: stranger.env });
      expect(result.code).toBe(EXIT.ok);
      expect(JSON.parse(result.stdout).tasks.length).toBeGreaterThan(0);
      const status = await runHeph(['--socket', socket, 'status'], { env: stranger.env });
      expect(status.code).toBe(EXIT.ok);
      expect(status.stdout).toContain('auth:  not needed (no token needed on the Unix socket)');
    } finally {
      stranger.remove();
    }
  });

  it('[CLI-EXIT-4] exits 4 when the hub cannot be reached', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;

    const result = await runHephProcess(['--hub-url', url, 'list'], { env: home.env });
    expect(result.code).toBe(EXIT.unreachable);
    expect(result.stderr).toContain(`heph: cannot reach the hub at ${url}`);

    const status = await runHephProcess(['--hub-url', url, 'status'], { env: home.env });
    expect(status.code).toBe(EXIT.unreachable);
    expect(status.stdout).toContain('unreachable');
  });

  it('logs out, forgetting only this hub', async () => {
    expect((await heph(['auth', 'logout'])).stdout).toBe(`Logged out of ${hub.url}.\n`);
    expect(readTokens(home.home).hubs[hub.url]).toBeUndefined();
    expect((await heph(['list'])).code).toBe(EXIT.auth);
  });

  describe('over https', () => {
    let proxy: TlsProxy;
    let tlsHome: ReturnType<typeof tempHome>;

    beforeAll(async () => {
      proxy = await startTlsProxy(hub.url, dir);
      tlsHome = tempHome();
    });
    afterAll(async () => {
      await proxy?.stop();
      tlsHome?.remove();
    });

    it('[CLI-TLS] refuses an untrusted certificate as unreachable, naming the way to trust it', async () => {
      const result = await runHephProcess(['--hub-url', proxy.url, 'status'], { env: tlsHome.env });
      expect(result.code).toBe(EXIT.unreachable);
      expect(result.stderr).toContain('not trusted');
    });

    it('[CLI-TLS] logs in and works through an https hub trusted with NODE_EXTRA_CA_CERTS', async () => {
      const env = { ...tlsHome.env, NODE_EXTRA_CA_CERTS: proxy.certFile };
      const { result } = await login(issuer, proxy.url, env);
      expect(result.code).toBe(EXIT.ok);
      expect(readTokens(tlsHome.home).hubs[proxy.url]?.sub).toBe('owner');

      const listed = await runHephProcess(['list', '--json'], { env });
      expect(listed.code).toBe(EXIT.ok);
      expect(JSON.parse(listed.stdout).tasks.length).toBeGreaterThan(0);
    });

    it('[CLI-TLS] trusts a certificate given with --ca-file, refresh included', async () => {
      changeTokens(tlsHome.home, proxy.url, { expires_at: Date.now() - 1000 });
      const result = await runHeph(['--ca-file', proxy.certFile, 'next', '--json'], {
        env: tlsHome.env,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(EXIT.ok);
      expect(readTokens(tlsHome.home).hubs[proxy.url]?.expires_at).toBeGreaterThan(Date.now());
    });
  });
});

describe('heph with short-lived access tokens', () => {
  let dir: string;
  let issuer: TestIssuer;
  let hub: HubProcess;
  let home: ReturnType<typeof tempHome>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'heph-cli-ttl-'));
    issuer = await startTestIssuer({ audience: 'heph', accessTokenTtl: 2 });
    hub = await startHub({ db: join(dir, 'hub.db'), issuer: issuer.issuer });
    home = tempHome();
  });
  afterAll(async () => {
    await hub?.stop();
    await issuer?.stop();
    home?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('[CLI-REFRESH] renews an expired access token transparently through the hub relay', async () => {
    const granted = await issuer.deviceLogin('owner');
    expect(granted.expires_in).toBeLessThanOrEqual(2);
    const obtainedAt = Date.now();
    const tokens: TokenSet = {
      access_token: granted.access_token,
      refresh_token: granted.refresh_token,
      token_type: 'bearer',
      expires_at: obtainedAt + granted.expires_in * 1000,
      obtained_at: obtainedAt,
      scope: granted.scope ?? null,
      sub: 'owner',
      issuer: issuer.issuer,
    };
    const file = join(dir, 'tokens.json');
    writeFileSync(file, JSON.stringify({ hubs: { [hub.url]: tokens } }));
    chmodSync(file, 0o600);

    // The CLI's clock runs three seconds ahead: to it, the two-second token has expired.
    const later = () => Date.now() + 3000;
    const result = await runHeph(
      ['--hub-url', hub.url, '--token-file', file, 'task', 'Still works'],
      {
        env: home.env,
        now: later,
      },
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(EXIT.ok);
    const stored = (JSON.parse(readFileSync(file, 'utf8')) as TokenFile).hubs[hub.url] as TokenSet;
    expect(stored.refresh_token).not.toBe(granted.refresh_token);
    const lastGrant = issuer.received.filter((form) => form.path === '/token').at(-1);
    expect(lastGrant?.form).toMatchObject({ grant_type: 'refresh_token', client_id: 'heph' });
  });
});
