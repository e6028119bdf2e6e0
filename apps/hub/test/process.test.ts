/**
 * Tests against a real hephd process: crash safety under SIGKILL, restoring
 * a backup while spokes keep syncing, and a clean stop on SIGTERM.
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { createIdFactory, type Op, openReplica, PROTOCOL_VERSION, type Replica } from '@heph/oplog';
import { openBetterSqlite } from '@heph/oplog/better-sqlite3';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manyTaskCreates, seededRandomBytes, tempDir } from './helpers.ts';
import { execHephd, type HephdProcess, startHephd, stopHephd } from './process.ts';
import { syncSpoke } from './spoke.ts';

let dir: ReturnType<typeof tempDir>;
const running: HephdProcess[] = [];
const replicas: Replica[] = [];

beforeEach(() => {
  dir = tempDir();
});

afterEach(async () => {
  for (const hub of running.splice(0)) {
    if (hub.child.exitCode === null && hub.child.signalCode === null)
      await stopHephd(hub, 'SIGKILL');
  }
  for (const replica of replicas.splice(0)) await replica.close();
  dir.remove();
});

async function start(dbPath: string): Promise<HephdProcess> {
  const hub = await startHephd([
    '--http-addr',
    '127.0.0.1:0',
    '--db',
    dbPath,
    '--web-root',
    dir.path,
  ]);
  running.push(hub);
  return hub;
}

function pushRaw(hub: HephdProcess, ops: Op[]) {
  return fetch(`${hub.url}/sync/push`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ protocol: PROTOCOL_VERSION, origin: 'crash01', ops }),
  });
}

function storedClocks(dbPath: string): { seqs: number[]; clocks: string[] } {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    const rows = db.prepare('SELECT seq, clock FROM ops ORDER BY seq').all() as {
      seq: number;
      clock: string;
    }[];
    return { seqs: rows.map((row) => row.seq), clocks: rows.map((row) => row.clock) };
  } finally {
    db.close();
  }
}

/** Sends a push and SIGKILLs the hub as soon as the whole body has left. */
function pushAndKill(hub: HephdProcess, ops: Op[]): Promise<void> {
  const body = JSON.stringify({ protocol: PROTOCOL_VERSION, origin: 'crash01', ops });
  return new Promise((resolve) => {
    const req = request(`${hub.url}/sync/push`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    req.on('error', () => resolve());
    req.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve());
      response.on('error', () => resolve());
    });
    req.end(body, () => hub.child.kill('SIGKILL'));
  });
}

async function openSpoke(name: string, seed: number): Promise<Replica> {
  let time = Date.UTC(2026, 11, 4, 10, 0, 0) + seed * 1_000;
  const replica = await openReplica({
    executor: openBetterSqlite(join(dir.path, `${name}.db`)),
    now: () => (time += 1),
    randomBytes: seededRandomBytes(seed),
  });
  replicas.push(replica);
  idFactories.set(
    replica,
    createIdFactory(() => time, seededRandomBytes(seed + 1)),
  );
  return replica;
}

const idFactories = new Map<Replica, () => string>();

async function addTasks(replica: Replica, count: number, label: string): Promise<void> {
  const newId = idFactories.get(replica);
  if (!newId) throw new Error('not a spoke of this test');
  for (let i = 0; i < count; i += 1) {
    await replica.commit([
      { kind: 'node.create', node: newId(), nodeKind: 'task', fields: { title: `${label} ${i}` } },
    ]);
  }
}

async function allClocks(replica: Replica): Promise<string[]> {
  const page = await replica.opsAfter(0, { limit: 100_000 });
  return page.items.map((item) => item.op.clock).sort();
}

describe('crash safety', () => {
  it('[SYNC-14] a hub killed mid-push loses no op and duplicates none when the push is retried', async () => {
    const dbPath = join(dir.path, 'hub.db');
    const chunks = [0, 1, 2].map((i) => manyTaskCreates('crash01', 5_000, i * 5_000));
    const first = await start(dbPath);
    expect((await pushRaw(first, chunks[0] ?? [])).status).toBe(200);

    await pushAndKill(first, chunks[1] ?? []);
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');

    const second = await start(dbPath);
    const retried = await pushRaw(second, chunks[1] ?? []);
    const last = await pushRaw(second, chunks[2] ?? []);
    expect([retried.status, last.status]).toEqual([200, 200]);
    await stopHephd(second);

    const stored = storedClocks(dbPath);
    const expected = chunks.flat().map((op) => op.clock);
    expect(stored.clocks.slice().sort()).toEqual(expected.slice().sort());
    expect(new Set(stored.seqs).size).toBe(stored.seqs.length);
    expect(new Set(stored.clocks).size).toBe(expected.length);
  }, 60_000);
});

