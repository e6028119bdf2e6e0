import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createBetterSqliteExecutor } from '../src/drivers/better-sqlite3.ts';
import type { Executor } from '../src/executor.ts';
import { NODE_ID_PATTERN } from '../src/ids.ts';
import { openReplica } from '../src/replica-impl.ts';
import { createSeededRandomBytes, dumpState } from '../src/testing/index.ts';
import {
  clockAt,
  createTask,
  DAY,
  makeOp,
  memoryExecutor,
  NODE_A,
  NODE_B,
  openTestReplica,
  START,
} from './helpers.ts';

const set = (millis: number, field: string, value: unknown, origin = 'b', node = NODE_A) =>
  makeOp('field.set', node, clockAt(millis, origin), { field, value });

describe('merge', () => {
  it('[MERGE-3] the field write with the highest clock wins, in any order', async () => {
    const ops = [
      createTask(NODE_A, clockAt(START, 'b'), { title: 'created' }),
      set(START + 2, 'title', 'second', 'c'),
      set(START + 1, 'title', 'first', 'd'),
    ];
    for (const order of [ops, [...ops].reverse()]) {
      const { replica } = await openTestReplica(1);
      await replica.apply(order);
      expect((await replica.getNode(NODE_A))?.title).toBe('second');
    }
  });

  it('[MERGE-4] delete and undelete are one register; a deleted node leaves lists', async () => {
    const { replica } = await openTestReplica(1);
    await replica.apply([
      createTask(NODE_A, clockAt(START, 'b')),
      makeOp('node.undelete', NODE_A, clockAt(START + 1, 'b')),
      makeOp('node.delete', NODE_A, clockAt(START + 2, 'c')),
    ]);
    expect((await replica.getNode(NODE_A))?.deleted).toBe(true);
    expect(await replica.listTasks()).toEqual([]);
    expect(await replica.listTasks({ includeDeleted: true })).toHaveLength(1);
    expect(await replica.search('task')).toEqual([]);

    await replica.apply([makeOp('node.undelete', NODE_A, clockAt(START + 3, 'b'))]);
    expect((await replica.getNode(NODE_A))?.deleted).toBe(false);
    expect(await replica.search('task')).toHaveLength(1);
  });

  it('[MERGE-6] tags and links are LWW add/remove registers', async () => {
    const { replica } = await openTestReplica(1);
    await replica.apply([
      createTask(NODE_A, clockAt(START, 'b')),
      createTask(NODE_B, clockAt(START, 'c')),
      makeOp('tag.remove', NODE_A, clockAt(START + 2, 'b'), { tag: 'home' }),
      makeOp('tag.add', NODE_A, clockAt(START + 1, 'c'), { tag: 'home' }),
      makeOp('tag.add', NODE_A, clockAt(START + 1, 'c', 1), { tag: 'work' }),
      makeOp('link.add', NODE_A, clockAt(START + 3, 'b'), { target: NODE_B }),
      makeOp('link.remove', NODE_B, clockAt(START + 3, 'b', 1), { target: NODE_A }),
      makeOp('link.add', NODE_B, clockAt(START + 2, 'c'), { target: NODE_A }),
    ]);
    expect((await replica.getNode(NODE_A))?.tags).toEqual(['work']);
    expect(await replica.listTasks({ tag: 'work' })).toHaveLength(1);
    expect(await replica.links(NODE_A)).toEqual({ outgoing: [NODE_B], incoming: [] });
    expect(await replica.links(NODE_B)).toEqual({ outgoing: [], incoming: [NODE_A] });
  });

  it('[MERGE-7] context is the latest set and every later append, in clock order', async () => {
    const { replica } = await openTestReplica(1);
    await replica.apply([
      createTask(NODE_A, clockAt(START, 'b')),
      makeOp('context.append', NODE_A, clockAt(START + 1, 'b'), { text: 'before the set' }),
      makeOp('context.append', NODE_A, clockAt(START + 5, 'c'), { text: 'apart on c' }),
      makeOp('context.set', NODE_A, clockAt(START + 2, 'b'), { text: 'the plan' }),
      makeOp('context.append', NODE_A, clockAt(START + 4, 'b'), { text: 'apart on b' }),
    ]);
    expect(await replica.getContext(NODE_A)).toBe('the plan\napart on b\napart on c');
    expect(await replica.getContext(NODE_B)).toBe('');
    expect(await replica.search('apart')).toEqual([
      { node: NODE_A, source: 'context', snippet: expect.stringContaining('\u0002apart\u0003') },
    ]);
  });

  it('[MERGE-8] a recurring task rolls its do date and late-on forward past the latest closing', async () => {
    const { replica } = await openTestReplica(1);
    const anchor = Date.UTC(2026, 11, 1, 9);
    await replica.apply([
      createTask(NODE_A, clockAt(START, 'b'), {
        recurrence: 'FREQ=DAILY',
        doDate: anchor,
        lateOn: anchor + 2 * DAY,
      }),
    ]);
    expect((await replica.getNode(NODE_A))?.doDate).toBe(anchor);

    await replica.apply([
      makeOp('occurrence.close', NODE_A, clockAt(START + 1, 'b'), {
        occurrence: anchor + DAY,
        outcome: 'done',
      }),
      makeOp('occurrence.close', NODE_A, clockAt(START + 2, 'c'), {
        occurrence: anchor,
        outcome: 'skipped',
      }),
    ]);
    const view = await replica.getNode(NODE_A);
    expect(view?.doDate).toBe(anchor + 2 * DAY);
    expect(view?.lateOn).toBe(anchor + 4 * DAY);
    expect(view?.state).toBe('outstanding');
  });

  it('[MERGE-8] closing the last occurrence of an ended series leaves the task done', async () => {
    const { replica } = await openTestReplica(1);
    const anchor = Date.UTC(2026, 11, 1, 9);
    await replica.apply([
      createTask(NODE_A, clockAt(START, 'b'), { recurrence: 'FREQ=DAILY;COUNT=2', doDate: anchor }),
      makeOp('occurrence.close', NODE_A, clockAt(START + 7, 'b'), {
        occurrence: anchor + DAY,
        outcome: 'done',
      }),
    ]);
    const view = await replica.getNode(NODE_A);
    expect(view?.state).toBe('done');
    expect(view?.closedAt).toBe(START + 7);
  });

  it('[MERGE-9] a batch that fails midway leaves no trace', async () => {
    const base = memoryExecutor();
    let runs = 0;
    const failing: Executor = {
      ...base,
      run: (sql, params) => {
        if (sql.includes('INSERT INTO tags') && ++runs === 1) throw new Error('disk full');
        return base.run(sql, params);
      },
    };
    const { replica } = await openTestReplica(1, { executor: failing });
    const before = await dumpState(replica);
    const ops = [
      createTask(NODE_A, clockAt(START, 'b')),
      makeOp('tag.add', NODE_A, clockAt(START + 1, 'b'), { tag: 'x' }),
    ];
    await expect(replica.apply(ops)).rejects.toThrow('disk full');
    expect(await dumpState(replica)).toBe(before);
    expect(await replica.lastSeq()).toBe(0);

    expect((await replica.apply(ops)).inserted).toBe(2);
    expect((await replica.getNode(NODE_A))?.tags).toEqual(['x']);
  });

  it('[MERGE-9] each touched node is reported once per batch', async () => {
    const { replica } = await openTestReplica(1);
    const result = await replica.apply([
      createTask(NODE_A, clockAt(START, 'b')),
      set(START + 1, 'title', 'x'),
      set(START + 2, 'title', 'y'),
      makeOp('link.add', NODE_A, clockAt(START + 3, 'b'), { target: NODE_B }),
    ]);
    expect(result).toEqual({ inserted: 4, changedNodes: [NODE_A, NODE_B].sort() });
  });

  it('[MERGE-11] the log keeps every entry in clock order with origin and time', async () => {
    const { replica } = await openTestReplica(1);
    await replica.apply([
      makeOp('log.append', NODE_A, clockAt(START + 2, 'c'), { text: 'second' }),
      makeOp('log.append', NODE_A, clockAt(START + 1, 'b'), { text: 'first' }),
      makeOp('log.append', NODE_A, clockAt(START + 2, 'd'), { text: 'same millis' }),
    ]);
    expect(await replica.getLog(NODE_A)).toEqual([
      { clock: clockAt(START + 1, 'b'), origin: 'b', at: START + 1, text: 'first' },
      { clock: clockAt(START + 2, 'c'), origin: 'c', at: START + 2, text: 'second' },
      { clock: clockAt(START + 2, 'd'), origin: 'd', at: START + 2, text: 'same millis' },
    ]);
  });

  it('[MERGE-10] a write from the winner origin after seeing the value is not concurrent', async () => {
    const { replica: a } = await openTestReplica(1);
    const { replica: b } = await openTestReplica(2);
    const node = a.createNodeId();
    const made = await a.commit([{ kind: 'node.create', node, nodeKind: 'task', fields: {} }]);
    await b.apply(made);
    const first = await b.commit([{ kind: 'field.set', node, field: 'title', value: 'b' }]);
    await a.apply(first);
    await a.commit([{ kind: 'field.set', node, field: 'title', value: 'a after b' }]);
    const history = await a.fieldHistory(node, 'title');
    expect(history.map(({ value, winner, concurrent }) => ({ value, winner, concurrent }))).toEqual(
      [
        { value: 'b', winner: false, concurrent: false },
        { value: 'a after b', winner: true, concurrent: false },
      ],
    );
  });
});

