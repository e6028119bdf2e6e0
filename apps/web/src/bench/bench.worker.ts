/**
 * Benchmarks that need SQLite in a worker: a first sync from a real hub
 * into an empty OPFS replica, and the raw insert rate of wa-sqlite on the
 * same VFS as the baseline it is compared with.
 */
/// <reference lib="webworker" />
import { type Executor, openReplica } from '@heph/oplog';
import { SyncEngine } from '../sync/sync-engine.ts';
import { openDatabase, rawSqlite } from '../worker/open-database.ts';

declare const self: DedicatedWorkerGlobalScope;

export type BenchRequest =
  | { kind: 'firstSync'; hubUrl: string; pageSize?: number }
  | { kind: 'rawInserts'; rows: number }
  | { kind: 'executorInserts'; rows: number };

export interface BenchResult {
  kind: BenchRequest['kind'];
  count: number;
  ms: number;
  perSecond: number;
  /** SQL statements the executor ran (first sync only). */
  statements?: number;
  /** Time spent waiting for the hub's answers, bodies included (first sync only). */
  hubMs?: number;
  /** The SQL texts that took longest in total (first sync only). */
  slowest?: StatementTime[];
}

export interface StatementTime {
  sql: string;
  calls: number;
  ms: number;
}

/** The executor with a count of the statements sent through it, and the time each SQL text took. */
function counting(executor: Executor): {
  executor: Executor;
  count: () => number;
  slowest: (top: number) => StatementTime[];
} {
  let statements = 0;
  const times = new Map<string, StatementTime>();
  const timed = async <T>(sql: string, calls: number, work: Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work;
    } finally {
      const entry = times.get(sql) ?? {
        sql: sql.replace(/\s+/g, ' ').slice(0, 120),
        calls: 0,
        ms: 0,
      };
      entry.calls += calls;
      entry.ms += performance.now() - started;
      times.set(sql, entry);
      statements += calls;
    }
  };
  const runMany = executor.runMany?.bind(executor);
  const counted: Executor = {
    exec: (sql) => timed(sql, 1, executor.exec(sql)),
    run: (sql, params) => timed(sql, 1, executor.run(sql, params)),
    runMany: runMany ? (sql, rows) => timed(sql, rows.length, runMany(sql, rows)) : undefined,
    all: (sql, params) => timed(sql, 1, executor.all(sql, params)),
    transaction: (work) => executor.transaction(work),
    close: () => executor.close(),
  };
  const slowest = (top: number) => [...times.values()].sort((a, b) => b.ms - a.ms).slice(0, top);
  return { executor: counted, count: () => statements, slowest };
}

async function freshFile(name: string): Promise<string> {
  const root = await navigator.storage.getDirectory();
  for (const suffix of ['', '-journal', '-wal']) {
    await root.removeEntry(`${name}${suffix}`).catch(() => undefined);
  }
  return name;
}

async function firstSync(hubUrl: string, pageSize?: number): Promise<BenchResult> {
  const {
    executor,
    count: statements,
    slowest,
  } = counting(await openDatabase(await freshFile(`bench-sync-${Date.now()}.sqlite3`)));
  const replica = await openReplica({
    executor,
    now: () => Date.now(),
    randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
  });
  let hubMs = 0;
  const engine = new SyncEngine({
    replica,
    hubUrl: () => hubUrl,
    fetch: async (input, init) => {
      // Read the whole body here, so the time spent waiting on the hub is
      // told apart from the time spent applying.
      const started = performance.now();
      const response = await fetch(input, init);
      const body = await response.arrayBuffer();
      hubMs += performance.now() - started;
      return new Response(body, response);
    },
    getToken: async () => null,
    now: () => Date.now(),
    random: Math.random,
    isOnline: () => true,
    withLock: (work) => work(),
    onState: () => undefined,
    onPulled: () => undefined,
    pageSize,
  });

  const before = statements();
  const started = performance.now();
  await engine.run();
  const ms = performance.now() - started;
  engine.stop();
  if (engine.state.error) throw new Error(`sync failed: ${engine.state.error.message}`);
  const count = await replica.lastSeq();
  await replica.close();
  const used = statements() - before;
  return {
    kind: 'firstSync',
    count,
    ms,
    perSecond: (count / ms) * 1000,
    statements: used,
    hubMs,
    slowest: slowest(5),
  };
}

async function rawInserts(rows: number): Promise<BenchResult> {
  const sqlite3 = await rawSqlite();
  const executor = await openDatabase(await freshFile(`bench-raw-${Date.now()}.sqlite3`));
  await executor.exec('CREATE TABLE t (a INTEGER, b TEXT, c TEXT)');
  const db = executor.handle;

  const started = performance.now();
  await sqlite3.exec(db, 'BEGIN');
  for await (const statement of sqlite3.statements(db, 'INSERT INTO t VALUES (?, ?, ?)')) {
    for (let index = 0; index < rows; index += 1) {
      sqlite3.bind_collection(statement, [index, `title ${index}`, 'outstanding']);
      await sqlite3.step(statement);
      await sqlite3.reset(statement);
    }
  }
  await sqlite3.exec(db, 'COMMIT');
  const ms = performance.now() - started;
  await executor.close();
  return { kind: 'rawInserts', count: rows, ms, perSecond: (rows / ms) * 1000 };
}

/** The raw inserts again, through the executor: what the executor itself costs per statement. */
async function executorInserts(rows: number): Promise<BenchResult> {
  const executor = await openDatabase(await freshFile(`bench-exec-${Date.now()}.sqlite3`));
  await executor.exec('CREATE TABLE t (a INTEGER, b TEXT, c TEXT)');

  const started = performance.now();
  await executor.transaction(async () => {
    for (let index = 0; index < rows; index += 1) {
      await executor.run('INSERT INTO t VALUES (?, ?, ?)', [
        index,
        `title ${index}`,
        'outstanding',
      ]);
    }
  });
  const ms = performance.now() - started;
  await executor.close();
  return { kind: 'executorInserts', count: rows, ms, perSecond: (rows / ms) * 1000 };
}

function runRequest(request: BenchRequest): Promise<BenchResult> {
  switch (request.kind) {
    case 'firstSync':
      return firstSync(request.hubUrl, request.pageSize);
    case 'rawInserts':
      return rawInserts(request.rows);
    case 'executorInserts':
      return executorInserts(request.rows);
  }
}

self.onmessage = async (event: MessageEvent<BenchRequest>) => {
  const request = event.data;
  try {
    const result = await runRequest(request);
    self.postMessage({ ok: true, result });
  } catch (error) {
    self.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
