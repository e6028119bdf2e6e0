/**
 * The op-log's Executor over wa-sqlite (sync build) in a dedicated worker.
 *
 * Prepared statements are cached by SQL text, because the op-log core sends
 * the same few statements again and again; `runMany` binds one of them for
 * a whole batch of rows. Every call, not only
 * transactions, goes through one queue: wa-sqlite's API is asynchronous, and
 * two callers stepping the one connection at once would interleave inside a
 * transaction. A statement is reset right after use so it never holds a read
 * lock that would block another tab's writer (OPFSCoopSyncVFS shares the file).
 */

import type { Executor, Row, RunResult, SqlValue } from '@heph/oplog';
import * as SQLite from '@journeyapps/wa-sqlite';

type SQLiteAPI = ReturnType<typeof SQLite.Factory>;

export interface WaSqliteExecutorOptions {
  sqlite3: SQLiteAPI;
  db: number;
}

export class WaSqliteExecutor implements Executor {
  readonly #sqlite3: SQLiteAPI;
  readonly #db: number;
  readonly #statements = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();
  #inTransaction = false;
  #closed = false;

  constructor(options: WaSqliteExecutorOptions) {
    this.#sqlite3 = options.sqlite3;
    this.#db = options.db;
  }

  /** The raw connection handle, for the benchmark's baseline only. */
  get handle(): number {
    return this.#db;
  }

  exec(sql: string): Promise<void> {
    return this.#serialize(async () => {
      await this.#sqlite3.exec(this.#db, sql);
    });
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return this.#serialize(async () => {
      await this.#step(sql, params, null);
      return { changes: this.#sqlite3.changes(this.#db) };
    });
  }

  /** One statement for many rows: prepared and queued once, then bind, step, reset per row. */
  runMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<number[]> {
    return this.#serialize(async () => {
      const statement = await this.#prepare(sql);
      const changes: number[] = [];
      for (const params of rows) {
        await this.#stepPrepared(statement, params, null);
        changes.push(this.#sqlite3.changes(this.#db));
      }
      return changes;
    });
  }

  all<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.#serialize(async () => {
      const rows: T[] = [];
      await this.#step(sql, params, rows as Row[]);
      return rows;
    });
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    // Calls made by `work` run inside the transaction, so they bypass the
    // queue; everyone else waits until the transaction has settled.
    return this.#enqueue(async () => {
      await this.#sqlite3.exec(this.#db, 'BEGIN IMMEDIATE');
      this.#inTransaction = true;
      try {
        const result = await work();
        await this.#sqlite3.exec(this.#db, 'COMMIT');
        return result;
      } catch (error) {
        await this.#rollback();
        throw error;
      } finally {
        this.#inTransaction = false;
      }
    });
  }

  close(): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#closed) return;
      this.#closed = true;
      for (const statement of this.#statements.values()) {
        await this.#sqlite3.finalize(statement);
      }
      this.#statements.clear();
      await this.#sqlite3.close(this.#db);
    });
  }

  #serialize<T>(task: () => Promise<T>): Promise<T> {
    if (this.#inTransaction) return task();
    return this.#enqueue(task);
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(task);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #rollback(): Promise<void> {
    // SQLite may already have rolled back (for example after SQLITE_FULL);
    // a second ROLLBACK then fails, and that failure says nothing new.
    if (this.#sqlite3.get_autocommit(this.#db)) return;
    await this.#sqlite3.exec(this.#db, 'ROLLBACK');
  }

  async #step(sql: string, params: readonly SqlValue[], rows: Row[] | null): Promise<void> {
    await this.#stepPrepared(await this.#prepare(sql), params, rows);
  }

  async #stepPrepared(
    statement: number,
    params: readonly SqlValue[],
    rows: Row[] | null,
  ): Promise<void> {
    try {
      // Every cached statement is bound in full on each use, so old values
      // only linger when a call passes no parameters at all.
      if (params.length > 0) this.#sqlite3.bind_collection(statement, params as SqlValue[]);
      else this.#sqlite3.clear_bindings(statement);

      let columns: string[] | null = null;
      while ((await this.#sqlite3.step(statement)) === SQLite.SQLITE_ROW) {
        if (!rows) continue;
        columns ??= this.#sqlite3.column_names(statement);
        rows.push(rowToObject(columns, this.#sqlite3.row(statement) as SqlValue[]));
      }
    } finally {
      await this.#sqlite3.reset(statement);
    }
  }

  async #evictIfFull(): Promise<void> {
    if (this.#statements.size < MAX_CACHED_STATEMENTS) return;
    const [oldest] = this.#statements;
    if (!oldest) return;
    this.#statements.delete(oldest[0]);
    await this.#sqlite3.finalize(oldest[1]);
  }

  async #prepare(sql: string): Promise<number> {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) {
      // Map order is insertion order: re-inserting keeps the oldest first for eviction.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    await this.#evictIfFull();

    const statements = this.#sqlite3.statements(this.#db, sql, { unscoped: true });
    let prepared: number | null = null;
    for await (const statement of statements) {
      if (prepared !== null) {
        await this.#sqlite3.finalize(statement);
        await this.#sqlite3.finalize(prepared);
        throw new Error(`run/all take one statement; use exec for several: ${sql.slice(0, 80)}`);
      }
      prepared = statement;
    }
    if (prepared === null) throw new Error(`no statement in SQL: ${sql.slice(0, 80)}`);

    this.#statements.set(sql, prepared);
    return prepared;
  }
}

const MAX_CACHED_STATEMENTS = 256;

function rowToObject(columns: string[], values: SqlValue[]): Row {
  const row: Row = {};
  for (let index = 0; index < columns.length; index += 1) {
    row[columns[index] as string] = values[index] ?? null;
  }
  return row;
}