describe('schema', () => {
  it('[SCHEMA-1] a store written by a newer schema is refused', async () => {
    const executor = memoryExecutor();
    const { replica } = await openTestReplica(1, { executor });
    await replica.setMeta('schema_version', '99');
    await expect(
      openReplica({ executor, now: () => START, randomBytes: createSeededRandomBytes(1) }),
    ).rejects.toMatchObject({ code: 'store_mismatch', data: { stored: 99, supported: 1 } });
  });

  it('[SCHEMA-2] sync state and other meta keys round-trip', async () => {
    const { replica } = await openTestReplica(1);
    expect(await replica.getMeta('hub_cursor')).toBeNull();
    await replica.setMeta('hub_id', 'hub-1');
    await replica.setMeta('hub_cursor', '42');
    expect(await replica.getMeta('hub_id')).toBe('hub-1');
    expect(await replica.getMeta('hub_cursor')).toBe('42');
    expect(replica.ownerId).toMatch(NODE_ID_PATTERN);
  });

  it('[SCHEMA-3] task columns come from their fields; wrong types read as unset', async () => {
    const { replica } = await openTestReplica(1);
    await replica.apply([
      createTask(NODE_A, clockAt(START, 'b'), {
        title: 'pay rent',
        state: 'done',
        doDate: START + DAY,
        lateOn: 'tomorrow',
        attention: 'orange',
        project: NODE_B,
        closedAt: START + 5,
      }),
      makeOp('node.create', NODE_B, clockAt(START, 'c'), {
        nodeKind: 'project',
        fields: { title: 'Home', attention: 'purple' },
      }),
    ]);
    const task = await replica.getNode(NODE_A);
    expect(task).toMatchObject({
      kind: 'task',
      title: 'pay rent',
      state: 'done',
      doDate: START + DAY,
      lateOn: null,
      attention: 'orange',
      project: NODE_B,
      closedAt: START + 5,
      createdAt: START,
      updatedAt: START,
    });
    const [project] = await replica.listProjects();
    expect(project).toMatchObject({ id: NODE_B, kind: 'project', state: null, attention: null });
    expect(await replica.listTasks({ project: NODE_B, state: 'done' })).toHaveLength(1);
    expect(await replica.listTasks({ project: null })).toHaveLength(0);
    expect(await replica.listTasks({ dueBefore: START + DAY })).toHaveLength(1);
    expect(await replica.listTasks({ dueBefore: START })).toHaveLength(0);
  });

  it('[SCHEMA-4] commits are pending until pushed; markAllPending re-marks own ops, or all', async () => {
    const { replica } = await openTestReplica(1);
    const node = replica.createNodeId();
    const ops = await replica.commit([
      { kind: 'node.create', node, nodeKind: 'task', fields: { title: 'x' } },
      { kind: 'log.append', node, text: 'y' },
    ]);
    await replica.apply([makeOp('log.append', node, clockAt(START, 'ffff'), { text: 'remote' })]);
    expect(await replica.pendingOps(10)).toEqual(ops);
    expect(await replica.pendingCount()).toBe(2);

    await replica.markPushed([ops[0]?.clock ?? '']);
    expect(await replica.pendingOps(10)).toEqual([ops[1]]);
    await replica.markPushed(ops.map((op) => op.clock));
    expect(await replica.pendingCount()).toBe(0);

    await replica.markAllPending();
    expect(await replica.pendingOps(1)).toEqual([ops[0]]);
    expect(await replica.pendingCount()).toBe(2);
    await replica.markAllPending({ allOrigins: true });
    expect(await replica.pendingCount()).toBe(3);
  });

  it('[SCHEMA-5] dumpState leaves out per-replica data and is stable', async () => {
    const { replica: a } = await openTestReplica(1);
    const { replica: b } = await openTestReplica(2);
    const ops = [createTask(NODE_A, clockAt(START, 'b')), set(START + 1, 'title', 'x')];
    await a.apply(ops);
    await b.apply([...ops].reverse());
    await a.commit([{ kind: 'log.append', node: NODE_A, text: 'only on a' }]);
    await b.apply((await a.pendingOps(10)).slice());
    expect(a.origin).not.toBe(b.origin);
    expect(await dumpState(a)).toBe(await dumpState(b.executor));
    expect(JSON.parse(await dumpState(a)).ops).toHaveLength(3);
  });
});

