/**
 * The only way the op-log core touches SQLite.
 *
 * The hub drives better-sqlite3 (synchronous) and the browser drives
 * wa-sqlite (asynchronous, in a worker), so the contract is promise-based and
 * small enough for both. Implementations cache prepared statements by SQL
 * text; callers pass the same SQL strings again and again.
 */

export type SqlValue = string | number | bigint | Uint8Array | null;

export type Row = Record<string, SqlValue>;

export interface RunResult {
  /** Rows changed by an INSERT, UPDATE or DELETE. */
  changes: number;
}

export interface Executor {
  /** Runs one or more statements that take no parameters (DDL, pragmas). */
  exec(sql: string): Promise<void>;

  /** Runs one statement and reports how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;

  /**
   * Optional batch form of `run`: runs one statement once per parameter row,
   * in order, and reports each run's changes. A driver whose every call
   * crosses a boundary (a worker, a native call per step) implements it to
   * pay that cost once per batch instead of once per row; the core falls back
   * to `run` per row when it is absent (`runEach` in apply.ts).
   */
  runMany?(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<number[]>;

  /** Runs one query and returns every row, columns keyed by name. */
  all<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;

  /**
   * Runs `work` inside one SQLite transaction: committed when it resolves,
   * rolled back when it rejects. Transactions never interleave: a second
   * call waits until the first has settled, because one connection serves
   * every caller (concurrent HTTP requests on the hub, messages in the worker).
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;

  /** Releases the connection. */
  close(): Promise<void>;
}

/** `runMany` where the driver has it, else `run` once per row, in order. */
export async function runEach(
  executor: Executor,
  sql: string,
  rows: readonly (readonly SqlValue[])[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  if (executor.runMany) return executor.runMany(sql, rows);

  const changes: number[] = [];
  for (const params of rows) changes.push((await executor.run(sql, params)).changes);
  return changes;
}
