/**
 * The browser, the TLS proxy and the few commands the tests drive are Debian
 * packages, not npm ones: Playwright cannot download its own browser here.
 * Install them with apt-get when they are missing and we are root; otherwise
 * say what to run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const tools = [
  { path: '/usr/bin/chromium', pkg: 'chromium' },
  { path: '/usr/bin/caddy', pkg: 'caddy' },
  // The operations guide's tested commands, the CLI's TLS test and the
  // service-file check.
  { path: '/usr/bin/curl', pkg: 'curl' },
  { path: '/usr/bin/jq', pkg: 'jq' },
  { path: '/usr/bin/openssl', pkg: 'openssl' },
  { path: '/usr/bin/systemd-analyze', pkg: 'systemd' },
];

export function ensureSystemTools() {
  const missing = tools.filter((tool) => !existsSync(tool.path)).map((tool) => tool.pkg);
  if (missing.length === 0) return;

  if (process.getuid?.() !== 0) {
    console.error(
      `missing ${missing.join(', ')}: run  sudo apt-get install -y ${missing.join(' ')}`,
    );
    return;
  }
  console.log(`installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '-q', ...missing], { stdio: 'inherit', env });
}