describe('ops paging', () => {
  it('[OP-7] opsAfter pages by seq, skips an origin, and ends at the last seq', async () => {
    const { replica } = await openTestReplica(1);
    const ops = [
      createTask(NODE_A, clockAt(START, 'b')),
      set(START + 1, 'x', 1, 'c'),
      set(START + 2, 'x', 2, 'b'),
      set(START + 3, 'x', 3, 'c'),
    ];
    for (const op of ops) await replica.apply([op]);
    const first = await replica.opsAfter(0, { limit: 2 });
    expect(first).toEqual({
      items: [
        { seq: 1, op: ops[0] },
        { seq: 2, op: ops[1] },
      ],
      cursor: 2,
      more: true,
    });
    const rest = await replica.opsAfter(2, { limit: 2, excludeOrigin: 'c' });
    expect(rest).toEqual({ items: [{ seq: 3, op: ops[2] }], cursor: 4, more: false });
    expect(await replica.opsAfter(4, { limit: 2 })).toEqual({ items: [], cursor: 4, more: false });
    expect(await replica.lastSeq()).toBe(4);
  });
});

describe('search', () => {
  it('[SEARCH-1] titles, contexts and log entries are indexed and kept in step', async () => {
    const { replica } = await openTestReplica(1);
    await replica.apply([
      createTask(NODE_A, clockAt(START, 'b'), { title: 'Buy paint' }),
      makeOp('log.append', NODE_A, clockAt(START + 1, 'b'), { text: 'asked about primer' }),
    ]);
    expect((await replica.search('paint')).map((hit) => hit.source)).toEqual(['title']);
    expect((await replica.search('primer')).map((hit) => hit.source)).toEqual(['log']);

    await replica.apply([set(START + 2, 'title', 'Buy brushes')]);
    expect(await replica.search('paint')).toEqual([]);
    expect(await replica.search('brush')).toHaveLength(1);
    await replica.apply([set(START + 3, 'title', '')]);
    expect(await replica.search('brush')).toEqual([]);
  });

  it('[SEARCH-3] a query without a letter or digit returns nothing', async () => {
    const { replica } = await openTestReplica(1);
    await replica.apply([createTask(NODE_A, clockAt(START, 'b'), { title: 'a - b' })]);
    for (const query of ['', '   ', '-', '"', '()', '* : ^', '""""']) {
      expect(await replica.search(query)).toEqual([]);
    }
  });

  it('[SEARCH-4] a query that cannot be searched is invalid_query, not an SQLite error', async () => {
    const { replica } = await openTestReplica(1);
    for (const query of ['x'.repeat(1001), 'a\u0000b', 42 as unknown as string]) {
      await expect(replica.search(query)).rejects.toMatchObject({ code: 'invalid_query' });
    }
  });

  it('[SEARCH-5] hits carry the node, the source and a marked snippet, deleted nodes left out', async () => {
    const { replica } = await openTestReplica(1);
    await replica.apply([
      createTask(NODE_A, clockAt(START, 'b'), { title: 'Café renovation plans' }),
      createTask(NODE_B, clockAt(START, 'c'), { title: 'renovation budget' }),
      makeOp('log.append', '01KBN00000000000000000000C', clockAt(START, 'd'), {
        text: 'renovation of a node never created',
      }),
    ]);
    const hits = await replica.search('RENOV cafe');
    expect(hits).toEqual([
      { node: NODE_A, source: 'title', snippet: '\u0002Café\u0003 \u0002renovation\u0003 plans' },
    ]);
    expect(await replica.search('renovation')).toHaveLength(2);
    await replica.apply([makeOp('node.delete', NODE_B, clockAt(START + 1, 'c'))]);
    expect(await replica.search('renovation', 5)).toHaveLength(1);
  });
});

