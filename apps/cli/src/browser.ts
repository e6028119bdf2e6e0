/**
 * Opening the login link. Only when a browser can actually appear: $BROWSER
 * when set, `open` on macOS, `xdg-open` on a Linux desktop (DISPLAY or
 * WAYLAND_DISPLAY set). Over ssh or in a container there is none, and the
 * link is only printed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Env } from './config.ts';

export interface BrowserHost {
  env: Env;
  platform: NodeJS.Platform;
  /** True when the file exists (injected so tests need not install anything). */
  exists: (path: string) => boolean;
}

/** The command that would open a URL here, or null when no browser can be shown. */
export function browserCommand(host: BrowserHost): string | null {
  const { env, platform } = host;
  const candidate =
    env.BROWSER ??
    (platform === 'darwin' ? 'open' : env.DISPLAY || env.WAYLAND_DISPLAY ? 'xdg-open' : null);
  if (!candidate) return null;
  return onPath(candidate, host) ? candidate : null;
}

export function findBrowser(host: BrowserHost): ((url: string) => Promise<void>) | null {
  const command = browserCommand(host);
  if (!command) return null;

  return async (url) => {
    const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
    // A browser that fails to start is no failure of the login: the link is printed.
    child.on('error', () => {});
    child.unref();
  };
}

function onPath(command: string, host: BrowserHost): boolean {
  if (command.includes('/')) return host.exists(command);
  const dirs = (host.env.PATH ?? '').split(delimiter).filter(Boolean);
  return dirs.some((dir) => host.exists(join(dir, command)));
}

export const realBrowserHost = (env: Env): BrowserHost => ({
  env,
  platform: process.platform,
  exists: existsSync,
});
