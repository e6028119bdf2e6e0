/**
 * Starts the real hub the way a deployment does: `hephd --mode server` with
 * the command line of the service files (issue 3), on a loopback port with
 * a temporary database and the built PWA as its web root.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { hephdBin, webDist } from './paths.ts';
import { stopProcess } from './process.ts';

export interface HubOptions {
  port: number;
  /** Scratch directory: the default database and XDG_DATA_HOME live here. */
  dir: string;
  /** The database; default DIR/heph.db. */
  db?: string;
  socket?: string;
  issuer?: string;
  audience?: string;
  authorizedSubs?: string[];
}

export interface RunningHub {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function hubArgs(options: HubOptions): string[] {
  const args = [
    '--mode',
    'server',
    '--http-addr',
    `127.0.0.1:${options.port}`,
    '--db',
    options.db ?? join(options.dir, 'heph.db'),
    '--web-root',
    webDist,
  ];
  if (options.issuer) args.push('--oidc-issuer', options.issuer);
  if (options.audience) args.push('--oidc-audience', options.audience);
  for (const sub of options.authorizedSubs ?? []) args.push('--authorized-sub', sub);
  if (options.socket) args.push('--socket', options.socket);
  return args;
}

export function startHub(options: HubOptions): Promise<RunningHub> {
  return startHubWithArgs(hubArgs(options), {
    port: options.port,
    env: { ...process.env, XDG_DATA_HOME: join(options.dir, 'data') },
  });
}

/** Runs hephd with these arguments and waits until it answers on `port`. */
export async function startHubWithArgs(
  args: string[],
  { port, env }: { port: number; env: NodeJS.ProcessEnv },
): Promise<RunningHub> {
  const child = spawn(process.execPath, [hephdBin, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout.on('data', (chunk) => chunks.push(String(chunk)));
  child.stderr.on('data', (chunk) => chunks.push(String(chunk)));
  const output = () => chunks.join('');

  const url = `http://127.0.0.1:${port}`;
  try {
    await untilHealthy(url, child);
  } catch (error) {
    await stopProcess(child);
    throw new Error(`${(error as Error).message}\nhephd said:\n${output()}`);
  }
  return { url, child, output, stop: () => stopProcess(child) };
}

/** Asks /healthz until it answers 200, the hub exits, or 20 s pass. */
async function untilHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hephd exited with ${child.exitCode}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('hephd did not answer /healthz in 20 s');
}