describe('restore', () => {
  it('[SYNC-13] spokes of a hub restored from an older backup re-send and reconverge with nothing lost', async () => {
    const dbPath = join(dir.path, 'hub.db');
    const backupPath = join(dir.path, 'backup.db');
    const alice = await openSpoke('alice', 11);
    const bob = await openSpoke('bob', 22);
    let hub = await start(dbPath);

    await addTasks(alice, 30, 'a');
    await addTasks(bob, 20, 'b');
    await syncSpoke(alice, hub.url);
    await syncSpoke(bob, hub.url);
    await syncSpoke(alice, hub.url);

    const backup = await execHephd(['backup', '--db', dbPath, '--out', backupPath]);
    expect(backup.status, backup.stderr).toBe(0);

    await addTasks(alice, 15, 'c');
    const viaRpc = await fetch(`${hub.url}/rpc`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'task.create',
        params: { title: 'made on the hub after the backup' },
      }),
    });
    expect(viaRpc.status).toBe(200);
    await syncSpoke(alice, hub.url);
    await syncSpoke(bob, hub.url);
    await addTasks(bob, 5, 'd');
    await syncSpoke(bob, hub.url);
    const beforeRestore = await allClocks(bob);

    await stopHephd(hub);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
    renameSync(backupPath, dbPath);
    hub = await start(dbPath);

    const aliceSync = await syncSpoke(alice, hub.url);
    const bobSync = await syncSpoke(bob, hub.url);
    await syncSpoke(alice, hub.url);
    await stopHephd(hub);

    expect(aliceSync.resets).toBe(1);
    expect(bobSync.resets).toBe(1);
    const hubReplica = await openReplica({
      executor: openBetterSqlite(dbPath),
      now: () => Date.UTC(2026, 11, 4, 12),
      randomBytes: seededRandomBytes(99),
    });
    replicas.push(hubReplica);
    const hubClocks = await allClocks(hubReplica);
    expect(beforeRestore.length).toBeGreaterThan(70);
    expect(await allClocks(alice)).toEqual(beforeRestore);
    expect(await allClocks(bob)).toEqual(beforeRestore);
    expect(hubClocks).toEqual(beforeRestore);
  }, 60_000);
});

describe('stopping', () => {
  it('[HUB-OPS-1] SIGTERM lets an in-flight push finish, then exits 0 with the database closed', async () => {
    const dbPath = join(dir.path, 'hub.db');
    const hub = await start(dbPath);
    const body = JSON.stringify({
      protocol: PROTOCOL_VERSION,
      origin: 'term01',
      ops: manyTaskCreates('term01', 5_000),
    });

    // Expect: 100-continue tells us the hub has parsed the headers, so the
    // request is in flight before the signal; the body follows only after
    // the hub has logged that it is stopping.
    const req = request(`${hub.url}/sync/push`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        Expect: '100-continue',
      },
    });
    const answered = new Promise<number>((resolve, reject) => {
      req.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on('error', reject);
    });
    await new Promise<void>((resolve) => req.on('continue', () => resolve()));
    hub.child.kill('SIGTERM');
    await hub.waitForLine('stopping: finishing in-flight requests');
    req.end(body);

    expect(await answered).toBe(200);
    const exit = await hub.exited;
    expect(exit.code).toBe(0);
    expect(hub.lines.map((line) => line.msg)).toContain('stopped; database closed');
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    expect(storedClocks(dbPath).clocks).toHaveLength(5_000);
  }, 30_000);
});

describe('file modes', () => {
  it('[HUB-STORE-1] hephd makes its data directory 0700 and the db, WAL and SHM 0600', async () => {
    const dataDir = join(dir.path, 'share', 'heph');
    const dbPath = join(dataDir, 'heph.db');
    const hub = await start(dbPath);
    const pushed = await pushRaw(hub, manyTaskCreates('crash01', 2));
    expect(pushed.status).toBe(200);

    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
    }
  });

  it('[HUB-STORE-1] hephd backup writes a private snapshot in a private directory', async () => {
    const live = join(dir.path, 'live.db');
    const out = join(dir.path, 'backups', 'one.db');
    await stopHephd(await start(live));

    const result = await execHephd(['backup', '--db', live, '--out', out]);

    expect(result.status, result.stderr).toBe(0);
    expect(statSync(join(dir.path, 'backups')).mode & 0o777).toBe(0o700);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});
