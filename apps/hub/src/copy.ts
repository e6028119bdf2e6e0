/**
 * `hephd seed` and `hephd backup`: both make a new store from an existing
 * one with SQLite's online backup API (safe while the source is open and in
 * WAL mode), check it, and give the copy an identity of its own.
 *
 * A copy keeps the owner id and every op, but gets a fresh hub id (so spokes
 * whose cursors point into the old store see a reset, SPEC.md SYNC-6) and a
 * fresh origin (so the copy's own new ops can never reuse a clock value the
 * original already issued, SPEC.md SYNC-7). The origin is dropped from meta
 * and the replica makes a new one when it opens the copy.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { isNodeId } from '@heph/oplog';
import Database from 'better-sqlite3';
import { HUB_ID_KEY, openHubStore, type StoreOptions } from './store.ts';

export class CopyError extends Error {
  override name = 'CopyError';
}

export interface CopySummary {
  path: string;
  origin: string;
  hubId: string;
  ownerId: string;
  lastSeq: number;
  /** How many ops the store holds; lastSeq also counts numbers spent by duplicate pushes. */
  opCount: number;
}

/** Meta keys that name the store's replica or its sync state; a copy must not inherit them. */
const IDENTITY_KEYS = ['origin', 'hub_cursor'];

export async function backupStore(
  source: string,
  target: string,
  options: StoreOptions,
): Promise<CopySummary> {
  if (!existsSync(source)) throw new CopyError(`no database at ${source}`);
  if (existsSync(target)) throw new CopyError(`${target} exists already; choose a new file`);

  const partial = `${target}.partial`;
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  rmSync(partial, { force: true });
  try {
    await copyDatabase(source, partial);
    checkIntegrity(partial);
    const summary = await reidentify(partial, options);
    renameSync(partial, target);
    return { ...summary, path: target };
  } catch (error) {
    removeDatabase(partial);
    throw error;
  }
}

export async function seedFromDevice(
  device: string,
  hub: string,
  options: StoreOptions,
): Promise<CopySummary> {
  if (existsSync(hub)) throw new CopyError(`${hub} exists already; seed only makes a new hub`);
  return backupStore(device, hub, options);
}

export async function seedForOwner(
  ownerId: string,
  hub: string,
  options: StoreOptions,
): Promise<CopySummary> {
  if (!isNodeId(ownerId)) {
    throw new CopyError(
      `--owner-id must be a ULID (26 characters, 0-9 and A-Z without I, L, O, U), not "${ownerId}"`,
    );
  }
  if (existsSync(hub)) throw new CopyError(`${hub} exists already; seed only makes a new hub`);

  const store = await openHubStore(hub, options);
  try {
    await store.replica.adoptOwner(ownerId);
    return {
      path: hub,
      origin: store.replica.origin,
      hubId: store.hubId,
      ownerId: store.replica.ownerId,
      lastSeq: await store.replica.lastSeq(),
      opCount: countOps(store.db),
    };
  } finally {
    await store.close();
  }
}

async function copyDatabase(source: string, target: string): Promise<void> {
  const db = new Database(source, { fileMustExist: true, readonly: true });
  try {
    await db.backup(target);
  } catch (error) {
    throw new CopyError(`the backup of ${source} failed: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}

function checkIntegrity(path: string): void {
  let lines: string[];
  try {
    const db = new Database(path, { fileMustExist: true, readonly: true });
    try {
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      lines = rows.map((row) => row.integrity_check);
    } finally {
      db.close();
    }
  } catch (error) {
    throw new CopyError(`the copy does not open as SQLite: ${(error as Error).message}`);
  }
  if (lines.length !== 1 || lines[0] !== 'ok') {
    throw new CopyError(`the copy fails integrity_check: ${lines.slice(0, 5).join('; ')}`);
  }
}

async function reidentify(path: string, options: StoreOptions): Promise<CopySummary> {
  const db = new Database(path, { fileMustExist: true });
  try {
    const hasMeta = db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'`)
      .get();
    if (!hasMeta) throw new CopyError(`${path} is not a heph store (no meta table)`);
    const drop = db.prepare('DELETE FROM meta WHERE key = ?');
    for (const key of [...IDENTITY_KEYS, HUB_ID_KEY]) drop.run(key);
  } finally {
    db.close();
  }

  const store = await openHubStore(path, { ...options, mustExist: true });
  try {
    const hubId = store.hubId;
    return {
      path,
      origin: store.replica.origin,
      hubId,
      ownerId: store.replica.ownerId,
      lastSeq: await store.replica.lastSeq(),
      opCount: countOps(store.db),
    };
  } finally {
    await store.close();
    // Fold the WAL back in so the finished copy is one self-contained file.
    const db = new Database(path, { fileMustExist: true });
    db.pragma('journal_mode = DELETE');
    db.close();
  }
}

function countOps(db: Database.Database): number {
  return (db.prepare('SELECT count(*) AS n FROM ops').get() as { n: number }).n;
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
