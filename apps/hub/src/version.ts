/**
 * The hub's version line: `hephd X.Y.Z (shortsha)`. Deployment scripts take
 * the second field as the bare semver, so nothing else may go before it.
 * The short sha comes from HEPHD_GIT_SHA when a build stamps one, else from
 * git in this checkout, else "unknown".
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

export function hubVersion(): string {
  const manifest = JSON.parse(readFileSync(`${packageRoot}package.json`, 'utf8'));
  return String(manifest.version);
}

export function shortSha(env: NodeJS.ProcessEnv = process.env): string {
  const stamped = env.HEPHD_GIT_SHA?.trim();
  if (stamped && /^[0-9a-f]{4,40}$/.test(stamped)) return stamped.slice(0, 7);

  try {
    const sha = execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2_000,
    });
    const text = sha.toString().trim();
    return /^[0-9a-f]{4,40}$/.test(text) ? text : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function versionLine(): string {
  return `hephd ${hubVersion()} (${shortSha()})`;
}
