/**
 * The command line as deployment scripts and plists use it: version line,
 * help, refusals with a non-zero exit, and the no-auth safety rule.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDbPath, expandHome, isLoopback, parseAddress } from '../src/config.ts';
import { tempDir } from './helpers.ts';
import { runHephd } from './process.ts';

const FLAGS = [
  '--mode',
  '--http-addr',
  '--db',
  '--web-root',
  '--oidc-issuer',
  '--oidc-audience',
  '--oidc-client-id',
  '--authorized-sub',
  '--socket',
  '--version',
  '--help',
];

describe('hephd --version and --help', () => {
  it('[HUB-CLI-1] --version prints "hephd X.Y.Z (shortsha)" and the second field is the semver', () => {
    const result = runHephd(['--version']);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^hephd \d+\.\d+\.\d+ \(([0-9a-f]{7}|unknown)\)\n$/);
    expect(result.stdout.split(' ')[1]).toBe('0.1.0');
  });

  it('[HUB-CLI-1] a build can stamp the sha through HEPHD_GIT_SHA', () => {
    const result = runHephd(['--version'], { HEPHD_GIT_SHA: 'abcdef0123456789' });

    expect(result.stdout).toBe('hephd 0.1.0 (abcdef0)\n');
  });

  it('[HUB-CLI-2] --help lists every flag and both commands', () => {
    const result = runHephd(['--help']);

    expect(result.status).toBe(0);
    for (const flag of FLAGS) expect(result.stdout).toContain(flag);
    expect(result.stdout).toMatch(/seed/);
    expect(result.stdout).toMatch(/backup/);
  });
});

describe('refusals', () => {
  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['--http-addr', 'nope'], /--http-addr.*must look like HOST:PORT/],
    [['--http-addr', '127.0.0.1:99999'], /out of range/],
    [['--mode', 'spoke'], /--mode.*Allowed choices are server/],
    [['--oidc-issuer', 'not a url'], /--oidc-issuer.*not a URL/],
    [['--oidc-issuer', 'https://auth.example/'], /--oidc-issuer needs --oidc-audience/],
    [['--oidc-audience', 'heph'], /need --oidc-issuer/],
    [['--db', ''], /--db.*empty/],
    [['stray'], /too many arguments|unknown command/],
    [['seed', '--db', '/tmp/x.db'], /seed needs --from or --owner-id/],
    [['backup', '--db', '/tmp/x.db'], /required option '--out <file>'/],
  ])('[HUB-CLI-3] %j is refused with a clear message and a non-zero exit', (args, message) => {
    const result = runHephd(args);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it('[HUB-CLI-4] without an issuer the hub refuses a non-loopback address', () => {
    const dir = tempDir();
    try {
      const db = join(dir.path, 'hub.db');
      const result = runHephd(['--http-addr', '0.0.0.0:0', '--db', db]);

      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/refusing to listen on 0\.0\.0\.0:0 without auth/);
    } finally {
      dir.remove();
    }
  });
});

describe('configuration values', () => {
  it('[HUB-CLI-5] the store defaults to $XDG_DATA_HOME/heph/heph.db, else ~/.local/share/heph/heph.db', () => {
    expect(defaultDbPath({ XDG_DATA_HOME: '/data' }, '/home/o')).toBe('/data/heph/heph.db');
    expect(defaultDbPath({}, '/home/o')).toBe('/home/o/.local/share/heph/heph.db');
    expect(defaultDbPath({ XDG_DATA_HOME: ' ' }, '/home/o')).toBe(
      '/home/o/.local/share/heph/heph.db',
    );
  });

  it('[HUB-CLI-5] ~ in a path is the home directory', () => {
    expect(expandHome('~/.local/share/heph/heph.db', '/home/o')).toBe(
      '/home/o/.local/share/heph/heph.db',
    );
    expect(expandHome('~', '/home/o')).toBe('/home/o');
    expect(expandHome('/srv/~x', '/home/o')).toBe('/srv/~x');
  });

  it.each([
    ['127.0.0.1:8787', { host: '127.0.0.1', port: 8787 }],
    ['0.0.0.0:8787', { host: '0.0.0.0', port: 8787 }],
    ['[::1]:0', { host: '::1', port: 0 }],
    ['localhost:80', { host: 'localhost', port: 80 }],
  ])('[HUB-CLI-3] --http-addr %s parses', (text, address) => {
    expect(parseAddress(text)).toEqual(address);
  });

  it.each(['8787', ':8787', '127.0.0.1:', '[zz]:1', 'a b:1', '1.2.3.4:65536'])(
    '[HUB-CLI-3] --http-addr %s is refused',
    (text) => {
      expect(() => parseAddress(text)).toThrow();
    },
  );

  it('[HUB-CLI-4] loopback means 127.0.0.0/8, ::1 and localhost', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '192.168.1.2', '::', 'example.com'].some(isLoopback)).toBe(false);
  });
});
