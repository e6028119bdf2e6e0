/**
 * The process entry: wires the real streams, environment, clock and browser
 * into the CLI and exits with its status.
 */
import { findBrowser, realBrowserHost } from './browser.ts';
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

// A reader that stops early (`heph list | head`) closes the pipe: that ends
// the output, not the run with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

const io: Io = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  stdinIsTty: process.stdin.isTTY === true,
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  browser: findBrowser(realBrowserHost(process.env)),
};

process.exitCode = await runCli(process.argv.slice(2), io);
