import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  configDir,
  DEFAULT_HUB_URL,
  loadConfig,
  normalizeHubUrl,
  resolveHubUrl,
  updateConfig,
} from '../src/config.ts';
import { CliError } from '../src/errors.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heph-cli-config-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof CliError ? error.code : 'not a CliError';
  }
  return undefined;
}

describe('hub URLs', () => {
  it('keeps http and https URLs and drops a trailing slash', () => {
    expect(normalizeHubUrl('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
    expect(normalizeHubUrl('https://heph.example.net')).toBe('https://heph.example.net');
    expect(normalizeHubUrl('https://EXAMPLE.net/heph/')).toBe('https://example.net/heph');
  });

  it('refuses other schemes, queries and credentials as usage errors', () => {
    expect(codeOf(() => normalizeHubUrl('ftp://example.net'))).toBe('usage');
    expect(codeOf(() => normalizeHubUrl('127.0.0.1:8787'))).toBe('usage');
    expect(codeOf(() => normalizeHubUrl('http://x/?a=1'))).toBe('usage');
    expect(codeOf(() => normalizeHubUrl('http://user:pw@x/'))).toBe('usage');
    expect(codeOf(() => normalizeHubUrl('not a url'))).toBe('usage');
  });

  it('takes the flag first, then HEPH_HUB_URL, then config.toml, then the default', () => {
    const config = { hubUrl: 'http://127.0.0.3:1' };
    const env = { HEPH_HUB_URL: 'http://127.0.0.2:1' };
    expect(resolveHubUrl('http://127.0.0.1:1', env, config)).toBe('http://127.0.0.1:1');
    expect(resolveHubUrl(undefined, env, config)).toBe('http://127.0.0.2:1');
    expect(resolveHubUrl(undefined, {}, config)).toBe('http://127.0.0.3:1');
    expect(resolveHubUrl(undefined, {}, {})).toBe(DEFAULT_HUB_URL);
  });
});

describe('config directory and file', () => {
  it('uses XDG_CONFIG_HOME when absolute, else ~/.config', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/x/conf', HOME: '/home/o' })).toBe('/x/conf/heph');
    expect(configDir({ XDG_CONFIG_HOME: 'relative', HOME: '/home/o' })).toBe(
      '/home/o/.config/heph',
    );
    expect(configDir({ HOME: '/home/o' })).toBe('/home/o/.config/heph');
  });

  it('reads hub_url and issuer from config.toml; a missing file is empty', async () => {
    const dir = tempDir();
    const file = join(dir, 'config.toml');
    expect(await loadConfig(file)).toEqual({});

    writeFileSync(
      file,
      'hub_url = "https://heph.example.net"\nissuer = "https://auth.example/o/heph/"\n',
    );
    expect(await loadConfig(file)).toEqual({
      hubUrl: 'https://heph.example.net',
      issuer: 'https://auth.example/o/heph/',
    });
  });

  it('refuses broken TOML and wrongly typed keys', async () => {
    const dir = tempDir();
    const file = join(dir, 'config.toml');
    writeFileSync(file, 'hub_url = \n');
    await expect(loadConfig(file)).rejects.toMatchObject({ code: 'usage' });
    writeFileSync(file, 'hub_url = 8787\n');
    await expect(loadConfig(file)).rejects.toMatchObject({ code: 'usage' });
  });

  it('updates one key and keeps the others', async () => {
    const dir = tempDir();
    const file = join(dir, 'heph', 'config.toml');
    await updateConfig(file, { issuer: 'https://auth.example/' });
    await updateConfig(file, { hub_url: 'http://127.0.0.1:8787' });

    expect(await loadConfig(file)).toEqual({
      hubUrl: 'http://127.0.0.1:8787',
      issuer: 'https://auth.example/',
    });
    expect(readFileSync(file, 'utf8')).toContain('hub_url');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
