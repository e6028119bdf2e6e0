/**
 * Real hephd processes for the tests that need one (crash safety, restore,
 * the launchd command line, signals): spawned from bin/hephd.js, with the
 * port read from the "hephd listening" log line, never guessed.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const HEPHD = fileURLToPath(new URL('../bin/hephd.js', import.meta.url));

export interface HephdProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Every log line so far, parsed. */
  lines: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the first log line (past or future) whose msg is `msg`. */
  waitForLine(msg: string): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runHephd(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [HEPHD, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function startHephd(args: string[], env: NodeJS.ProcessEnv = {}): Promise<HephdProcess> {
  const child = spawn(process.execPath, [HEPHD, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  const waitForLine = (msg: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const seen = lines.find((line) => line.msg === msg);
      if (seen) resolve(seen);
      else waiters.push({ msg, resolve });
    });
  let stderr = '';
  let pending = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) {
        if (!part.trim()) continue;
        const line = JSON.parse(part) as Record<string, unknown>;
        lines.push(line);
        for (const waiter of waiters.filter((w) => w.msg === line.msg)) waiter.resolve(line);
        if (line.msg === 'hephd listening') {
          const port = Number(line.port);
          resolve({
            child,
            port,
            url: `http://127.0.0.1:${port}`,
            lines,
            stderr: () => stderr,
            waitForLine,
            exited,
          });
        }
      }
    });
    exited.then(({ code, signal }) =>
      reject(new Error(`hephd exited (${code ?? signal}) before listening:\n${stderr}`)),
    );
  });
}

export async function stopHephd(hub: HephdProcess, signal: NodeJS.Signals = 'SIGTERM') {
  hub.child.kill(signal);
  return hub.exited;
}

/** runHephd without blocking the event loop (for tests that keep connections open). */
export function execHephd(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [HEPHD, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (status) => resolve({ status, stdout, stderr })),
  );
}
