import { describe, expect, it } from 'vitest';
import { OplogError } from '../src/errors.ts';
import { LIMITS, validateOps } from '../src/validate.ts';
import { clockAt, createTask, makeOp, NODE_A, NODE_B, openTestReplica, START } from './helpers.ts';

const CLOCK = clockAt(START);

function errorOf(ops: unknown[]): OplogError {
  try {
    validateOps(ops);
  } catch (error) {
    if (error instanceof OplogError) return error;
    throw error;
  }
  throw new Error('expected invalid_op');
}

describe('validate', () => {
  it('[OP-1] every op needs v, clock, node and kind', () => {
    const good = createTask(NODE_A, CLOCK);
    expect(() => validateOps([good])).not.toThrow();
    for (const field of ['v', 'clock', 'node', 'kind']) {
      const { [field]: _, ...missing } = good as unknown as Record<string, unknown>;
      const error = errorOf([missing]);
      expect(error.code).toBe('invalid_op');
      expect(error.data.field).toBe(field);
    }
    expect(errorOf([{ ...good, v: 0 }]).data.field).toBe('v');
    expect(errorOf([{ ...good, node: NODE_A.toLowerCase() }]).data.field).toBe('node');
    expect(errorOf(['not an object']).data.index).toBe(0);
  });

  it('[OP-2] each known kind checks its own body', () => {
    const cases: Array<[unknown, string]> = [
      [makeOp('node.create', NODE_A, CLOCK, { nodeKind: 'task', fields: { t: {} } }), 'fields.t'],
      [makeOp('node.create', NODE_A, CLOCK, { nodeKind: 'task' }), 'fields'],
      [makeOp('field.set', NODE_A, CLOCK, { field: '1bad', value: 1 }), 'field'],
      [makeOp('field.set', NODE_A, CLOCK, { field: 'x', value: Number.NaN }), 'value'],
      [makeOp('field.set', NODE_A, CLOCK, { field: 'x', value: 1, prev: 'no' }), 'prev'],
      [makeOp('tag.add', NODE_A, CLOCK, { tag: '' }), 'tag'],
      [makeOp('tag.remove', NODE_A, CLOCK, { tag: ' x' }), 'tag'],
      [makeOp('link.add', NODE_A, CLOCK, { target: 'nope' }), 'target'],
      [makeOp('log.append', NODE_A, CLOCK, { text: 3 }), 'text'],
      [makeOp('context.set', NODE_A, CLOCK, {}), 'text'],
      [
        makeOp('occurrence.close', NODE_A, CLOCK, { occurrence: 1.5, outcome: 'done' }),
        'occurrence',
      ],
      [makeOp('occurrence.close', NODE_A, CLOCK, { occurrence: 1, outcome: 'late' }), 'outcome'],
    ];
    for (const [op, field] of cases) {
      const error = errorOf([createTask(NODE_B, clockAt(START - 1)), op]);
      expect({ field: error.data.field, index: error.data.index }).toEqual({ field, index: 1 });
      expect(error.data.clock).toBe(CLOCK);
    }
  });

  it('[OP-3] size limits on titles, tags and texts', () => {
    const title = 'x'.repeat(LIMITS.titleChars);
    expect(() => validateOps([createTask(NODE_A, CLOCK, { title })])).not.toThrow();
    expect(errorOf([createTask(NODE_A, CLOCK, { title: `${title}x` })]).data.field).toBe('fields');
    const longTitle = makeOp('field.set', NODE_A, CLOCK, { field: 'title', value: `${title}x` });
    expect(errorOf([longTitle]).code).toBe('invalid_op');
    expect(errorOf([makeOp('tag.add', NODE_A, CLOCK, { tag: 'x'.repeat(101) })]).data.field).toBe(
      'tag',
    );

    const mib = 'é'.repeat(LIMITS.textBytes / 2);
    expect(() => validateOps([makeOp('log.append', NODE_A, CLOCK, { text: mib })])).not.toThrow();
    const over = makeOp('log.append', NODE_A, CLOCK, { text: `${mib}x` });
    expect(errorOf([over]).data.field).toBe('text');
  });

  it('[OP-4] commit validates its drafts: a bad draft stores nothing', async () => {
    const { replica } = await openTestReplica(1);
    const node = replica.createNodeId();
    await expect(
      replica.commit([
        { kind: 'node.create', node, nodeKind: 'task', fields: { title: 'ok' } },
        { kind: 'tag.add', node, tag: '' },
      ]),
    ).rejects.toMatchObject({ code: 'invalid_op', data: { index: 1, field: 'tag' } });
    expect(await replica.lastSeq()).toBe(0);
    expect(await replica.pendingCount()).toBe(0);
  });

  it('[OP-6] unknown field names are stored, shown and passed on', async () => {
    const { replica } = await openTestReplica(1);
    const ops = [
      createTask(NODE_A, clockAt(START, 'b'), { energy: 'low' }),
      makeOp('field.set', NODE_A, clockAt(START + 1, 'b'), { field: 'estimate', value: 30 }),
      { ...makeOp('tag.add', NODE_A, clockAt(START + 2, 'b'), { tag: 't' }), colour: 'teal' },
    ];
    await replica.apply(ops);
    expect((await replica.getNode(NODE_A))?.fields).toEqual({
      title: 'task',
      energy: 'low',
      estimate: 30,
    });
    const page = await replica.opsAfter(0, { limit: 10 });
    expect(page.items.map((item) => item.op)).toEqual(ops);
  });
});
