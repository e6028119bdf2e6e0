/**
 * Puts the app on sockets: TCP for everyone (behind auth), and optionally a
 * Unix socket serving /rpc to the owner's own user only.
 *
 * The Unix socket is created under umask 0177, so it is 0600 from its first
 * moment rather than after a chmod race. A socket file left by a hub that
 * died is removed at start; one that still answers is someone else's, and
 * the hub refuses to take it over.
 *
 * Stopping: close the listeners (no new connections), let in-flight requests
 * finish, drop idle keep-alive connections, then close the store.
 */
import { chmodSync, lstatSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { ListenAddress } from './config.ts';

export interface RunningServer {
  /** The port actually bound (differs from the asked one for port 0). */
  port: number;
  /** Stops accepting, waits for in-flight requests (at most `graceMs`), then resolves. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Idle keep-alive connections live longer on the hub than in its clients
 * (undici and browsers drop theirs after 4-5 s, proxies after about 60 s),
 * so it is always the client that closes one and never reuses a socket the
 * hub has just closed under it.
 */
const KEEP_ALIVE_MS = 65_000;

function createHttpServer(app: Hono): Server {
  const server = createServer(getRequestListener(app.fetch));
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  return server;
}

export async function listenTcp(app: Hono, address: ListenAddress): Promise<RunningServer> {
  const server = createHttpServer(app);
  await listen(server, () => server.listen(address.port, address.host));
  const port = (server.address() as AddressInfo).port;
  return { port, stop: (graceMs) => stopServer(server, graceMs) };
}

export async function listenUnix(app: Hono, path: string): Promise<RunningServer> {
  await removeStaleSocket(path);
  const server = createHttpServer(app);

  const previous = process.umask(0o177);
  try {
    await listen(server, () => server.listen(path));
  } finally {
    process.umask(previous);
  }
  chmodSync(path, 0o600);

  return {
    port: 0,
    stop: async (graceMs) => {
      await stopServer(server, graceMs);
      rmSync(path, { force: true });
    },
  };
}

function listen(server: Server, start: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
    start();
  });
}

function stopServer(server: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export class SocketInUseError extends Error {
  override name = 'SocketInUseError';
}

async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw new SocketInUseError(`${path} exists and is not a socket; not touching it`);
  if (await answers(path)) throw new SocketInUseError(`${path} is in use by a running process`);
  rmSync(path, { force: true });
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
