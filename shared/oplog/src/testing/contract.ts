/**
 * The contract suite: what every Executor and the replica over it must do,
 * whatever the storage (better-sqlite3 here, wa-sqlite in the browser).
 *
 * Framework-agnostic on purpose: each case is a plain async function that
 * throws on failure, so vitest runs it in Node and a browser worker runs the
 * very same cases against wa-sqlite. Case names carry SPEC rule ids.
 */
import { compareTimestamps, parseTimestamp } from '../clock.ts';
import type { Executor } from '../executor.ts';
import type { Op } from '../op.ts';
import { openReplica, type SqliteReplica } from '../replica-impl.ts';
import { deepEqual, equal, ok, rejects, rejectsWithCode } from './assert.ts';
import { dumpState } from './dump.ts';
import { createManualClock, createSeededRandomBytes } from './fixtures.ts';

export interface ContractCase {
  name: string;
  run(makeExecutor: () => Promise<Executor>): Promise<void>;
}

type MakeExecutor = () => Promise<Executor>;

const START = Date.UTC(2026, 11, 4, 9, 0, 0);

async function openTestReplica(executor: Executor, seed: number, start = START) {
  const clock = createManualClock(start);
  const replica = await openReplica({
    executor,
    now: clock.now,
    randomBytes: createSeededRandomBytes(seed),
  });
  return { replica, clock };
}

async function taskWithTitle(replica: SqliteReplica, title: string): Promise<string> {
  const node = replica.createNodeId();
  await replica.commit([{ kind: 'node.create', node, nodeKind: 'task', fields: { title } }]);
  return node;
}

