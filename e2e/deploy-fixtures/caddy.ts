/**
 * Runs the real Caddy (Debian's /usr/bin/caddy) with deploy/caddy/Caddyfile
 * in local mode: Caddy's internal CA, loopback only, no admin endpoint, the
 * root never installed anywhere. Caddy writes its CA into a temporary data
 * directory (HOME and XDG_DATA_HOME point there), so tests can trust exactly
 * that root and nothing on the machine changes.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';
import { stopProcess, waitForLine } from './process.ts';

export const caddyBinary = '/usr/bin/caddy';
export const caddyfile = join(repoRoot, 'deploy/caddy/Caddyfile');

export interface CaddyEnv {
  domain: string;
  upstream: string;
  /** Temporary home for Caddy's data (its CA) and config. */
  home: string;
}

/** The environment deploy/caddy/Caddyfile reads, for local mode. */
export function caddyEnv({ domain, upstream, home }: CaddyEnv): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    HEPH_CADDY_MODE: 'local',
    HEPH_DOMAIN: domain,
    HEPH_UPSTREAM: upstream,
  };
}

/** Runs a one-shot caddy command (validate, adapt) against the Caddyfile. */
export function caddyCommand(args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(
    caddyBinary,
    [...args, '--config', caddyfile, '--adapter', 'caddyfile'],
    {
      env,
      encoding: 'utf8',
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface RunningCaddy {
  origin: string;
  /** PEM of Caddy's internal root and intermediate, to trust in clients. */
  rootPem: string;
  intermediatePem: string;
  /**
   * base64 SHA-256 of the SPKI of the root and the intermediate, for
   * Chromium's --ignore-certificate-errors-spki-list. Chromium matches the
   * chain the server sends (leaf and intermediate, not the root), so the
   * intermediate's hash is the one that takes effect; measured: the root's
   * alone gives ERR_CERT_AUTHORITY_INVALID, and ignoreHTTPSErrors loads the
   * page but refuses the service worker ("SSL certificate error").
   */
  spkiHashes: string[];
  stop(): Promise<void>;
}

export async function startCaddy(options: CaddyEnv & { port: number }): Promise<RunningCaddy> {
  const env = caddyEnv(options);
  const child: ChildProcess = spawn(
    caddyBinary,
    ['run', '--config', caddyfile, '--adapter', 'caddyfile'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );

  // Caddy logs JSON to stderr; this line comes once the site is listening
  // and its internal certificate has been issued.
  try {
    await waitForLine(child, 'stderr', (line) => line.includes('serving initial configuration'));
  } catch (error) {
    await stopProcess(child);
    throw error;
  }

  const pki = join(env.XDG_DATA_HOME as string, 'caddy/pki/authorities/local');
  const rootPem = readFileSync(join(pki, 'root.crt'), 'utf8');
  const intermediatePem = readFileSync(join(pki, 'intermediate.crt'), 'utf8');

  return {
    origin: `https://${options.domain}`,
    rootPem,
    intermediatePem,
    spkiHashes: [spkiHash(rootPem), spkiHash(intermediatePem)],
    stop: () => stopProcess(child),
  };
}

/** What Chromium's --ignore-certificate-errors-spki-list expects for a cert. */
export function spkiHash(pem: string): string {
  const der = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}
