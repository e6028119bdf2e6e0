/**
 * Where the CLI keeps its files and which hub it talks to. Everything is
 * computed from an injected environment (never `process.env` directly), so
 * tests run with their own HOME and XDG dirs and nothing touches a real user's.
 *
 * The hub URL is chosen in this order: `--hub-url`, `HEPH_HUB_URL`, `hub_url`
 * in config.toml, then the hub's own default address.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { CliError } from './errors.ts';

export const DEFAULT_HUB_URL = 'http://127.0.0.1:8787';

export type Env = Record<string, string | undefined>;

export interface CliConfig {
  hubUrl?: string;
  /** The issuer the owner expects; login refuses a hub that names another. */
  issuer?: string;
}

export function configDir(env: Env): string {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg?.startsWith('/')) return join(xdg, 'heph');

  const home = env.HOME;
  if (!home) throw new CliError('usage', 'cannot find the config directory: HOME is not set');
  return join(home, '.config', 'heph');
}

export function configFile(env: Env): string {
  return join(configDir(env), 'config.toml');
}

export function defaultTokenFile(env: Env): string {
  return join(configDir(env), 'tokens.json');
}

/** Reads config.toml; a missing file is an empty config, a broken one a usage error. */
export async function loadConfig(file: string): Promise<CliConfig> {
  const text = await readOptional(file);
  if (text === null) return {};

  let table: Record<string, unknown>;
  try {
    table = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    throw new CliError('usage', `${file}: not valid TOML: ${(error as Error).message}`);
  }

  const config: CliConfig = {};
  const hubUrl = table.hub_url;
  const issuer = table.issuer;
  if (hubUrl !== undefined) config.hubUrl = requireString(file, 'hub_url', hubUrl);
  if (issuer !== undefined) config.issuer = requireString(file, 'issuer', issuer);
  return config;
}

/** Sets keys in config.toml, keeping whatever else the owner wrote there. */
export async function updateConfig(file: string, changes: Record<string, string>): Promise<void> {
  const text = await readOptional(file);
  const table = text === null ? {} : (parseToml(text) as Record<string, unknown>);
  Object.assign(table, changes);

  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${stringifyToml(table)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

/**
 * Checks and canonicalizes a hub URL: http or https, no query or fragment, no
 * trailing slash. The result is also the key tokens are stored under.
 */
export function normalizeHubUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError('usage', `not a URL: ${text} (expected http://host:port or https://host)`);
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError('usage', `hub URL must start with http:// or https://, not ${url.protocol}`);
  }
  if (url.search || url.hash) {
    throw new CliError('usage', `hub URL must not carry a query or fragment: ${text}`);
  }
  if (url.username || url.password) {
    throw new CliError('usage', 'hub URL must not carry a user name or password');
  }

  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

export function resolveHubUrl(flag: string | undefined, env: Env, config: CliConfig): string {
  const chosen = flag ?? env.HEPH_HUB_URL ?? config.hubUrl ?? DEFAULT_HUB_URL;
  return normalizeHubUrl(chosen);
}

function requireString(file: string, key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  throw new CliError('usage', `${file}: ${key} must be a string`);
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError('usage', `cannot read ${file}: ${(error as Error).message}`);
  }
}
