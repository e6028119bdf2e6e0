/**
 * The process entry: wires the real streams, environment, clock and browser
 * into the CLI and exits with its status.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runCli } from './program.ts';
import type { Io } from './session.ts';

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

/**
 * A way to open a link, or null when this machine has no browser to show
 * (no display on Linux, an ssh session): then the link is only printed.
 */
function findBrowser(env: NodeJS.ProcessEnv): ((url: string) => Promise<void>) | null {
  const opener =
    env.BROWSER ??
    (process.platform === 'darwin'
      ? 'open'
      : env.DISPLAY || env.WAYLAND_DISPLAY
        ? 'xdg-open'
        : undefined);
  if (!opener || !onPath(opener, env)) return null;

  return async (url) => {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  };
}

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  if (command.includes('/')) return existsSync(command);
  return (env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

const io: Io = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  stdinIsTty: process.stdin.isTTY === true,
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  browser: findBrowser(process.env),
};

process.exitCode = await runCli(process.argv.slice(2), io);
