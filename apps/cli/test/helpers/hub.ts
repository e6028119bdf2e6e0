/**
 * A real hephd process for the integration tests, spawned from the hub's
 * bin/hephd.js on a free port (port 0), with the port read from its
 * "hephd listening" log line. Stopped with SIGTERM by the test that started it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HEPHD = fileURLToPath(new URL('../../../hub/bin/hephd.js', import.meta.url));

export interface HubProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface HubOptions {
  db: string;
  issuer?: string;
  audience?: string;
  socket?: string;
}

export function startHub(options: HubOptions): Promise<HubProcess> {
  const args = ['--mode', 'server', '--http-addr', '127.0.0.1:0', '--db', options.db];
  if (options.issuer)
    args.push('--oidc-issuer', options.issuer, '--oidc-audience', options.audience ?? 'heph');
  if (options.socket) args.push('--socket', options.socket);

  const child: ChildProcess = spawn(process.execPath, [HEPHD, ...args], {
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let pending = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const entry = parseLine(line);
        if (entry?.msg !== 'hephd listening') continue;
        const port = Number(entry.port);
        resolve({
          url: `http://127.0.0.1:${port}`,
          port,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    exited.then(() => reject(new Error(`hephd exited before listening:\n${stderr}`)));
  });
}

function parseLine(line: string): Record<string, unknown> | null {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export interface TlsProxy {
  url: string;
  /** The self-signed certificate (PEM) the proxy presents, for NODE_EXTRA_CA_CERTS or --ca-file. */
  certFile: string;
  stop(): Promise<void>;
}

/**
 * An https front for a hub, as Caddy would be: a certificate for 127.0.0.1
 * made with openssl at test time, and every request passed on to the hub.
 */
export async function startTlsProxy(target: string, dir: string): Promise<TlsProxy> {
  const keyFile = join(dir, 'proxy-key.pem');
  const certFile = join(dir, 'proxy-cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );

  const upstream = new URL(target);
  const server: Server = createHttpsServer(
    { key: readFileSync(keyFile), cert: readFileSync(certFile) },
    (incoming, outgoing) => {
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: upstream.host, 'x-forwarded-proto': 'https' },
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => {
        outgoing.writeHead(502);
        outgoing.end();
      });
      incoming.pipe(forwarded);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    certFile,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port that was free a moment ago and has nothing listening on it now. */
export async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
