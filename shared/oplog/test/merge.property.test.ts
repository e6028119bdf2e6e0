/**
 * The merge laws as properties (fast-check): order and batching do not
 * matter, duplicates do nothing, and a field ends with its highest-clock write.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Op } from '../src/op.ts';
import { dumpState } from '../src/testing/index.ts';
import { clockAt, makeOp, openTestReplica, START } from './helpers.ts';

const NODES = [
  '01KBN0000000000000000000N1',
  '01KBN0000000000000000000N2',
  '01KBN0000000000000000000N3',
];
const ORIGINS = ['aa', 'bb', 'cc'];
const RUNS = { numRuns: 40 };

const node = fc.constantFrom(...NODES);
const text = fc.constantFrom('alpha', 'beta gamma', 're-file', '');
const value = fc.oneof(text, fc.integer({ min: 0, max: 5 }), fc.boolean(), fc.constant(null));

/** A body for one op kind (without the envelope). */
const body: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({
    kind: fc.constant('node.create'),
    nodeKind: fc.constantFrom('task', 'project'),
    fields: fc.dictionary(fc.constantFrom('title', 'state', 'doDate', 'x'), value, { maxKeys: 3 }),
  }),
  fc.record({
    kind: fc.constant('field.set'),
    field: fc.constantFrom('title', 'attention'),
    value,
  }),
  fc.record({ kind: fc.constantFrom('node.delete', 'node.undelete') }),
  fc.record({ kind: fc.constantFrom('tag.add', 'tag.remove'), tag: fc.constantFrom('a', 'b') }),
  fc.record({ kind: fc.constantFrom('link.add', 'link.remove'), target: node }),
  fc.record({ kind: fc.constantFrom('log.append', 'context.set', 'context.append'), text }),
  fc.record({ kind: fc.constant('future.kind'), payload: text }),
);

/** Ops with distinct clocks: the counter is the op's index. */
const opsArbitrary = fc
  .array(
    fc.record({
      node,
      body,
      millis: fc.integer({ min: 0, max: 20 }),
      origin: fc.constantFrom(...ORIGINS),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((items) =>
    items.map((item, index) => {
      const { kind, ...rest } = item.body;
      const clock = clockAt(START + item.millis, item.origin, index);
      return makeOp(kind as string, item.node, clock, rest);
    }),
  );

/** A shuffled copy of the ops with some repeated, cut into batches. */
const deliveries = (ops: Op[]) =>
  fc
    .record({
      order: fc.shuffledSubarray(ops, { minLength: ops.length, maxLength: ops.length }),
      repeats: fc.subarray(ops),
      cuts: fc.array(fc.nat({ max: ops.length * 2 }), { maxLength: 5 }),
    })
    .map(({ order, repeats, cuts }) => {
      const stream = [...order, ...repeats];
      const points = [...new Set([0, ...cuts, stream.length])].sort((a, b) => a - b);
      return points.slice(1).map((end, index) => stream.slice(points[index], end));
    });

async function stateAfter(batches: Op[][]): Promise<string> {
  const { replica } = await openTestReplica(1);
  for (const batch of batches) await replica.apply(batch);
  const dump = await dumpState(replica);
  await replica.close();
  return dump;
}

function titleWrites(items: Array<{ millis: number; origin: string }>): Op[] {
  return items.map((item, index) =>
    makeOp('field.set', NODES[0] as string, clockAt(START + item.millis, item.origin, index), {
      field: 'title',
      value: `v${index}`,
    }),
  );
}

function withShuffle(items: Array<{ millis: number; origin: string }>) {
  const ops = titleWrites(items);
  return fc.tuple(
    fc.constant(ops),
    fc.shuffledSubarray(ops, { minLength: ops.length, maxLength: ops.length }),
  );
}

describe('merge laws', () => {
  it('[MERGE-1] any permutation of any batches, with duplicates, gives identical state', async () => {
    await fc.assert(
      fc.asyncProperty(
        opsArbitrary.chain((ops) => fc.tuple(fc.constant(ops), deliveries(ops))),
        async ([ops, batches]) => {
          expect(await stateAfter(batches)).toBe(await stateAfter([ops]));
        },
      ),
      RUNS,
    );
  });

  it('[MERGE-2] applying the same batch twice changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(opsArbitrary, async (ops) => {
        const { replica } = await openTestReplica(1);
        await replica.apply(ops);
        const once = await dumpState(replica);
        const again = await replica.apply(ops);
        expect(again.inserted).toBe(0);
        expect(await dumpState(replica)).toBe(once);
        await replica.close();
      }),
      RUNS,
    );
  });

  it('[MERGE-3] a field ends with the value of its highest-clock write', async () => {
    const writes = fc.array(
      fc.record({ millis: fc.integer({ min: 0, max: 10 }), origin: fc.constantFrom(...ORIGINS) }),
      { minLength: 1, maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(writes.chain(withShuffle), async ([ops, shuffled]) => {
        const create = makeOp('node.create', NODES[0] as string, clockAt(START - 1, 'aa'), {
          nodeKind: 'task',
          fields: {},
        });
        const { replica } = await openTestReplica(1);
        await replica.apply([...shuffled, create]);
        const max = [...ops].sort((a, b) => (a.clock < b.clock ? 1 : -1))[0] as Op;
        expect((await replica.getNode(NODES[0] as string))?.title).toBe(
          (max as { value?: unknown }).value,
        );
        const history = await replica.fieldHistory(NODES[0] as string, 'title');
        expect(history.filter((entry) => entry.winner).map((entry) => entry.clock)).toEqual([
          max.clock,
        ]);
        await replica.close();
      }),
      RUNS,
    );
  });
});
