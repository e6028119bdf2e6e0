/**
 * Opens a SQLite database file in OPFS through wa-sqlite's sync build and
 * OPFSCoopSyncVFS. That VFS lets every open tab's worker use the same file:
 * a writer in one tab makes the others wait (SQLITE_BUSY, retried inside
 * wa-sqlite) instead of failing, which AccessHandlePoolVFS would do.
 *
 * The module and VFS are loaded once per worker; several databases (the
 * contract suite opens one per case) share them.
 */
import * as SQLite from '@journeyapps/wa-sqlite';
import SQLiteModuleFactory from '@journeyapps/wa-sqlite/dist/wa-sqlite.mjs';
import { OPFSCoopSyncVFS } from '@journeyapps/wa-sqlite/src/examples/OPFSCoopSyncVFS.js';
import { WaSqliteExecutor } from './wa-sqlite-executor.ts';

export const VFS_NAME = 'heph-opfs';

interface Engine {
  sqlite3: ReturnType<typeof SQLite.Factory>;
}

let engine: Promise<Engine> | null = null;

function loadEngine(): Promise<Engine> {
  engine ??= (async () => {
    const module = await SQLiteModuleFactory();
    const sqlite3 = SQLite.Factory(module);
    const vfs = await OPFSCoopSyncVFS.create(VFS_NAME, module);
    sqlite3.vfs_register(vfs as never, true);
    return { sqlite3 };
  })();
  // A failed load (no OPFS, a locked handle) must be retried from scratch.
  engine.catch(() => {
    engine = null;
  });
  return engine;
}

/** Opens (creating when missing) `filename` in the origin's private file system. */
export async function openDatabase(filename: string): Promise<WaSqliteExecutor> {
  const { sqlite3 } = await loadEngine();
  const db = await sqlite3.open_v2(
    filename,
    SQLite.SQLITE_OPEN_CREATE | SQLite.SQLITE_OPEN_READWRITE,
    VFS_NAME,
  );
  const executor = new WaSqliteExecutor({ sqlite3, db });
  // A larger page cache keeps the op-log's indexes in memory during a big
  // first sync; temp tables never need to touch OPFS. OPFSCoopSyncVFS allows
  // only the delete, memory, off and wal journal modes; delete (a truncate in
  // this VFS) keeps a rollback journal, so a tab killed mid-write loses
  // nothing committed. synchronous = NORMAL drops the flush of the journal
  // before the database is written: a killed tab cannot lose a commit that
  // way, only a machine crash right after one could.
  await executor.exec(
    'PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY; PRAGMA synchronous = NORMAL',
  );
  return executor;
}

/** The raw SQLite API, for the benchmark's baseline inserts. */
export async function rawSqlite(): Promise<ReturnType<typeof SQLite.Factory>> {
  return (await loadEngine()).sqlite3;
}