const executorCases: ContractCase[] = [
  {
    name: '[executor] exec, run and all: DDL, changes and rows keyed by column',
    async run(makeExecutor) {
      const db = await makeExecutor();
      await db.exec('CREATE TABLE t (a INTEGER, b TEXT); CREATE TABLE u (c TEXT)');
      const first = await db.run('INSERT INTO t (a, b) VALUES (?, ?), (?, ?)', [1, 'x', 2, 'y']);
      equal(first.changes, 2, 'changes of a two-row insert');
      const updated = await db.run('UPDATE t SET b = ? WHERE a = ?', ['z', 2]);
      equal(updated.changes, 1, 'changes of a one-row update');
      const rows = await db.all('SELECT a, b FROM t ORDER BY a');
      deepEqual(
        rows,
        [
          { a: 1, b: 'x' },
          { a: 2, b: 'z' },
        ],
        'rows',
      );
      deepEqual(await db.all('SELECT * FROM u'), [], 'an empty table');
      await db.close();
    },
  },
  {
    name: '[executor] a bad statement rejects and leaves the connection usable',
    async run(makeExecutor) {
      const db = await makeExecutor();
      await rejects(() => db.all('SELEC nonsense'), 'syntax error');
      await rejects(() => db.run('INSERT INTO missing VALUES (1)'), 'missing table');
      deepEqual(await db.all('SELECT 1 AS one'), [{ one: 1 }], 'still usable');
      await db.close();
    },
  },
  {
    name: '[executor] a transaction commits when its work resolves',
    async run(makeExecutor) {
      const db = await makeExecutor();
      await db.exec('CREATE TABLE t (a INTEGER)');
      const result = await db.transaction(async () => {
        await db.run('INSERT INTO t VALUES (1)');
        await db.run('INSERT INTO t VALUES (2)');
        return 'done';
      });
      equal(result, 'done', 'transaction result');
      deepEqual(await db.all('SELECT count(*) AS n FROM t'), [{ n: 2 }], 'both rows kept');
      await db.close();
    },
  },
  {
    name: '[executor] a transaction rolls back when its work rejects',
    async run(makeExecutor) {
      const db = await makeExecutor();
      await db.exec('CREATE TABLE t (a INTEGER)');
      const error = await rejects(
        () =>
          db.transaction(async () => {
            await db.run('INSERT INTO t VALUES (1)');
            throw new Error('boom');
          }),
        'failing transaction',
      );
      equal((error as Error).message, 'boom', 'the work error comes through');
      deepEqual(await db.all('SELECT count(*) AS n FROM t'), [{ n: 0 }], 'nothing kept');
      await db.transaction(() => db.run('INSERT INTO t VALUES (3)'));
      deepEqual(await db.all('SELECT a FROM t'), [{ a: 3 }], 'next transaction works');
      await db.close();
    },
  },
  {
    name: '[executor] concurrent transactions never interleave',
    async run(makeExecutor) {
      const db = await makeExecutor();
      await db.exec('CREATE TABLE t (who TEXT, step INTEGER)');
      const writer = (who: string) =>
        db.transaction(async () => {
          for (let step = 0; step < 5; step += 1) {
            await db.run('INSERT INTO t VALUES (?, ?)', [who, step]);
            // Yield to the event loop's queue so the other caller gets a chance.
            await Promise.resolve();
            await Promise.resolve();
          }
        });
      const failing = db.transaction(async () => {
        await db.run('INSERT INTO t VALUES (?, ?)', ['c', 0]);
        await Promise.resolve();
        throw new Error('c fails');
      });
      await Promise.all([writer('a'), writer('b'), failing.catch(() => undefined)]);
      const rows = await db.all<{ who: string }>('SELECT who FROM t ORDER BY rowid');
      const order = rows.map((row) => row.who).join('');
      equal(order, 'aaaaabbbbb', 'each transaction ran whole, the failed one left nothing');
      await db.close();
    },
  },
  {
    name: '[executor] blobs come back byte for byte',
    async run(makeExecutor) {
      const db = await makeExecutor();
      await db.exec('CREATE TABLE t (b BLOB)');
      const bytes = Uint8Array.from([0, 1, 2, 254, 255, 0]);
      await db.run('INSERT INTO t VALUES (?)', [bytes]);
      const [row] = await db.all<{ b: Uint8Array }>('SELECT b FROM t');
      ok(row?.b instanceof Uint8Array, 'a blob reads as a Uint8Array');
      deepEqual(Array.from(row.b), Array.from(bytes), 'blob bytes');
      await db.close();
    },
  },
  {
    name: '[executor] integers round-trip as numbers or bigints of the same value',
    async run(makeExecutor) {
      const db = await makeExecutor();
      await db.exec('CREATE TABLE t (i INTEGER)');
      const values = [0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER, START];
      for (const value of values) await db.run('INSERT INTO t VALUES (?)', [value]);
      await db.run('INSERT INTO t VALUES (?)', [2n ** 40n]);
      const rows = await db.all<{ i: number | bigint }>('SELECT i FROM t ORDER BY rowid');
      const read = rows.map((row) => BigInt(row.i));
      deepEqual(read, [...values.map(BigInt), 2n ** 40n], 'integer values');
      await db.close();
    },
  },
  {
    name: '[executor] text keeps every Unicode character',
    async run(makeExecutor) {
      const db = await makeExecutor();
      await db.exec('CREATE TABLE t (s TEXT)');
      const text = 'naïve café — 日本語 — 🦊👩‍👩‍👧 — \u0002mark\u0003 — e\u0301';
      await db.run('INSERT INTO t VALUES (?)', [text]);
      const [row] = await db.all<{ s: string }>('SELECT s, length(s) AS n FROM t');
      equal(row?.s, text, 'unicode text');
      await db.close();
    },
  },
  {
    name: '[executor] FTS5 is compiled in',
    async run(makeExecutor) {
      const db = await makeExecutor();
      await db.exec('CREATE VIRTUAL TABLE f USING fts5(body)');
      await db.run('INSERT INTO f (body) VALUES (?)', ['the quick brown fox']);
      const rows = await db.all('SELECT body FROM f WHERE f MATCH ?', ['"qui"*']);
      equal(rows.length, 1, 'prefix match');
      await db.close();
    },
  },
];

