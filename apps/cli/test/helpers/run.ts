/**
 * Runs the real CLI in-process (runCli with an injected Io), so argument and
 * output tests need no child process. `spawnHeph` runs bin/heph.js for the
 * cases where the process itself matters: exit status, environment, TLS.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/program.ts';
import type { Io } from '../../src/session.ts';

export const HEPH_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/heph.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  now?: () => number;
}

export async function runHeph(
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    env: options.env ?? {},
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => options.stdin ?? '',
    stdinIsTty: false,
    now: options.now ?? (() => Date.now()),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    browser: null,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

export interface SpawnedHeph {
  /** Resolves once stdout has printed text matching the pattern. */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
  done: Promise<RunResult>;
}

export function spawnHeph(
  args: readonly string[],
  options: { env: Record<string, string | undefined>; stdin?: string },
): SpawnedHeph {
  const child = spawn(process.execPath, [HEPH_BIN, ...args], {
    env: options.env as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];

  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const waiter of [...waiters]) {
      const match = stdout.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  child.stdin.end(options.stdin ?? '');

  const done = new Promise<RunResult>((resolve) => {
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });

  return {
    done,
    waitForOutput(pattern) {
      const match = stdout.match(pattern);
      if (match) return Promise.resolve(match);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        done.then((result) =>
          reject(
            new Error(
              `heph exited (${result.code}) before printing ${pattern}:\n${result.stdout}\n${result.stderr}`,
            ),
          ),
        );
      });
    },
  };
}

export async function runHephProcess(
  args: readonly string[],
  options: { env: Record<string, string | undefined>; stdin?: string },
): Promise<RunResult> {
  return spawnHeph(args, options).done;
}

/** A temporary HOME with XDG dirs inside it, so nothing touches the real user's files. */
export function tempHome(): { home: string; env: Record<string, string>; remove(): void } {
  const home = mkdtempSync(join(tmpdir(), 'heph-cli-home-'));
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TZ: 'UTC',
  };
  return { home, env, remove: () => rmSync(home, { recursive: true, force: true }) };
}
