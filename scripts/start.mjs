#!/usr/bin/env node
/**
 * The README's first command ends here: build the PWA when it has not been
 * built, then start the hub on loopback with its defaults (a SQLite file
 * under ~/.local/share/heph and dev sign-in, since no issuer is given).
 * Extra arguments are passed to hephd.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };

if (!existsSync(join(root, 'apps/web/dist/index.html'))) {
  const build = spawnSync('npx', ['turbo', 'run', 'build', '--filter=@heph/web'], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const hephd = join(root, 'apps/hub/bin/hephd.js');
const args = ['--mode', 'server', ...process.argv.slice(2)];
const hub = spawnSync(process.execPath, [hephd, ...args], { cwd: root, stdio: 'inherit', env });
process.exit(hub.status ?? 1);
