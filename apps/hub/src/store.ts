/**
 * The hub's store: one better-sqlite3 connection in WAL mode under a busy
 * timeout, wrapped as the op-log executor and opened as a replica.
 *
 * synchronous = FULL because the hub is the canonical copy: once a push is
 * acknowledged the spoke forgets that the ops were pending, so a commit the
 * hub acknowledged must survive a power cut, not only a killed process.
 *
 * The hub id lives in meta.hub_id. It is made once per store and made again
 * whenever a store is copied (seed, backup), so a spoke can tell a replaced
 * store from the one its cursor belongs to (SPEC.md SYNC-6, SYNC-7).
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openReplica, type Replica } from '@heph/oplog';
import { createBetterSqliteExecutor } from '@heph/oplog/better-sqlite3';
import Database from 'better-sqlite3';

export const HUB_ID_KEY = 'hub_id';
export const BUSY_TIMEOUT_MS = 5_000;

export interface HubStore {
  replica: Replica;
  hubId: string;
  db: Database.Database;
  close(): Promise<void>;
}

export interface StoreOptions {
  now: () => number;
  randomBytes: (length: number) => Uint8Array;
}

export const systemRandomBytes = (length: number): Uint8Array =>
  new Uint8Array(nodeRandomBytes(length));

export function openDatabase(path: string, options: { mustExist?: boolean } = {}) {
  if (!options.mustExist) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path, { fileMustExist: options.mustExist ?? false });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

export async function openHubStore(
  path: string,
  options: StoreOptions & { mustExist?: boolean },
): Promise<HubStore> {
  const db = openDatabase(path, options);
  let replica: Replica;
  try {
    replica = await openReplica({
      executor: createBetterSqliteExecutor(db),
      now: options.now,
      randomBytes: options.randomBytes,
    });
  } catch (error) {
    db.close();
    throw error;
  }

  let hubId = await replica.getMeta(HUB_ID_KEY);
  if (!hubId) {
    hubId = newHubId(options.randomBytes);
    await replica.setMeta(HUB_ID_KEY, hubId);
  }
  return { replica, hubId, db, close: () => replica.close() };
}

export function newHubId(randomBytes: (length: number) => Uint8Array): string {
  return Array.from(randomBytes(8), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
