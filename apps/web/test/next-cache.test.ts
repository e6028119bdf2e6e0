/**
 * The worker's Next cache must answer exactly what the shared `task.next`
 * command answers, after every kind of change, as long as it is told which
 * nodes changed.
 */
import {
  commands,
  createIdFactory,
  type NodeView,
  openReplica,
  type Replica,
  rankNext,
} from '@heph/oplog';
import { openBetterSqlite } from '@heph/oplog/better-sqlite3';
import { createManualClock, createSeededRandomBytes } from '@heph/oplog/testing';
import { describe, expect, it } from 'vitest';
import { NextCache, topNext } from '../src/worker/next-cache.ts';

const START = Date.UTC(2026, 11, 4, 9, 0, 0);

async function setup() {
  const clock = createManualClock(START);
  const randomBytes = createSeededRandomBytes(11);
  const replica = await openReplica({
    executor: openBetterSqlite(':memory:'),
    now: clock.now,
    randomBytes,
  });
  const ctx = {
    replica,
    now: clock.now,
    timeZone: 'UTC',
    newId: createIdFactory(clock.now, randomBytes),
  };
  return { replica, ctx, clock, cache: new NextCache(replica) };
}

async function expected(ctx: { replica: Replica; now: () => number }, limit: number) {
  const result = await commands['task.next'](
    { ...ctx, timeZone: 'UTC', newId: () => '' },
    { limit },
  );
  return result.tasks.map((task) => task.id);
}

describe('NextCache', () => {
  it('matches task.next after creates, edits, done and drop when told the touched nodes', async () => {
    const { ctx, clock, cache } = await setup();
    const ids: string[] = [];
    for (const text of ['Pay rent tomorrow !red', 'Read a book', 'Call Ann today', 'Fix the tap']) {
      ids.push((await commands['task.create'](ctx, { text })).node_id);
    }
    expect((await cache.next(clock.now(), 10)).map((task) => task.id)).toEqual(
      await expected(ctx, 10),
    );

    await commands['task.edit'](ctx, { id: ids[1] as string, attention: 'red' });
    await commands['task.done'](ctx, { id: ids[0] as string });
    await commands['task.drop'](ctx, { id: ids[3] as string });
    const created = (await commands['task.create'](ctx, { text: 'New one !orange' })).node_id;
    cache.invalidate([ids[1] as string, ids[0] as string, ids[3] as string, created]);

    const ranked = (await cache.next(clock.now(), 10)).map((task) => task.id);
    expect(ranked).toEqual(await expected(ctx, 10));
    expect(ranked).not.toContain(ids[0]);
    expect(ranked).not.toContain(ids[3]);
    expect(ranked).toContain(created);
  });

  it('re-reads everything after a change that names no nodes', async () => {
    const { ctx, clock, cache } = await setup();
    await commands['task.create'](ctx, { text: 'First' });
    await cache.next(clock.now(), 10);
    await commands['task.create'](ctx, { text: 'Second' });
    cache.invalidate();
    expect((await cache.next(clock.now(), 10)).map((task) => task.title).sort()).toEqual([
      'First',
      'Second',
    ]);
  });

  it('respects the limit', async () => {
    const { ctx, clock, cache } = await setup();
    for (let index = 0; index < 5; index += 1)
      await commands['task.create'](ctx, { text: `T${index}` });
    expect(await cache.next(clock.now(), 2)).toHaveLength(2);
  });

  it('[RANK-3] keeps the first tasks of rankNext without sorting them all, ties included', () => {
    let seed = 5;
    const random = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const attention = ['red', 'orange', 'white', 'blue', null] as const;
    const tasks: NodeView[] = [];
    for (let index = 0; index < 2_000; index += 1) {
      tasks.push(
        taskView(`t${Math.floor(random() * 1e9)}-${index}`, {
          attention: attention[Math.floor(random() * attention.length)] ?? null,
          // Whole days only, so many tasks share a score and the id decides.
          createdAt: START - Math.floor(random() * 30) * 86_400_000,
          doDate: random() < 0.2 ? START + 86_400_000 : null,
          lateOn: random() < 0.1 ? START - 3 * 86_400_000 : null,
          tags: random() < 0.3 ? ['home'] : [],
          deleted: random() < 0.05,
        }),
      );
    }
    for (const limit of [1, 7, 200, 5_000]) {
      expect(topNext(tasks, START, limit).map((task) => task.id)).toEqual(
        rankNext(tasks, START)
          .slice(0, limit)
          .map((task) => task.id),
      );
    }
  });
});

function taskView(id: string, fields: Partial<NodeView>): NodeView {
  return {
    id,
    kind: 'task',
    title: id,
    state: 'outstanding',
    createdAt: START,
    updatedAt: START,
    deleted: false,
    doDate: null,
    lateOn: null,
    attention: null,
    project: null,
    recurrence: null,
    closedAt: null,
    tags: [],
    fields: {},
    ...fields,
  };
}
