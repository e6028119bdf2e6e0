import type { NodeView } from '@heph/oplog';
import { describe, expect, it } from 'vitest';
import type { HephClient } from '../client/heph-client.ts';
import { undoAction } from './actions.ts';

function task(overrides: Partial<NodeView>): NodeView {
  return {
    id: '01TASK',
    kind: 'task',
    title: 'Water the plants',
    createdAt: 0,
    updatedAt: 0,
    deleted: false,
    state: 'outstanding',
    doDate: null,
    lateOn: null,
    attention: null,
    project: null,
    recurrence: null,
    closedAt: null,
    tags: [],
    fields: {},
    ...overrides,
  };
}

function recordingClient() {
  const calls: Array<[string, unknown]> = [];
  const client = {
    call: async (method: string, params: unknown) => {
      calls.push([method, params]);
      return { node: task({}) };
    },
  } as unknown as HephClient;
  return { client, calls };
}

describe('undo', () => {
  it('reopens a plain task after done or drop', async () => {
    const { client, calls } = recordingClient();
    await undoAction(client, task({}), 'done');
    await undoAction(client, task({ recurrence: 'FREQ=DAILY', doDate: 5 }), 'drop');
    expect(calls).toEqual([
      ['task.reopen', { id: '01TASK' }],
      ['task.reopen', { id: '01TASK' }],
    ]);
  });

  it('moves a recurring task back to the closed occurrence: the anchor just after it, late-on as it was', async () => {
    const { client, calls } = recordingClient();
    const before = task({ recurrence: 'FREQ=DAILY;INTERVAL=3', doDate: 1_000, lateOn: 9_000 });
    await undoAction(client, before, 'done');
    await undoAction(client, task({ recurrence: 'FREQ=WEEKLY', doDate: 2_000 }), 'skip');
    expect(calls).toEqual([
      ['task.edit', { id: '01TASK', doDate: 1_001, lateOn: 9_000 }],
      ['task.edit', { id: '01TASK', doDate: 2_001 }],
    ]);
  });
});
