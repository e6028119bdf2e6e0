/**
 * The worker's Next cache must answer exactly what the shared `task.next`
 * command answers, after every kind of change, as long as it is told which
 * nodes changed.
 */
import { commands, createIdFactory, openReplica, type Replica } from '@heph/oplog';
import { openBetterSqlite } from '@heph/oplog/better-sqlite3';
import { createManualClock, createSeededRandomBytes } from '@heph/oplog/testing';
import { describe, expect, it } from 'vitest';
import { NextCache } from '../src/worker/next-cache.ts';

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
});
