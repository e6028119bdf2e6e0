/**
 * Where tokens live between runs. Two kinds of store: a JSON file holding one
 * token set per hub URL (0600, in a 0700 directory, replaced atomically), and
 * a pair of shell commands so a password manager can hold the tokens instead
 * (`--token-load-cmd` prints the token JSON, `--token-save-cmd` reads it).
 *
 * Refresh tokens rotate, so a store that cannot save is refused at the first
 * save rather than letting the CLI use a pair it could not keep.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Env } from './config.ts';
import { CliError } from './errors.ts';

/** One hub's tokens, in the OAuth field names so other tools can read them. */
export interface TokenSet {
  access_token: string;
  refresh_token: string | null;
  token_type: string;
  /** Epoch ms after which the access token is refused; null when the issuer gave no lifetime. */
  expires_at: number | null;
  /** Epoch ms when the token was obtained. */
  obtained_at: number;
  scope: string | null;
  /** Subject and issuer read from the access token, for `heph auth status`. */
  sub: string | null;
  issuer: string | null;
}

export interface TokenStore {
  /** Said in messages: "the token file ~/.config/heph/tokens.json". */
  readonly description: string;
  load(): Promise<TokenSet | null>;
  /** Saves a token set, or forgets the hub's tokens when given null. */
  save(tokens: TokenSet | null): Promise<void>;
  /** Runs `work` while no other heph process can refresh through this store. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

interface TokenFile {
  hubs: Record<string, TokenSet>;
}

export function createFileTokenStore(file: string, hubUrl: string): TokenStore {
  return {
    description: `the token file ${file}`,

    async load() {
      const contents = await readTokenFile(file);
      return contents.hubs[hubUrl] ?? null;
    },

    async save(tokens) {
      const contents = await readTokenFile(file);
      if (tokens) contents.hubs[hubUrl] = tokens;
      else delete contents.hubs[hubUrl];
      await writeTokenFile(file, contents);
    },

    exclusive: (work) => withLockFile(`${file}.lock`, work),
  };
}

export interface CommandStoreOptions {
  loadCommand: string | undefined;
  saveCommand: string | undefined;
  hubUrl: string;
  env: Env;
}

/** Runs the commands through /bin/sh with HEPH_HUB_URL set, so one script can serve several hubs. */
export function createCommandTokenStore(options: CommandStoreOptions): TokenStore {
  const env = { ...options.env, HEPH_HUB_URL: options.hubUrl };

  return {
    description: 'the token commands',

    async load() {
      if (!options.loadCommand) return null;
      const output = await runShell(options.loadCommand, '', env, '--token-load-cmd');
      const text = output.trim();
      if (text === '' || text === 'null') return null;
      return parseTokenSet(text, 'the output of --token-load-cmd');
    },

    async save(tokens) {
      if (!options.saveCommand) {
        throw new CliError('usage', 'new tokens cannot be kept: give --token-save-cmd as well');
      }
      await runShell(options.saveCommand, `${JSON.stringify(tokens)}\n`, env, '--token-save-cmd');
    },

    // The commands' holder (a password manager) is outside heph's reach; no lock to take.
    exclusive: (work) => work(),
  };
}

/** Checks the shape of a token set read from outside; anything else is an auth failure. */
export function parseTokenSet(text: string, source: string): TokenSet {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError('auth', `${source} is not JSON`);
  }
  if (!isTokenSet(value)) {
    throw new CliError('auth', `${source} is not a heph token set (needs access_token)`);
  }
  return normalizeTokenSet(value);
}

function isTokenSet(value: unknown): value is Partial<TokenSet> & { access_token: string } {
  if (typeof value !== 'object' || value === null) return false;
  return typeof (value as { access_token?: unknown }).access_token === 'string';
}

