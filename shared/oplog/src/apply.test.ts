/**
 * applyBatch runs register writes grouped by statement, through the driver's
 * runMany when it has one and `run` per row when not. Both paths must give
 * exactly the state op-by-op application gives; the merge laws themselves are
 * tested in test/ (contract, properties, simulator).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { timestampToString } from './clock.ts';
import { createBetterSqliteExecutor } from './drivers/better-sqlite3.ts';
import type { Executor } from './executor.ts';
import { OP_FORMAT_VERSION, type Op } from './op.ts';
import { openReplica } from './replica-impl.ts';
import { dumpState } from './testing/dump.ts';
import { createManualClock, createSeededRandomBytes } from './testing/fixtures.ts';

const START = Date.UTC(2026, 11, 4, 9, 0, 0);
const NODES = ['01KBN00000000000000000000A', '01KBN00000000000000000000B'] as const;

function clockAt(offset: number, origin: string): string {
  return timestampToString({ millis: START + offset, counter: 0, origin });
}

/** Every kind, two origins writing the same registers, and repeats within and across batches. */
function opsOfEveryKind(): Op[][] {
  const [a, b] = NODES;
  const op = (offset: number, origin: string, node: string, body: object) =>
    ({ v: OP_FORMAT_VERSION, clock: clockAt(offset, origin), node, ...body }) as Op;
  const create = op(5, 'aa', a, { kind: 'node.create', nodeKind: 'task', fields: { title: 'A' } });
  const early = op(1, 'bb', a, { kind: 'field.set', field: 'title', value: 'older' });
  const late = op(9, 'bb', a, { kind: 'field.set', field: 'title', value: 'newer' });
  return [
    [early, late, op(2, 'aa', b, { kind: 'log.append', text: 'before its create' }), late],
    [
      create,
      op(6, 'aa', a, { kind: 'tag.add', tag: 'home' }),
      op(7, 'bb', a, { kind: 'tag.remove', tag: 'home' }),
      op(8, 'aa', a, { kind: 'link.add', target: b }),
      op(10, 'aa', a, { kind: 'context.set', text: 'plan' }),
      op(11, 'bb', a, { kind: 'context.append', text: 'more' }),
      op(12, 'aa', a, { kind: 'occurrence.close', occurrence: START, outcome: 'done' }),
      op(13, 'bb', a, { kind: 'node.delete' }),
      op(14, 'aa', a, { kind: 'node.undelete' }),
      op(15, 'cc', a, { kind: 'pin.set', pinned: true }),
      op(16, 'aa', b, { kind: 'node.create', nodeKind: 'note', fields: { title: '' } }),
      op(17, 'bb', b, { kind: 'field.set', field: 'title', value: 'B' }),
    ],
    [create, early, op(18, 'cc', b, { kind: 'field.set', field: 'title', value: '' })],
  ];
}

async function applyAll(
  executor: Executor,
  batches = opsOfEveryKind(),
): Promise<{ dump: string; inserted: number[] }> {
  const replica = await openReplica({
    executor,
    now: createManualClock(START).now,
    randomBytes: createSeededRandomBytes(3),
  });
  const inserted: number[] = [];
  for (const batch of batches) inserted.push((await replica.apply(batch)).inserted);
  const dump = await dumpState(replica);
  await replica.close();
  return { dump, inserted };
}

describe('grouped apply', () => {
  it('[MERGE-1] runMany and the run-per-row fallback give the same state', async () => {
    const batched = createBetterSqliteExecutor(new Database(':memory:'));
    const perRow: Executor = { ...createBetterSqliteExecutor(new Database(':memory:')) };
    expect(batched.runMany).toBeTypeOf('function');
    expect(perRow.runMany).toBeUndefined();

    const viaMany = await applyAll(batched);
    const viaRun = await applyAll(perRow);
    expect(viaRun.dump).toBe(viaMany.dump);
    expect(viaMany.inserted).toEqual([3, 12, 1]);
    expect(viaRun.inserted).toEqual(viaMany.inserted);

    const oneByOne = opsOfEveryKind()
      .flat()
      .map((op) => [op]);
    const opByOp = await applyAll(createBetterSqliteExecutor(new Database(':memory:')), oneByOne);
    expect(opByOp.dump).toBe(viaMany.dump);
  });

  it('[MERGE-2] a clock repeated within one batch is applied once', async () => {
    const { inserted } = await applyAll(createBetterSqliteExecutor(new Database(':memory:')));
    expect(inserted[0]).toBe(3);
  });
});
