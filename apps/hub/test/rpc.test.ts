/**
 * /rpc as scripts and agents use it: JSON-RPC 2.0 framing, every method
 * dispatched to the shared commands under the hub's own origin, and errors
 * with stable codes.
 */
import { RPC_ERRORS, RPC_METHODS } from '@heph/oplog';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestHub, postJson, type RpcAnswer, rpc, type TestHub, tempDir } from './helpers.ts';

let dir: ReturnType<typeof tempDir>;
let hub: TestHub;

beforeEach(async () => {
  dir = tempDir();
  hub = await createTestHub({ dbPath: `${dir.path}/hub.db` });
});

afterEach(async () => {
  await hub.close();
  dir.remove();
});

async function createTask(title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { answer } = await rpc(hub.app, 'task.create', { title, ...extra });
  return answer.result.node_id as string;
}

describe('methods', () => {
  it('[RPC-3] task.create returns the node id and the op carries the hub origin', async () => {
    const { status, answer } = await rpc(hub.app, 'task.create', { title: 'write the spec' });

    expect(status).toBe(200);
    expect(answer).toMatchObject({ jsonrpc: '2.0', result: { node_id: expect.any(String) } });
    const page = await hub.store.replica.opsAfter(0, { limit: 10 });
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items)
      expect(item.op.clock.endsWith(hub.store.replica.origin)).toBe(true);
  });

  it('[RPC-3] ops made through /rpc reach a spoke on its next pull', async () => {
    await createTask('visible to spokes');

    const response = await postJson(hub.app, '/sync/pull', {
      protocol: 1,
      origin: 'spoke001',
      cursor: 0,
      hubId: null,
    });
    const page = (await response.json()) as { ops: { kind: string }[] };

    expect(page.ops.map((op) => op.kind)).toContain('node.create');
  });

  it('[RPC-3] task.create from quick-add text, then list, show, done', async () => {
    const created = await rpc(hub.app, 'task.create', { text: 'buy milk tomorrow' });
    const id = created.answer.result.node_id as string;

    const listed = await rpc(hub.app, 'task.list', { state: 'outstanding' });
    const shown = await rpc(hub.app, 'node.show', { id: id.toLowerCase() });
    const done = await rpc(hub.app, 'task.done', { id });

    expect(listed.answer.result.tasks.map((task: { id: string }) => task.id)).toContain(id);
    expect(shown.answer.error, JSON.stringify(shown.answer.error)).toBeUndefined();
    expect(shown.answer.result.node.id).toBe(id);
    expect(done.answer.result.node.state).toBe('done');
  });

  it('[RPC-3] context, log, tags, links, projects and search round-trip', async () => {
    const a = await createTask('alpha task');
    const b = await createTask('beta task');

    await rpc(hub.app, 'context.set', { id: a, text: 'first' });
    await rpc(hub.app, 'context.append', { id: a, text: 'second' });
    await rpc(hub.app, 'log.append', { id: a, text: 'called the plumber' });
    await rpc(hub.app, 'tag.add', { id: a, tag: 'home' });
    await rpc(hub.app, 'link.add', { from: a, to: b });
    const project = await rpc(hub.app, 'project.create', { title: 'House' });

    const context = await rpc(hub.app, 'context.get', { id: a });
    const log = await rpc(hub.app, 'log.list', { id: a });
    const projects = await rpc(hub.app, 'project.list', {});
    const found = await rpc(hub.app, 'search', { query: 'plumber' });
    const shown = await rpc(hub.app, 'node.show', { id: a });

    expect(context.answer.result.text).toContain('first');
    expect(context.answer.result.text).toContain('second');
    expect(log.answer.result.entries.map((entry: { text: string }) => entry.text)).toEqual([
      'called the plumber',
    ]);
    expect(projects.answer.result.projects.map((p: { id: string }) => p.id)).toContain(
      project.answer.result.node_id,
    );
    expect(found.answer.result.hits.map((hit: { node: string }) => hit.node)).toContain(a);
    expect(shown.answer.result.node.tags).toContain('home');
    expect(shown.answer.result.links.outgoing).toContain(b);
  });

  it('[RPC-1] every method of RPC_METHODS is served (none answers method_not_found)', async () => {
    for (const method of RPC_METHODS) {
      const { answer } = await rpc(hub.app, method, {});
      expect(answer.error?.data.code, method).not.toBe('method_not_found');
    }
  });
});

