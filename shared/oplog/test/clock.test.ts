import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareTimestamps,
  HybridClock,
  MAX_COUNTER,
  MAX_DRIFT_MS,
  parseTimestamp,
  receiveTimestamp,
  sendTimestamp,
  timestampToString,
} from '../src/clock.ts';
import { clockAt, createTask, DAY, makeOp, NODE_A, openTestReplica, START } from './helpers.ts';

const timestamp = fc.record({
  millis: fc.integer({ min: 0, max: 2 ** 44 }),
  counter: fc.integer({ min: 0, max: MAX_COUNTER }),
  origin: fc.stringMatching(/^[0-9a-z]{1,16}$/),
});

describe('clock', () => {
  it('[CLOCK-2] the string form sorts exactly as compareTimestamps', () => {
    fc.assert(
      fc.property(timestamp, timestamp, (a, b) => {
        const byString = Math.sign(
          timestampToString(a) < timestampToString(b)
            ? -1
            : timestampToString(a) > timestampToString(b)
              ? 1
              : 0,
        );
        expect(byString).toBe(Math.sign(compareTimestamps(a, b)));
        expect(parseTimestamp(timestampToString(a))).toEqual(a);
      }),
    );
  });

  it('[CLOCK-2] send strictly increases, and a full counter spills into the next millisecond', () => {
    const local = { millis: START, counter: MAX_COUNTER, origin: 'a' };
    expect(sendTimestamp(local, START)).toEqual({ millis: START + 1, counter: 0, origin: 'a' });
    expect(sendTimestamp(local, START + 5)).toEqual({ millis: START + 5, counter: 0, origin: 'a' });

    const clock = new HybridClock({ millis: 0, counter: 0, origin: 'a' }, () => START);
    const issued = Array.from({ length: 5 }, () => timestampToString(clock.send()));
    expect([...issued].sort()).toEqual(issued);
    expect(new Set(issued).size).toBe(5);
  });

  it('[CLOCK-3] after receiving, the next local op sorts after the remote one', async () => {
    const { replica } = await openTestReplica(1);
    const remote = clockAt(START + 30_000, 'ffff', 7);
    await replica.apply([createTask(NODE_A, remote)]);
    const [local] = await replica.commit([{ kind: 'log.append', node: NODE_A, text: 'x' }]);
    expect((local?.clock ?? '') > remote).toBe(true);
  });

  it('[CLOCK-4] a peer two days ahead is kept, but moves the local clock at most MAX_DRIFT ahead', async () => {
    const { replica } = await openTestReplica(1);
    const ahead = clockAt(START + 2 * DAY, 'ffff');
    const result = await replica.apply([createTask(NODE_A, ahead, { title: 'from the future' })]);

    expect(result.inserted).toBe(1);
    expect((await replica.getNode(NODE_A))?.title).toBe('from the future');
    const [local] = await replica.commit([{ kind: 'log.append', node: NODE_A, text: 'x' }]);
    const millis = parseTimestamp(local?.clock ?? '').millis;
    expect(millis).toBeLessThanOrEqual(START + MAX_DRIFT_MS);
    expect(millis).toBeGreaterThanOrEqual(START);
  });

  it('[CLOCK-4] a peer two days behind is kept and leaves the local clock alone', async () => {
    const { replica } = await openTestReplica(1);
    const behind = clockAt(START - 2 * DAY, 'ffff');
    await replica.apply([createTask(NODE_A, behind, { title: 'from the past' })]);
    expect((await replica.getNode(NODE_A))?.title).toBe('from the past');
    const [local] = await replica.commit([{ kind: 'log.append', node: NODE_A, text: 'x' }]);
    expect(parseTimestamp(local?.clock ?? '').millis).toBe(START);
  });

  it('[CLOCK-4] receive bounds a far remote at now + MAX_DRIFT_MS', () => {
    const local = { millis: START, counter: 3, origin: 'a' };
    const remote = { millis: START + DAY, counter: 9, origin: 'b' };
    const next = receiveTimestamp(local, remote, START);
    expect(next.millis).toBe(START + MAX_DRIFT_MS);
    expect(next.origin).toBe('a');
  });

  it('[CLOCK-5] an edit over a fast peer value is stamped after it and wins', async () => {
    const { replica } = await openTestReplica(1);
    const fast = clockAt(START + 2 * DAY, 'ffff');
    await replica.apply([createTask(NODE_A, clockAt(START - 1000, 'ffff'))]);
    await replica.apply([makeOp('field.set', NODE_A, fast, { field: 'title', value: 'peer' })]);

    const [edit] = await replica.commit([
      { kind: 'field.set', node: NODE_A, field: 'title', value: 'mine' },
    ]);
    expect((edit?.clock ?? '') > fast).toBe(true);
    expect((edit as { prev?: string }).prev).toBe(fast);
    expect((await replica.getNode(NODE_A))?.title).toBe('mine');
  });

  it('[CLOCK-5] the override also holds for deletions and tags', async () => {
    const { replica } = await openTestReplica(1);
    await replica.apply([
      createTask(NODE_A, clockAt(START - 1000, 'ffff')),
      makeOp('node.delete', NODE_A, clockAt(START + DAY, 'ffff')),
      makeOp('tag.add', NODE_A, clockAt(START + DAY, 'ffff', 1), { tag: 'x' }),
    ]);
    await replica.commit([
      { kind: 'node.undelete', node: NODE_A },
      { kind: 'tag.remove', node: NODE_A, tag: 'x' },
    ]);
    const view = await replica.getNode(NODE_A);
    expect(view?.deleted).toBe(false);
    expect(view?.tags).toEqual([]);
  });
});
