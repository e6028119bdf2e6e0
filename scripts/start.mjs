#!/usr/bin/env node
/**
 * The README's first command ends here: build the PWA, then start the hub on
 * loopback with its defaults (a SQLite file under ~/.local/share/heph and no
 * sign-in, since no issuer is given). Extra arguments are passed to hephd.
 *
 * The build always runs: turbo replays it from its cache when no source
 * changed, and a build left half-done or older than a `git pull` must never
 * be served as if it were current.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };

const build = spawnSync(
  'npx',
  ['turbo', 'run', 'build', '--filter=@heph/web', '--output-logs=errors-only'],
  { cwd: root, stdio: 'inherit', env },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const hephd = join(root, 'apps/hub/bin/hephd.js');
const args = ['--mode', 'server', ...process.argv.slice(2)];
const hub = spawnSync(process.execPath, [hephd, ...args], { cwd: root, stdio: 'inherit', env });
process.exit(hub.status ?? 1);
