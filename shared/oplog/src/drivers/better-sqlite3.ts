/**
 * The executor over better-sqlite3, used by the hub, the CLI and the tests.
 *
 * better-sqlite3 is synchronous, so each call runs at once and hands back a
 * settled promise. Two things need care: prepared statements are cached by
 * SQL text (the core sends the same strings again and again), and
 * transactions are queued so that one caller's awaits never let a second
 * caller's transaction slip inside its BEGIN ... COMMIT.
 *
 * Plain statements are not queued: the core issues every write inside a
 * transaction, and a transaction's work awaits only these settled promises,
 * so no I/O callback can run in between. Telling the transaction's own
 * statements from another caller's would need AsyncLocalStorage, which on
 * Node 20 slows every promise in the process; it is not worth that. Hence the
 * one rule for callers: never open a transaction inside another's work (it
 * would wait for itself).
 *
 * `runMany` runs a batch's rows for one statement in a single synchronous
 * loop, so applying a batch costs one settled promise per statement group
 * rather than one per row.
 */
import Database from 'better-sqlite3';
import type { Executor, Row, RunResult, SqlValue } from '../executor.ts';

type Statement = Database.Statement<unknown[], unknown>;

export function openBetterSqlite(path: string): Executor {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = OFF');
  // 64 MiB of page cache: a batch that touches many nodes would otherwise spill
  // pages to the WAL before COMMIT and write them twice.
  db.pragma('cache_size = -65536');
  return createBetterSqliteExecutor(db);
}

export function createBetterSqliteExecutor(db: Database.Database): Executor {
  const statements = new Map<string, Statement>();
  let queue: Promise<unknown> = Promise.resolve();

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
    try {
      const result = await work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  };

  const executor: Executor = {
    exec(sql) {
      return settle(() => {
        db.exec(sql);
      });
    },

    run(sql, params = []): Promise<RunResult> {
      return settle(() => ({ changes: prepare(sql).run(...params).changes }));
    },

    all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
      return settle(() => {
        const statement = prepare(sql);
        if (statement.reader) return statement.all(...params) as T[];
        statement.run(...params);
        return [];
      });
    },

    transaction<T>(work: () => Promise<T>): Promise<T> {
      const result = queue.then(() => runTransaction(work));
      queue = result.catch(() => undefined);
      return result;
    },

    async close() {
      await queue;
      statements.clear();
      db.close();
    },
  };

  // Not enumerable: a wrapper made by spreading this executor and replacing
  // `run` (a test injecting a fault) must not reach past its own `run`; it
  // gets no runMany and the core falls back to its `run`.
  Object.defineProperty(executor, 'runMany', {
    enumerable: false,
    value(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<number[]> {
      return settle(() => {
        const statement = prepare(sql);
        return rows.map((params) => statement.run(...params).changes);
      });
    },
  });
  return executor;
}

/** Runs a synchronous step and reports it as a settled promise, errors as rejections. */
function settle<T>(step: () => T): Promise<T> {
  try {
    return Promise.resolve(step());
  } catch (error) {
    return Promise.reject(error);
  }
}
