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

/** How often an access handle is asked for again while a dying worker still holds it. */
const ACCESS_HANDLE_ATTEMPTS = 12;

/**
 * OPFSCoopSyncVFS takes a Web Lock, then opens the access handles of the
 * database and its journal in parallel. After a reload the old page's
 * worker has let go of the lock a moment before the browser has closed its
 * handles, so an open can fail with NoModificationAllowedError. When one
 * file then opens and another does not, the VFS loses track of the open
 * one, and every later try in this worker fails the same way: the tab said
 * "could not be opened" until it was reloaded (about one reload in ten with
 * 10,000 tasks). Whoever holds the lock is the only live owner, so a handle
 * still open elsewhere belongs to a worker that is going away: ask again
 * shortly, a bounded number of times.
 */
function retryBusyAccessHandles(): void {
  const prototype = FileSystemFileHandle.prototype as FileSystemFileHandle & {
    createSyncAccessHandle(): Promise<FileSystemSyncAccessHandle>;
    hephRetries?: true;
  };
  if (prototype.hephRetries) return;
  const original = prototype.createSyncAccessHandle;
  prototype.createSyncAccessHandle = async function (this: FileSystemFileHandle) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await original.call(this);
      } catch (error) {
        const busy = error instanceof DOMException && error.name === 'NoModificationAllowedError';
        if (!busy || attempt >= ACCESS_HANDLE_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, attempt * 20));
      }
    }
  };
  prototype.hephRetries = true;
}

function loadEngine(): Promise<Engine> {
  engine ??= (async () => {
    retryBusyAccessHandles();
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
