/**
 * The command blocks of docs/operations.md that are marked
 * `<!-- tested: NAME -->`, read out of the guide so a test runs exactly the
 * text a reader copies, not a paraphrase of it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

export const guidePath = join(repoRoot, 'docs/operations.md');

/** NAME -> the shell text of the ```sh block right after its marker. */
export function testedBlocks(text = readFileSync(guidePath, 'utf8')): Map<string, string> {
  const blocks = new Map<string, string>();
  const pattern = /<!-- tested: ([a-z-]+) -->\n```sh\n([\s\S]*?)\n```/g;
  for (const match of text.matchAll(pattern)) {
    const [, name, body] = match as unknown as [string, string, string];
    if (blocks.has(name)) throw new Error(`two guide blocks are named ${name}`);
    blocks.set(name, body);
  }
  return blocks;
}

export interface BlockResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one block in bash with -e and pipefail, from $HOME, as a reader would.
 * Asynchronous on purpose: the issuer and hub the block talks to may live in
 * this very process, and a synchronous spawn would stop them answering.
 */
export function runBlock(body: string, env: NodeJS.ProcessEnv): Promise<BlockResult> {
  // --norc: bash reads bashrc when its stdin looks like a remote shell's.
  const child = spawn('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', body], {
    cwd: env.HOME,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
