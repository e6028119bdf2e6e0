/**
 * Shared test fixtures: a seeded random source, a fake clock, a hub built
 * in-process over a real SQLite file, ops made by hand, and a dump of a
 * store for "nothing changed" checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIdFactory, type Op, PROTOCOL_VERSION, timestampToString } from '@heph/oplog';
import Database from 'better-sqlite3';
import type { Hono } from 'hono';
import { createHubApp, createSocketApp, type HubAppOptions } from '../src/app.ts';
import { createAuthMount } from '../src/auth-mount.ts';
import type { AuthConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { type HubStore, openHubStore } from '../src/store.ts';

export const NO_AUTH: AuthConfig = {
  issuer: null,
  audience: null,
  clientId: null,
  authorizedSubs: [],
};

/** mulberry32: small, fast and good enough to seed origins and ids. */
export function seededRandomBytes(seed: number): (length: number) => Uint8Array {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (length) => Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

export interface FakeClock {
  now: () => number;
  advance(ms: number): void;
}

export function fakeClock(start = Date.UTC(2026, 11, 4, 9, 0, 0)): FakeClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

export function tempDir(prefix = 'hephd-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestHub {
  app: Hono;
  socketApp: Hono;
  store: HubStore;
  clock: FakeClock;
  logLines: () => Record<string, unknown>[];
  close(): Promise<void>;
}

export async function createTestHub(options: {
  dbPath: string;
  webRoot?: string;
  seed?: number;
  maxBodyBytes?: number;
}): Promise<TestHub> {
  const clock = fakeClock();
  const randomBytes = seededRandomBytes(options.seed ?? 1);
  const store = await openHubStore(options.dbPath, { now: clock.now, randomBytes });
  const lines: string[] = [];
  const logger = createLogger({ write: (line: string) => lines.push(line) });
  let requestCount = 0;

  const appOptions: HubAppOptions = {
    hub: { replica: store.replica, hubId: store.hubId, now: clock.now },
    auth: await createAuthMount(NO_AUTH),
    authConfig: NO_AUTH,
    webRoot: options.webRoot ?? join(options.dbPath, '..', 'no-web-root'),
    logger,
    version: '0.0.0-test',
    timeZone: 'Europe/Berlin',
    newId: createIdFactory(clock.now, seededRandomBytes((options.seed ?? 1) + 1000)),
    newRequestId: () => {
      requestCount += 1;
      return `req-${requestCount}`;
    },
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
  };
  return {
    app: createHubApp(appOptions),
    socketApp: createSocketApp(appOptions),
    store,
    clock,
    logLines: () => lines.map((line) => JSON.parse(line)),
    close: () => store.close(),
  };
}

/** A valid ULID for test node `n` (Crockford base 32, first char 0). */
export function nodeId(n: number): string {
  const digits = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let text = '';
  let rest = n;
  for (let i = 0; i < 10; i += 1) {
    text = digits[rest % 32] + text;
    rest = Math.floor(rest / 32);
  }
  return `01JTEST0AA${text}ZZZZZZ`.slice(0, 26);
}

export function clockOf(origin: string, millis: number, counter = 0): string {
  return timestampToString({ millis, counter, origin });
}

/** A `node.create` for a task, the op most tests need. */
export function taskCreate(origin: string, n: number, millis = 1_780_000_000_000 + n): Op {
  return {
    v: 1,
    clock: clockOf(origin, millis),
    node: nodeId(n),
    kind: 'node.create',
    nodeKind: 'task',
    fields: { title: `task ${n}` },
  };
}

export function manyTaskCreates(origin: string, count: number, first = 0): Op[] {
  return Array.from({ length: count }, (_, i) => taskCreate(origin, first + i));
}

export function pushBody(origin: string, ops: unknown[], protocol = PROTOCOL_VERSION) {
  return { protocol, origin, ops };
}

export function pullBody(
  origin: string,
  cursor: number,
  hubId: string | null,
  extra: Record<string, unknown> = {},
) {
  return { protocol: PROTOCOL_VERSION, origin, cursor, hubId, ...extra };
}

export async function postJson(app: Hono, path: string, body: unknown): Promise<Response> {
  return app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Every op row and meta row of a store file, for "nothing changed" checks. */
export function dumpStore(dbPath: string): { ops: unknown[]; nodes: unknown[] } {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return {
      ops: db.prepare('SELECT seq, clock, origin, kind, node, body FROM ops ORDER BY seq').all(),
      nodes: db.prepare('SELECT * FROM nodes ORDER BY id').all(),
    };
  } finally {
    db.close();
  }
}

/** The parts of an error answer tests look at; success bodies are read as records. */
export interface Answer {
  [key: string]: unknown;
  hubId: string;
  error: { code: string; message: string; data: Record<string, unknown> };
}

export async function answerOf(response: Response): Promise<Answer> {
  return (await response.json()) as Answer;
}

export interface RpcAnswer {
  jsonrpc: '2.0';
  id: string | number | null;
  // biome-ignore lint/suspicious/noExplicitAny: results differ per method; tests read them by path
  result?: any;
  error?: { code: number; message: string; data: Record<string, unknown> & { code: string } };
}

let rpcId = 0;

/** One JSON-RPC call; returns the HTTP status and the parsed answer. */
export async function rpc(app: Hono, method: string, params?: unknown) {
  rpcId += 1;
  const body = { jsonrpc: '2.0', id: rpcId, method, ...(params === undefined ? {} : { params }) };
  const response = await postJson(app, '/rpc', body);
  return { status: response.status, answer: (await response.json()) as RpcAnswer };
}
