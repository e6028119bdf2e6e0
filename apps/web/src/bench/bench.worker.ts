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
  | { kind: 'rawInserts'; rows: number };

export interface BenchResult {
  kind: BenchRequest['kind'];
  count: number;
  ms: number;
  perSecond: number;
  /** SQL statements the executor ran (first sync only). */
  statements?: number;
}

/** The executor with a count of the statements sent through it. */
function counting(executor: Executor): { executor: Executor; count: () => number } {
  let statements = 0;
  const counted: Executor = {
    exec: (sql) => {
      statements += 1;
      return executor.exec(sql);
    },
    run: (sql, params) => {
      statements += 1;
      return executor.run(sql, params);
    },
    all: (sql, params) => {
      statements += 1;
      return executor.all(sql, params);
    },
    transaction: (work) => executor.transaction(work),
    close: () => executor.close(),
  };
  return { executor: counted, count: () => statements };
}

async function freshFile(name: string): Promise<string> {
  const root = await navigator.storage.getDirectory();
  for (const suffix of ['', '-journal', '-wal']) {
    await root.removeEntry(`${name}${suffix}`).catch(() => undefined);
  }
  return name;
}

async function firstSync(hubUrl: string, pageSize?: number): Promise<BenchResult> {
  const { executor, count: statements } = counting(
    await openDatabase(await freshFile(`bench-sync-${Date.now()}.sqlite3`)),
  );
  const replica = await openReplica({
    executor,
    now: () => Date.now(),
    randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
  });
  const engine = new SyncEngine({
    replica,
    hubUrl: () => hubUrl,
    fetch: (input, init) => fetch(input, init),
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
  return { kind: 'firstSync', count, ms, perSecond: (count / ms) * 1000, statements: used };
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

self.onmessage = async (event: MessageEvent<BenchRequest>) => {
  const request = event.data;
  try {
    const result =
      request.kind === 'firstSync'
        ? await firstSync(request.hubUrl, request.pageSize)
        : await rawInserts(request.rows);
    self.postMessage({ ok: true, result });
  } catch (error) {
    self.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
