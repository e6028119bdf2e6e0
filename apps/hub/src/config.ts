/**
 * The hub's configuration: what the command line turns into, with the
 * defaults a newcomer gets (loopback address, a store under the XDG data
 * directory, the PWA built in this repository). Parsers throw ConfigError
 * with a message meant for the person who typed the flag.
 */
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ListenAddress {
  host: string;
  port: number;
}

export interface AuthConfig {
  issuer: string | null;
  audience: string | null;
  clientId: string | null;
  authorizedSubs: string[];
}

export interface HubConfig {
  address: ListenAddress;
  dbPath: string;
  webRoot: string;
  socketPath: string | null;
  auth: AuthConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_ADDRESS = '127.0.0.1:8787';

/** apps/web/dist of this checkout. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const dataHome = env.XDG_DATA_HOME?.trim();
  const base = dataHome ? expandHome(dataHome, home) : join(home, '.local', 'share');
  return join(base, 'heph', 'heph.db');
}

/** `~` and `~/x` mean the home directory; launchd passes them unexpanded. */
export function expandHome(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return path;
}

export function parsePath(value: string): string {
  if (value.trim() === '') throw new ConfigError('must be a path, got an empty value');
  if (value.includes('\0')) throw new ConfigError('must not contain a NUL byte');
  return resolve(expandHome(value));
}

/** `host:port`, `[v6]:port`. Port 0 asks the system for a free one. */
export function parseAddress(value: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(value);
  if (!match) throw new ConfigError(`must look like HOST:PORT (e.g. ${DEFAULT_ADDRESS})`);

  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  if (port > 65_535) throw new ConfigError(`port ${port} is out of range (0-65535)`);
  if (match[1] !== undefined && isIP(host) !== 6) {
    throw new ConfigError(`${host} is not an IPv6 address`);
  }
  if (match[2] !== undefined && isIP(host) === 0 && !/^[a-zA-Z0-9.-]+$/.test(host)) {
    throw new ConfigError(`${host} is not a host name or IP address`);
  }
  return { host, port };
}

export function isLoopback(host: string): boolean {
  const name = host.toLowerCase();
  if (name === 'localhost' || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

/** The issuer is kept byte for byte: its trailing slash is part of its identity. */
export function parseIssuer(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError('must be an http(s) URL');
  }
  return value;
}

export function parseNonEmpty(value: string): string {
  if (value.trim() === '') throw new ConfigError('must not be empty');
  return value;
}

/** Commander collector for a repeatable flag. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, parseNonEmpty(value)];
}

export function formatAddress(address: ListenAddress): string {
  const host = isIP(address.host) === 6 ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}
