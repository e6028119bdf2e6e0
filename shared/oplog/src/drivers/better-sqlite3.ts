/**
 * The executor over better-sqlite3, used by the hub, the CLI and the tests.
 *
 * better-sqlite3 is synchronous, so the promise contract costs nothing but a
 * resolved promise per call. Two things need care: prepared statements are
 * cached by SQL text (the core sends the same strings again and again), and
 * transactions are queued so that one caller's awaits never let a second
 * caller's statements slip inside its BEGIN ... COMMIT. AsyncLocalStorage
 * tells a statement issued by the transaction's own work (which runs at once)
 * from one issued by another caller (which waits for the COMMIT).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import type { Executor, Row, RunResult, SqlValue } from '../executor.ts';

type Statement = Database.Statement<unknown[], unknown>;

export function openBetterSqlite(path: string): Executor {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = OFF');
  return createBetterSqliteExecutor(db);
}

export function createBetterSqliteExecutor(db: Database.Database): Executor {
  const statements = new Map<string, Statement>();
  const inside = new AsyncLocalStorage<boolean>();
  let queue: Promise<unknown> = Promise.resolve();
  let open = false;

  const prepare = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  const runTransaction = async <T>(work: () => Promise<T>): Promise<T> => {
    db.exec('BEGIN IMMEDIATE');
    open = true;
    try {
      const result = await inside.run(true, work);
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    } finally {
      open = false;
    }
  };

  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task);
    queue = result.catch(() => undefined);
    return result;
  };

  // A statement from outside the open transaction waits for it to settle, so
  // it neither reads uncommitted rows nor is rolled back with them.
  const outside = <T>(task: () => T): Promise<T> => {
    if (!open || inside.getStore()) return Promise.resolve().then(task);
    return enqueue(async () => task());
  };

  return {
    exec(sql) {
      return outside(() => {
        db.exec(sql);
      });
    },

    run(sql, params = []): Promise<RunResult> {
      return outside(() => ({ changes: prepare(sql).run(...params).changes }));
    },

    all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
      return outside(() => {
        const statement = prepare(sql);
        if (statement.reader) return statement.all(...params) as T[];
        statement.run(...params);
        return [];
      });
    },

    transaction<T>(work: () => Promise<T>): Promise<T> {
      // A transaction opened from inside another one joins it: SQLite has no
      // nested BEGIN, and queueing it would wait for itself forever.
      if (inside.getStore()) return work();
      return enqueue(() => runTransaction(work));
    },

    async close() {
      await queue;
      statements.clear();
      // An enabled AsyncLocalStorage stays registered for the life of the
      // process and slows every later promise; tests open thousands of stores.
      inside.disable();
      db.close();
    },
  };
}