describe('ids', () => {
  it('[ID-1] node ids are ULIDs, the same for the same seed, sorted by creation millisecond', async () => {
    const make = async () => {
      const { replica, clock } = await openTestReplica(7);
      const sameMillisecond = [replica.createNodeId(), replica.createNodeId()];
      clock.advance(1);
      return [...sameMillisecond, replica.createNodeId()];
    };
    const ids = await make();
    expect(await make()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(NODE_ID_PATTERN);

    const [first, second, later] = ids as [string, string, string];
    expect(first.slice(0, 10)).toBe(second.slice(0, 10));
    // Within one millisecond the random part differs early, not only at the end.
    expect(first.slice(0, 12)).not.toBe(second.slice(0, 12));
    expect(later > first && later > second).toBe(true);
  });

  it('[ID-2] a deleted node still resolves by prefix', async () => {
    const db = createBetterSqliteExecutor(new Database(':memory:'));
    const { replica } = await openTestReplica(1, { executor: db });
    await replica.apply([
      createTask(NODE_A, clockAt(START, 'b')),
      makeOp('node.delete', NODE_A, clockAt(START + 1, 'b')),
    ]);
    expect(await replica.resolveId(NODE_A.slice(0, 26).toLowerCase())).toBe(NODE_A);
  });
});

describe('limits', () => {
  it('[OP-7] a missing or NaN limit is clamped, never an SQL error', async () => {
    const { replica } = await openTestReplica(1);
    await replica.apply([createTask(NODE_A, clockAt(START, 'b'), { title: 'one' })]);
    expect(await replica.listTasks({ limit: Number.NaN })).toHaveLength(1);
    expect(await replica.listTasks({ limit: 0 })).toHaveLength(0);
    expect(await replica.search('one', Number.NaN)).toHaveLength(1);
    expect((await replica.opsAfter(0, { limit: Number.NaN })).items).toHaveLength(1);
    expect(await replica.pendingOps(Number.NaN)).toEqual([]);
  });

  it('[CLOCK-2] a draft cannot bring its own clock or prev', async () => {
    const { replica } = await openTestReplica(1);
    const forged = { kind: 'log.append', node: NODE_A, text: 'x', clock: clockAt(1, 'evil') };
    const [op] = await replica.commit([forged as never]);
    expect(op?.clock.endsWith(replica.origin)).toBe(true);
    const prev = { kind: 'field.set', node: NODE_A, field: 'f', value: 1, prev: clockAt(1) };
    const [set] = await replica.commit([prev as never]);
    expect(set).not.toHaveProperty('prev');
  });
});
