/**
 * `hephd seed` and `hephd backup`: copies through SQLite's backup API that
 * keep the owner and every op, get a new origin and hub id, and never leave
 * a bad or partial file behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openReplica } from '@heph/oplog';
import { openBetterSqlite } from '@heph/oplog/better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupStore } from '../src/copy.ts';
import { openHubStore } from '../src/store.ts';
import { dumpStore, fakeClock, manyTaskCreates, seededRandomBytes, tempDir } from './helpers.ts';
import { HEPHD, runHephd } from './process.ts';

let dir: ReturnType<typeof tempDir>;

beforeEach(() => {
  dir = tempDir();
});

afterEach(() => {
  dir.remove();
});

async function makeDeviceStore(path: string, opCount: number) {
  const clock = fakeClock();
  const replica = await openReplica({
    executor: openBetterSqlite(path),
    now: clock.now,
    randomBytes: seededRandomBytes(5),
  });
  await replica.apply(manyTaskCreates('dev00001', opCount));
  const identity = { origin: replica.origin, ownerId: replica.ownerId };
  await replica.close();
  return identity;
}

async function identityOf(path: string) {
  const store = await openHubStore(path, { now: Date.now, randomBytes: seededRandomBytes(9) });
  try {
    const replica = store.replica;
    return { origin: replica.origin, ownerId: replica.ownerId, hubId: store.hubId };
  } finally {
    await store.close();
  }
}

describe('hephd seed', () => {
  it('[SYNC-7] seed --from copies every op and the owner, with a new origin and hub id', async () => {
    const device = join(dir.path, 'device.db');
    const hub = join(dir.path, 'hub', 'heph.db');
    const source = await makeDeviceStore(device, 40);

    const result = runHephd(['seed', '--from', device, '--db', hub]);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`owner id: ${source.ownerId}`);
    const copy = await identityOf(hub);
    expect(copy.ownerId).toBe(source.ownerId);
    expect(copy.origin).not.toBe(source.origin);
    expect(dumpStore(hub).ops).toEqual(dumpStore(device).ops);
  });

  it('[SYNC-7] seed --owner-id makes an empty hub that adopts the owner', async () => {
    const hub = join(dir.path, 'hub.db');

    const result = runHephd(['seed', '--owner-id', '01J0WNER0000000000000000AA', '--db', hub]);

    expect(result.status, result.stderr).toBe(0);
    expect((await identityOf(hub)).ownerId).toBe('01J0WNER0000000000000000AA');
    expect(dumpStore(hub).ops).toEqual([]);
  });

  it('[SYNC-7] seed refuses to overwrite an existing store', async () => {
    const device = join(dir.path, 'device.db');
    const hub = join(dir.path, 'hub.db');
    await makeDeviceStore(device, 1);
    await makeDeviceStore(hub, 2);

    const result = runHephd(['seed', '--from', device, '--db', hub]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/exists already/);
    expect(dumpStore(hub).ops).toHaveLength(2);
  });
});

describe('hephd backup', () => {
  it('[SYNC-7] a backup of a live store holds every op, passes integrity_check and has a new hub id', async () => {
    const live = join(dir.path, 'hub.db');
    const out = join(dir.path, 'backups', 'one.db');
    const store = await openHubStore(live, { now: Date.now, randomBytes: seededRandomBytes(3) });
    await store.replica.apply(manyTaskCreates('dev00001', 100));

    // The hub stays open (and in WAL mode) while the backup runs.
    const summary = await backupStore(live, out, {
      now: Date.now,
      randomBytes: seededRandomBytes(4),
    });
    const liveHubId = store.hubId;
    const liveOrigin = store.replica.origin;
    await store.close();

    expect(summary.lastSeq).toBe(100);
    expect(summary.hubId).not.toBe(liveHubId);
    expect(summary.origin).not.toBe(liveOrigin);
    expect(dumpStore(out).ops).toEqual(dumpStore(live).ops);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('[SYNC-7] hephd backup prints what it wrote and exits 0', async () => {
    const live = join(dir.path, 'hub.db');
    await makeDeviceStore(live, 3);

    const result = runHephd(['backup', '--db', live, '--out', join(dir.path, 'b.db')]);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/integrity_check: ok/);
    expect(result.stdout).toMatch(/ops: +3/);
  });

  it.each([
    ['a missing source', 'missing.db', 'out.db', /no database at/],
    ['an existing target', 'hub.db', 'hub.db', /exists already/],
    ['a source that is not SQLite', 'junk.db', 'out.db', /backup of .* failed|not a database/],
  ])('[SYNC-7] backup from %s exits non-zero and leaves no file', async (_, from, to, message) => {
    await makeDeviceStore(join(dir.path, 'hub.db'), 1);
    writeFileSync(join(dir.path, 'junk.db'), 'this is not a database, just text '.repeat(200));
    const out = join(dir.path, to);
    const existed = existsSync(out);

    const result = runHephd(['backup', '--db', join(dir.path, from), '--out', out]);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(existed);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });
});

describe('hephd seed and backup output', () => {
  it('[SYNC-7] seed --owner-id refuses an id that is not a ULID and makes no file', () => {
    const hub = join(dir.path, 'hub.db');

    const result = runHephd(['seed', '--owner-id', 'owner-one', '--db', hub]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--owner-id must be a ULID/);
    expect(existsSync(hub)).toBe(false);
  });

  it('[SYNC-7] backup counts the ops it holds, not the sequence numbers duplicates spent', async () => {
    const live = join(dir.path, 'hub.db');
    const store = await openHubStore(live, { now: Date.now, randomBytes: seededRandomBytes(3) });
    await store.replica.apply(manyTaskCreates('dev00001', 2));
    // Sequence numbers a failed or duplicate insert used up stay used (AUTOINCREMENT).
    store.db.prepare(`UPDATE sqlite_sequence SET seq = 10 WHERE name = 'ops'`).run();
    await store.replica.apply(manyTaskCreates('dev00001', 1, 2));
    const lastSeq = await store.replica.lastSeq();
    await store.close();

    const result = runHephd(['backup', '--db', live, '--out', join(dir.path, 'b.db')]);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ops: +3\n/);
    expect(lastSeq).toBeGreaterThan(3);
  });

  it('[SYNC-7] backup into a pipe closed early exits 0 without an EPIPE trace', async () => {
    const live = join(dir.path, 'hub.db');
    await makeDeviceStore(live, 2);
    const child = spawn(
      process.execPath,
      [HEPHD, 'backup', '--db', live, '--out', join(dir.path, 'b.db')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });

    const code = await new Promise((resolve) => child.once('close', resolve));

    expect(stderr).not.toMatch(/EPIPE/);
    expect(code).toBe(0);
    expect(existsSync(join(dir.path, 'b.db'))).toBe(true);
  });
});