function normalizeTokenSet(value: Partial<TokenSet> & { access_token: string }): TokenSet {
  return {
    access_token: value.access_token,
    refresh_token: typeof value.refresh_token === 'string' ? value.refresh_token : null,
    token_type: typeof value.token_type === 'string' ? value.token_type : 'bearer',
    expires_at: typeof value.expires_at === 'number' ? value.expires_at : null,
    obtained_at: typeof value.obtained_at === 'number' ? value.obtained_at : 0,
    scope: typeof value.scope === 'string' ? value.scope : null,
    sub: typeof value.sub === 'string' ? value.sub : null,
    issuer: typeof value.issuer === 'string' ? value.issuer : null,
  };
}

/** How long to wait for another heph process's refresh before giving up. */
const LOCK_WAIT_MS = 40_000;
const LOCK_RETRY_MS = 50;

/**
 * A lock file beside the token file, holding the owner's pid. Created with
 * O_EXCL; a lock whose process is gone is taken over at once. The takeover
 * itself runs under a second O_EXCL file (`.takeover`) and checks again that
 * the lock is still the abandoned one, so two waiters that both saw it
 * abandoned cannot each remove it and both go on: the second finds the
 * first one's live lock.
 */
async function withLockFile<T>(lock: string, work: () => Promise<T>): Promise<T> {
  await mkdir(dirname(lock), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + LOCK_WAIT_MS;

  for (;;) {
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CliError('auth', `cannot create ${lock}: ${(error as Error).message}`);
      }
    }

    if ((await isAbandoned(lock)) && (await takeOver(lock))) continue;
    if (Date.now() > deadline) {
      throw new CliError(
        'auth',
        `another heph process holds ${lock}; remove it if none is running`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
  }

  try {
    return await work();
  } finally {
    await rm(lock, { force: true });
  }
}

/**
 * Removes `lock` only if it is still abandoned, with no other waiter doing
 * the same; false when another waiter holds the takeover guard.
 */
async function takeOver(lock: string): Promise<boolean> {
  const guard = `${lock}.takeover`;
  try {
    await writeFile(guard, String(process.pid), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another waiter is taking over; a guard left by a process that died
    // mid-takeover is cleared so the next round can try again.
    if (await isAbandoned(guard)) await rm(guard, { force: true });
    return false;
  }
  try {
    if (await isAbandoned(lock)) await rm(lock, { force: true });
    return true;
  } finally {
    await rm(guard, { force: true });
  }
}

async function isAbandoned(lock: string): Promise<boolean> {
  const pid = Number(await readFile(lock, 'utf8').catch(() => ''));
  // An empty file is a lock being written this instant: not abandoned.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function readTokenFile(file: string): Promise<TokenFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { hubs: {} };
    throw new CliError('auth', `cannot read ${file}: ${(error as Error).message}`);
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError('auth', `${file} is not JSON; delete it and log in again`);
  }
  const hubs = (value as { hubs?: unknown } | null)?.hubs;
  if (typeof hubs !== 'object' || hubs === null) {
    throw new CliError('auth', `${file} is not a heph token file; delete it and log in again`);
  }

  const valid: Record<string, TokenSet> = {};
  for (const [hubUrl, tokens] of Object.entries(hubs)) {
    if (isTokenSet(tokens)) valid[hubUrl] = normalizeTokenSet(tokens);
  }
  return { hubs: valid };
}

async function writeTokenFile(file: string, contents: TokenFile): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });

  // Write beside the file and rename, so a crash never leaves half a file,
  // and create it 0600 so the tokens are never readable by others, even briefly.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}

function runShell(command: string, input: string, env: Env, flag: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => reject(new CliError('auth', `${flag} failed: ${error.message}`)));
    child.on('close', (status) => {
      if (status === 0) return resolve(Buffer.concat(stdout).toString('utf8'));
      const said = Buffer.concat(stderr).toString('utf8').trim();
      const detail = said ? `: ${said}` : '';
      reject(new CliError('auth', `${flag} exited with status ${status}${detail}`));
    });
    // A command that does not read its input must not fail the run with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