describe('errors', () => {
  it('[RPC-4] an unknown method gets -32601 method_not_found and 404', async () => {
    const { status, answer } = await rpc(hub.app, 'task.explode', {});

    expect(status).toBe(404);
    expect(answer.error).toMatchObject({
      code: RPC_ERRORS.method_not_found,
      data: { code: 'method_not_found', method: 'task.explode' },
    });
  });

  it('[RPC-4] a body that is not JSON gets -32700 parse_error with id null', async () => {
    const response = await postJson(hub.app, '/rpc', '{"jsonrpc":"2.0","id":1,"method":');
    const answer = (await response.json()) as RpcAnswer;

    expect(response.status).toBe(400);
    expect(answer).toMatchObject({ id: null, error: { code: RPC_ERRORS.parse_error } });
  });

  it.each([
    [{ id: 1, method: 'task.list' }, 'jsonrpc'],
    [{ jsonrpc: '1.0', id: 1, method: 'task.list' }, 'jsonrpc'],
    [{ jsonrpc: '2.0', id: 1, method: 42 }, 'method'],
    [{ jsonrpc: '2.0', id: { a: 1 }, method: 'task.list' }, 'id'],
  ])('[RPC-4] %j gets -32600 invalid_request naming %s', async (call, field) => {
    const response = await postJson(hub.app, '/rpc', call);
    const answer = (await response.json()) as RpcAnswer;

    expect(response.status).toBe(400);
    expect(answer.error).toMatchObject({ code: RPC_ERRORS.invalid_request, data: { field } });
  });

  it.each([[[1, 2]], ['text'], [7]])(
    '[RPC-4] params %j get -32602 invalid_params',
    async (params) => {
      const { status, answer } = await rpc(hub.app, 'task.list', params);

      expect(status).toBe(400);
      expect(answer.error).toMatchObject({
        code: RPC_ERRORS.invalid_params,
        data: { field: 'params' },
      });
    },
  );

  it.each([
    ['task.done', {}, 'id'],
    ['task.done', { id: 42 }, 'id'],
    ['task.list', { limit: 'ten' }, 'limit'],
    ['task.list', { do_date: 'tomorrow' }, 'do_date'],
    ['task.create', { title: '' }, 'title'],
  ])('[RPC-5] %s with %j gets -32003 invalid_value naming %s', async (method, params, field) => {
    const { status, answer } = await rpc(hub.app, method, params);

    expect(status).toBe(400);
    expect(answer.error).toMatchObject({
      code: RPC_ERRORS.invalid_value,
      data: { code: 'invalid_value', field },
    });
  });

  it('[RPC-5] an unknown id gets -32001 not_found and 404', async () => {
    const { status, answer } = await rpc(hub.app, 'task.done', {
      id: '01ZZZZZZZZZZZZZZZZZZZZZZZZ',
    });

    expect(status).toBe(404);
    expect(answer.error).toMatchObject({ code: RPC_ERRORS.not_found, data: { code: 'not_found' } });
  });

  it('[RPC-5] a prefix that matches two nodes gets -32002 ambiguous_prefix and 409', async () => {
    const a = await createTask('one');
    const b = await createTask('two');
    let shared = 0;
    while (a[shared] === b[shared]) shared += 1;

    const { status, answer } = await rpc(hub.app, 'node.show', { id: a.slice(0, shared) });

    expect(shared).toBeGreaterThan(0);
    expect(status).toBe(409);
    expect(answer.error).toMatchObject({ code: RPC_ERRORS.ambiguous_prefix });
  });

  it('[RPC-6] an error echoes at most a short piece of a huge value', async () => {
    const { answer } = await rpc(hub.app, 'task.list', { tag: 'x'.repeat(100_000) });

    expect(JSON.stringify(answer).length).toBeLessThan(2_000);
  });
});

describe('framing', () => {
  it('[RPC-2] a notification (no id) runs and gets 204 with no body', async () => {
    const response = await postJson(hub.app, '/rpc', {
      jsonrpc: '2.0',
      method: 'task.create',
      params: { title: 'fire and forget' },
    });

    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    const listed = await rpc(hub.app, 'task.list', {});
    expect(listed.answer.result.tasks).toHaveLength(1);
  });

  it('[RPC-2] a batch answers each call with an id, in order, and skips notifications', async () => {
    const response = await postJson(hub.app, '/rpc', [
      { jsonrpc: '2.0', id: 'a', method: 'task.create', params: { title: 'one' } },
      { jsonrpc: '2.0', method: 'task.create', params: { title: 'two' } },
      { jsonrpc: '2.0', id: 'b', method: 'nope' },
      { jsonrpc: '2.0', id: 'c', method: 'task.list', params: {} },
    ]);
    const answers = (await response.json()) as RpcAnswer[];

    expect(response.status).toBe(200);
    expect(answers.map((answer) => answer.id)).toEqual(['a', 'b', 'c']);
    expect(answers[1]?.error?.code).toBe(RPC_ERRORS.method_not_found);
    expect(answers[2]?.result.tasks).toHaveLength(2);
  });

  it('[RPC-2] an empty batch is one invalid_request', async () => {
    const response = await postJson(hub.app, '/rpc', []);
    const answer = (await response.json()) as RpcAnswer;

    expect(response.status).toBe(400);
    expect(answer.error?.code).toBe(RPC_ERRORS.invalid_request);
  });

  it('[RPC-7] the owner-only Unix socket app serves /rpc without a token and nothing else', async () => {
    const created = await rpc(hub.socketApp, 'task.create', { title: 'from a script' });
    const other = await hub.socketApp.request('/sync/pull', { method: 'POST', body: '{}' });

    expect(created.answer.result.node_id).toEqual(expect.any(String));
    expect(other.status).toBe(404);
  });
});
