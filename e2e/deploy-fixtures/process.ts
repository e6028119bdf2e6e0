/**
 * Child-process helpers for the deploy tests: free loopback ports, waiting
 * for a log line (never a sleep), and stopping only the process we started.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

/** A port the kernel just handed out on loopback, released for the caller. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port from listen(0)');
  return address.port;
}

/**
 * Resolves on the first line of the stream that matches; rejects when the
 * process exits first (with what it printed) or after the deadline.
 */
export function waitForLine(
  child: ChildProcess,
  stream: 'stdout' | 'stderr',
  matches: (line: string) => boolean,
  timeoutMs = 20_000,
): Promise<string> {
  const source = child[stream];
  if (!source) return Promise.reject(new Error(`${stream} is not piped`));
  const seen: string[] = [];

  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: source });
    const timer = setTimeout(
      () => finish(new Error(`no matching line in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onExit = (code: number | null) => finish(new Error(`exited with ${code} first`));

    function finish(error: Error | null, line?: string) {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.removeAllListeners('line');
      // Keep draining so a chatty child never blocks on a full pipe.
      source?.resume();
      if (error) reject(new Error(`${error.message}; output:\n${seen.slice(-20).join('\n')}`));
      else resolve(line as string);
    }

    lines.on('line', (line) => {
      seen.push(line);
      if (matches(line)) finish(null, line);
    });
    child.once('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL if it has not exited in five seconds. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
