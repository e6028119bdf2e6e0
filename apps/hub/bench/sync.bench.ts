/**
 * Sync throughput over real HTTP: a hephd process on a loopback port takes
 * 100,000 ops in pushes of MAX_OPS_PER_REQUEST and hands them back in pull
 * pages, one request at a time as a spoke sends them. The same run measures
 * better-sqlite3 inserting 100,000 three-column rows in one transaction with
 * the hub's pragmas, the ceiling any SQLite-backed hub works under, and
 * `replica.apply` of the same ops in this process with no HTTP at all (what
 * the hub's store itself manages), and prints each rate beside raw.
 *
 * Request bodies are serialized before the clock starts, so the figures are
 * the hub's (parse, validate, store, answer), not the client's JSON.stringify.
 *
 *   npm run bench -w @heph/hub            (OPS=20000 for a quick run)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_OPS_PER_REQUEST, type Op, PROTOCOL_VERSION, timestampToString } from '@heph/oplog';
import Database from 'better-sqlite3';
import { openHubStore, systemRandomBytes } from '../src/store.ts';

const TOTAL = Number(process.env.OPS ?? 100_000);
const CHUNK = MAX_OPS_PER_REQUEST;
const ORIGIN = 'bench001';
const HEPHD = fileURLToPath(new URL('../bin/hephd.js', import.meta.url));
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function nodeId(n: number): string {
  let tail = '';
  for (let rest = n, i = 0; i < 12; i += 1, rest = Math.floor(rest / 32)) {
    tail = CROCKFORD[rest % 32] + tail;
  }
  return `01JBENCH000000${tail}`;
}

function makeOps(count: number): Op[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, i) => ({
    v: 1,
    clock: timestampToString({ millis: start + i, counter: 0, origin: ORIGIN }),
    node: nodeId(i),
    kind: 'node.create',
    nodeKind: 'task',
    fields: { title: `benchmark task ${i}`, state: 'outstanding' },
  }));
}

function rawInsertRate(dir: string, count: number): number {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL, c TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (a, b, c) VALUES (?, ?, ?)');
  const started = performance.now();
  db.transaction(() => {
    for (let i = 0; i < count; i += 1) insert.run(i, `row ${i}`, nodeId(i));
  })();
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return count / seconds;
}

async function applyRate(dir: string, ops: Op[]): Promise<number> {
  const store = await openHubStore(join(dir, 'direct.db'), {
    now: Date.now,
    randomBytes: systemRandomBytes,
  });
  const started = performance.now();
  for (let i = 0; i < ops.length; i += CHUNK) await store.replica.apply(ops.slice(i, i + CHUNK));
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return ops.length / seconds;
}

function startHub(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [HEPHD, '--http-addr', '127.0.0.1:0', '--db', join(dir, 'hub.db'), '--web-root', dir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const match = /"port":(\d+)/.exec(buffered);
      if (!match) return;
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        url: `http://127.0.0.1:${match[1]}`,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    exited.then(() => reject(new Error('hephd exited before listening')));
  });
}

async function post(url: string, body: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

async function pushAll(url: string, bodies: string[]): Promise<number> {
  const started = performance.now();
  let inserted = 0;
  for (const body of bodies) inserted += Number((await post(`${url}/sync/push`, body)).inserted);
  const seconds = (performance.now() - started) / 1000;
  if (inserted !== TOTAL) throw new Error(`pushed ${TOTAL}, the hub stored ${inserted}`);
  return TOTAL / seconds;
}

async function pullAll(url: string): Promise<number> {
  const started = performance.now();
  let cursor = 0;
  let pulled = 0;
  for (;;) {
    const page = await post(
      `${url}/sync/pull`,
      JSON.stringify({ protocol: PROTOCOL_VERSION, origin: 'reader01', cursor, hubId: null }),
    );
    pulled += (page.ops as unknown[]).length;
    cursor = Number(page.cursor);
    if (!page.more) break;
  }
  const seconds = (performance.now() - started) / 1000;
  if (pulled !== TOTAL) throw new Error(`pulled ${pulled} of ${TOTAL}`);
  return TOTAL / seconds;
}

const format = (rate: number) => `${Math.round(rate).toLocaleString('en-US')} ops/s`;
const ratio = (rate: number, raw: number) => `${((rate / raw) * 100).toFixed(0)}% of raw`;

const dir = mkdtempSync(join(tmpdir(), 'hephd-bench-'));
try {
  const ops = makeOps(TOTAL);
  const bodies: string[] = [];
  for (let i = 0; i < TOTAL; i += CHUNK) {
    bodies.push(
      JSON.stringify({ protocol: PROTOCOL_VERSION, origin: ORIGIN, ops: ops.slice(i, i + CHUNK) }),
    );
  }

  const raw = rawInsertRate(dir, TOTAL);
  const direct = await applyRate(dir, ops);
  const hub = await startHub(dir);
  const push = await pushAll(hub.url, bodies);
  const pull = await pullAll(hub.url);
  await hub.stop();

  console.log(`hephd sync benchmark: ${TOTAL.toLocaleString('en-US')} ops, chunks of ${CHUNK}`);
  console.log(`  raw better-sqlite3 insert (3 columns, one transaction): ${format(raw)}`);
  console.log(`  replica.apply in process, no HTTP: ${format(direct)}  (${ratio(direct, raw)})`);
  console.log(
    `  push over HTTP: ${format(push)}  (${ratio(push, raw)}, ${ratio(push, direct).replace('raw', 'apply')})`,
  );
  console.log(`  pull over HTTP: ${format(pull)}  (${ratio(pull, raw)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