const replicaCases: ContractCase[] = [
  {
    name: '[SCHEMA-2] a first open writes origin, owner_id and schema_version; a reopen keeps them',
    async run(makeExecutor) {
      const executor = await makeExecutor();
      const { replica } = await openTestReplica(executor, 1);
      ok(/^[0-9a-f]{16}$/.test(replica.origin), 'origin is 16 hex digits');
      equal(await replica.getMeta('origin'), replica.origin, 'origin stored');
      equal(await replica.getMeta('owner_id'), replica.ownerId, 'owner stored');
      equal(await replica.getMeta('schema_version'), '1', 'schema version stored');
      const again = await openTestReplica(executor, 2);
      equal(again.replica.origin, replica.origin, 'origin kept');
      equal(again.replica.ownerId, replica.ownerId, 'owner kept');
      await again.replica.adoptOwner('hub-owner');
      equal(again.replica.ownerId, 'hub-owner', 'adopted owner');
      equal(await again.replica.getMeta('owner_id'), 'hub-owner', 'adopted owner stored');
      await executor.close();
    },
  },
  {
    name: '[CLOCK-1] a reopened replica never issues a clock at or below one it issued',
    async run(makeExecutor) {
      const executor = await makeExecutor();
      const { replica } = await openTestReplica(executor, 1);
      const node = await taskWithTitle(replica, 'first');
      const [lastOp] = await replica.commit([{ kind: 'log.append', node, text: 'x' }]);
      // Restart with the wall clock an hour behind.
      const { replica: reopened } = await openTestReplica(executor, 1, START - 3_600_000);
      const [next] = await reopened.commit([{ kind: 'log.append', node, text: 'y' }]);
      ok(next && lastOp && next.clock > lastOp.clock, 'clock moved forward across restart');
      await executor.close();
    },
  },
  {
    name: '[MERGE-1] two replicas that exchange ops in different orders end identical',
    async run(makeExecutor) {
      const a = (await openTestReplica(await makeExecutor(), 1)).replica;
      const b = (await openTestReplica(await makeExecutor(), 2)).replica;
      const node = await taskWithTitle(a, 'shared');
      const fromA = await a.commit([
        { kind: 'field.set', node, field: 'attention', value: 'red' },
        { kind: 'tag.add', node, tag: 'home' },
        { kind: 'log.append', node, text: 'from a' },
      ]);
      const opsA = (await a.opsAfter(0, { limit: 100 })).items.map((item) => item.op);
      const fromB = await b.commit([
        { kind: 'field.set', node, field: 'title', value: 'renamed on b' },
        { kind: 'context.append', node, text: 'b notes' },
      ]);
      ok(fromA.length === 3 && fromB.length === 2, 'committed');
      await b.apply([...opsA].reverse());
      await a.apply(fromB);
      equal(await dumpState(a), await dumpState(b), 'identical state');
      equal((await a.getNode(node))?.title, 'renamed on b', 'later title wins');
      await a.close();
      await b.close();
    },
  },
  {
    name: '[MERGE-2] applying the same ops twice changes nothing',
    async run(makeExecutor) {
      const a = (await openTestReplica(await makeExecutor(), 1)).replica;
      const b = (await openTestReplica(await makeExecutor(), 2)).replica;
      const node = await taskWithTitle(a, 'twice');
      await a.commit([{ kind: 'log.append', node, text: 'entry' }]);
      const ops = (await a.opsAfter(0, { limit: 100 })).items.map((item) => item.op);
      const first = await b.apply(ops);
      const dump = await dumpState(b);
      const second = await b.apply([...ops, ...ops]);
      equal(first.inserted, 2, 'first apply inserts');
      equal(second.inserted, 0, 'second apply inserts nothing');
      equal(await dumpState(b), dump, 'state unchanged');
      equal((await b.getLog(node)).length, 1, 'one log entry');
      await a.close();
      await b.close();
    },
  },
  {
    name: '[MERGE-5] ops for a node whose create has not arrived take effect when it does',
    async run(makeExecutor) {
      const a = (await openTestReplica(await makeExecutor(), 1)).replica;
      const b = (await openTestReplica(await makeExecutor(), 2)).replica;
      const node = await taskWithTitle(a, 'early');
      await a.commit([
        { kind: 'field.set', node, field: 'title', value: 'late title' },
        { kind: 'tag.add', node, tag: 'x' },
      ]);
      const ops = (await a.opsAfter(0, { limit: 100 })).items.map((item) => item.op);
      const [create, ...rest] = ops as [Op, ...Op[]];
      await b.apply(rest);
      equal(await b.getNode(node), null, 'no node before its create');
      await b.apply([create]);
      const view = await b.getNode(node);
      equal(view?.title, 'late title', 'later field set wins over the create');
      deepEqual(view?.tags, ['x'], 'tag kept');
      equal(await dumpState(a), await dumpState(b), 'identical state');
      await a.close();
      await b.close();
    },
  },
  {
    name: '[OP-5] one invalid op rejects the whole batch and applies nothing',
    async run(makeExecutor) {
      const a = (await openTestReplica(await makeExecutor(), 1)).replica;
      const b = (await openTestReplica(await makeExecutor(), 2)).replica;
      const node = await taskWithTitle(a, 'valid');
      const [good] = (await a.opsAfter(0, { limit: 10 })).items.map((item) => item.op);
      const bad = { ...good, clock: 'not-a-clock' };
      const error = await rejectsWithCode(() => b.apply([good, bad]), 'invalid_op', 'bad batch');
      equal(error.data.index, 1, 'index of the bad op');
      equal(error.data.field, 'clock', 'field of the bad op');
      equal(await b.lastSeq(), 0, 'nothing stored');
      equal(await b.getNode(node), null, 'nothing materialized');
      await a.close();
      await b.close();
    },
  },
  {
    name: '[OP-6] an op of an unknown kind is stored and passed on unchanged',
    async run(makeExecutor) {
      const b = (await openTestReplica(await makeExecutor(), 2)).replica;
      const future = {
        v: 2,
        clock: '019aeb000000-0000-feedfacecafe0001',
        node: '01KBN0000000000000000000AB',
        kind: 'reminder.schedule',
        at: 123,
        extra: { nested: true },
      };
      equal((await b.apply([future])).inserted, 1, 'stored');
      const page = await b.opsAfter(0, { limit: 10 });
      deepEqual(page.items[0]?.op, future, 'passed on unchanged');
      await b.close();
    },
  },
  {
    name: '[SEARCH-2] search matches prefixes and never chokes on punctuation',
    async run(makeExecutor) {
      const { replica } = await openTestReplica(await makeExecutor(), 1);
      const node = await taskWithTitle(replica, 'Re-file the "quarterly" taxes (NEAR: AND/OR)');
      await replica.commit([{ kind: 'log.append', node, text: 'called accountant' }]);
      const queries = ['re-file', 'quart', '"quarterly', 'NEAR:', '(AND', 'OR)', 'taxes,', 'acc*'];
      for (const query of queries) {
        const hits = await replica.search(query);
        ok(hits.length >= 1, `a hit for ${JSON.stringify(query)}`);
      }
      const [hit] = await replica.search('accou');
      equal(hit?.source, 'log', 'log entries are searched');
      ok(hit?.snippet.includes('\u0002called') === false, 'only the match is marked');
      ok(hit?.snippet.includes('\u0002accountant\u0003'), 'match marked');
      deepEqual(await replica.search('-- ( ) "'), [], 'no searchable token gives no hits');
      await replica.close();
    },
  },
  {
    name: '[MERGE-10] a field history keeps the losing concurrent write',
    async run(makeExecutor) {
      const a = (await openTestReplica(await makeExecutor(), 1)).replica;
      const b = (await openTestReplica(await makeExecutor(), 2)).replica;
      const node = await taskWithTitle(a, 'base');
      await b.apply((await a.opsAfter(0, { limit: 10 })).items.map((item) => item.op));
      const fromA = await a.commit([{ kind: 'field.set', node, field: 'title', value: 'A' }]);
      const fromB = await b.commit([{ kind: 'field.set', node, field: 'title', value: 'B' }]);
      await a.apply(fromB);
      await b.apply(fromA);
      const history = await a.fieldHistory(node, 'title');
      deepEqual(
        history.map((entry) => entry.value),
        ['base', ...[fromA[0], fromB[0]].sort(byClock).map(setValue)],
        'every write in clock order',
      );
      equal(history.filter((entry) => entry.winner).length, 1, 'one winner');
      equal(history.filter((entry) => entry.concurrent).length, 1, 'the loser is concurrent');
      deepEqual(history, await b.fieldHistory(node, 'title'), 'same history on both');
      await a.close();
      await b.close();
    },
  },
  {
    name: '[ID-2] resolveId takes a unique prefix in any case and names ambiguous ones',
    async run(makeExecutor) {
      const { replica } = await openTestReplica(await makeExecutor(), 1);
      const first = await taskWithTitle(replica, 'one');
      const second = await taskWithTitle(replica, 'two');
      equal(await replica.resolveId(first), first, 'full id');
      equal(await replica.resolveId(second.toLowerCase()), second, 'lower-case full id');
      let common = 0;
      while (first[common] === second[common]) common += 1;
      const unique = second.slice(0, common + 1).toLowerCase();
      equal(await replica.resolveId(unique), second, 'unique prefix');
      const error = await rejectsWithCode(
        () => replica.resolveId(first.slice(0, common)),
        'ambiguous_prefix',
        'shared prefix',
      );
      deepEqual(error.data.matches, [first, second].sort(), 'matches listed');
      await rejectsWithCode(() => replica.resolveId('ZZZZ'), 'not_found', 'unknown prefix');
      await rejectsWithCode(() => replica.resolveId('!'), 'not_found', 'not an id');
      await replica.close();
    },
  },
];

function byClock(a: Op | undefined, b: Op | undefined): number {
  return compareTimestamps(parseTimestamp(a?.clock ?? ''), parseTimestamp(b?.clock ?? ''));
}

function setValue(op: Op | undefined): unknown {
  return (op as { value?: unknown } | undefined)?.value;
}

export const contractCases: ContractCase[] = [...executorCases, ...replicaCases];

export type { MakeExecutor };
