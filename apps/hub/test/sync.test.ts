import { MAX_OPS_PER_REQUEST, PROTOCOL_VERSION, type PullResponse } from '@heph/oplog';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  answerOf,
  createTestHub,
  manyTaskCreates,
  postJson,
  pullBody,
  pushBody,
  type TestHub,
  taskCreate,
  tempDir,
} from './helpers.ts';

const SPOKE_A = 'aaaa0001';
const SPOKE_B = 'bbbb0002';

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

async function push(origin: string, ops: unknown[]) {
  const response = await postJson(hub.app, '/sync/push', pushBody(origin, ops));
  return { status: response.status, body: await answerOf(response) };
}

async function pull(origin: string, cursor: number, extra: Record<string, unknown> = {}) {
  const body = pullBody(origin, cursor, hub.store.hubId, extra);
  const response = await postJson(hub.app, '/sync/pull', body);
  return { status: response.status, body: (await response.json()) as PullResponse };
}

describe('push', () => {
  it('[SYNC-1] a push stores new ops and answers with the count and the last seq', async () => {
    const result = await push(SPOKE_A, manyTaskCreates(SPOKE_A, 3));

    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ inserted: 3, lastSeq: 3 });
  });

  it('[SYNC-2] every response carries hubId, protocol, hubTime and ownerId', async () => {
    const ok = await push(SPOKE_A, []);
    const bad = await push(SPOKE_A, [{ kind: 'nope' }]);
    const pulled = await pull(SPOKE_A, 0);

    for (const body of [ok.body, bad.body, pulled.body]) {
      expect(body).toMatchObject({
        hubId: hub.store.hubId,
        protocol: PROTOCOL_VERSION,
        hubTime: hub.clock.now(),
        ownerId: hub.store.replica.ownerId,
      });
    }
  });

  it('[SYNC-2] an unknown /sync path is a JSON 404 that carries the hub stamp', async () => {
    const response = await postJson(hub.app, '/sync/nothing', {});
    const body = await answerOf(response);

    expect(response.status).toBe(404);
    expect(body).toMatchObject({ hubId: hub.store.hubId, error: { code: 'not_found' } });
  });

  it('[SYNC-3] a repeated push is a no-op', async () => {
    const ops = manyTaskCreates(SPOKE_A, 5);
    await push(SPOKE_A, ops);
    const before = await hub.store.replica.lastSeq();

    const again = await push(SPOKE_A, ops);

    expect(again.body).toMatchObject({ inserted: 0, lastSeq: before });
    expect(await hub.store.replica.lastSeq()).toBe(before);
  });

  it('[SYNC-4] ops keep their origin and get increasing hub sequence numbers', async () => {
    await push(SPOKE_A, manyTaskCreates(SPOKE_A, 2, 0));
    await push(SPOKE_B, manyTaskCreates(SPOKE_B, 2, 10));

    const page = await hub.store.replica.opsAfter(0, { limit: 10 });

    expect(page.items.map((item) => item.seq)).toEqual([1, 2, 3, 4]);
    expect(page.items.map((item) => item.op.clock.endsWith(SPOKE_A))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('[SYNC-5] a bad op gets 400 naming the op index and field, and nothing is applied', async () => {
    const ops = manyTaskCreates(SPOKE_A, 3);
    const broken = { ...ops[1], node: 'not-a-ulid' };

    const result = await push(SPOKE_A, [ops[0], broken, ops[2]]);

    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('invalid_op');
    expect(result.body.error.data).toMatchObject({ index: 1, field: 'node' });
    expect(await hub.store.replica.lastSeq()).toBe(0);
  });

  it('[SYNC-5] a push of more than MAX_OPS_PER_REQUEST ops is refused whole', async () => {
    const result = await push(SPOKE_A, manyTaskCreates(SPOKE_A, MAX_OPS_PER_REQUEST + 1));

    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'invalid_request', data: { field: 'ops' } });
    expect(await hub.store.replica.lastSeq()).toBe(0);
  });

  it('[SYNC-9] a body over the limit gets 413 body_too_large with the hub stamp', async () => {
    const small = await createTestHub({ dbPath: `${dir.path}/small.db`, maxBodyBytes: 1024 });
    try {
      const response = await postJson(
        small.app,
        '/sync/push',
        pushBody(SPOKE_A, manyTaskCreates(SPOKE_A, 50)),
      );
      const body = await answerOf(response);

      expect(response.status).toBe(413);
      expect(body.error.code).toBe('body_too_large');
      expect(body.hubId).toBe(small.store.hubId);
      expect(await small.store.replica.lastSeq()).toBe(0);
    } finally {
      await small.close();
    }
  });
});

describe('protocol versions', () => {
  it.each([
    [PROTOCOL_VERSION + 1, 'hub'],
    [PROTOCOL_VERSION - 1, 'client'],
  ])(
    '[SYNC-8] a client speaking protocol %i gets protocol_mismatch saying update the %s',
    async (clientProtocol, update) => {
      for (const path of ['/sync/push', '/sync/pull']) {
        const body =
          path === '/sync/push'
            ? pushBody(SPOKE_A, [], clientProtocol)
            : { ...pullBody(SPOKE_A, 0, null), protocol: clientProtocol };
        const response = await postJson(hub.app, path, body);
        const answer = await answerOf(response);

        expect(response.status).toBe(409);
        expect(answer.error).toMatchObject({
          code: 'protocol_mismatch',
          data: { hubProtocol: PROTOCOL_VERSION, clientProtocol, update },
        });
        expect(answer.hubId).toBe(hub.store.hubId);
      }
    },
  );
});

describe('pull', () => {
  it('[SYNC-10] a pull pages through ops after the cursor and returns the next cursor', async () => {
    await push(SPOKE_A, manyTaskCreates(SPOKE_A, 5));

    const first = await pull(SPOKE_B, 0, { limit: 2 });
    const second = await pull(SPOKE_B, first.body.cursor, { limit: 2 });
    const third = await pull(SPOKE_B, second.body.cursor, { limit: 2 });
    const done = await pull(SPOKE_B, third.body.cursor, { limit: 2 });

    expect([first, second, third].map((page) => page.body.ops.length)).toEqual([2, 2, 1]);
    expect([first, second, third].map((page) => page.body.more)).toEqual([true, true, false]);
    expect(third.body.cursor).toBe(5);
    expect(done.body).toMatchObject({ ops: [], cursor: 5, more: false, reset: false });
  });

  it("[SYNC-11] a spoke's own ops are left out unless it asks for them", async () => {
    await push(SPOKE_A, [taskCreate(SPOKE_A, 1)]);
    await push(SPOKE_B, [taskCreate(SPOKE_B, 2)]);

    const own = await pull(SPOKE_A, 0);
    const all = await pull(SPOKE_A, 0, { excludeOwn: false });

    expect(own.body.ops.map((op) => op.node)).toEqual([taskCreate(SPOKE_B, 2).node]);
    expect(own.body.cursor).toBe(2);
    expect(all.body.ops).toHaveLength(2);
  });

  it('[SYNC-6] a cursor past the last op means the hub was reset', async () => {
    await push(SPOKE_A, manyTaskCreates(SPOKE_A, 2));

    const result = await pull(SPOKE_B, 7);

    expect(result.body).toMatchObject({ reset: true, ops: [], cursor: 0 });
  });

  it('[SYNC-6] a cursor from another hub id means the hub was reset', async () => {
    await push(SPOKE_A, manyTaskCreates(SPOKE_A, 2));
    const body = pullBody(SPOKE_B, 1, 'someotherhub');

    const response = await postJson(hub.app, '/sync/pull', body);

    expect(await response.json()).toMatchObject({ reset: true, cursor: 0 });
  });

  it('[SYNC-6] a first sync (hubId null, cursor 0) is not a reset', async () => {
    await push(SPOKE_A, manyTaskCreates(SPOKE_A, 2));

    const response = await postJson(hub.app, '/sync/pull', pullBody(SPOKE_B, 0, null));

    expect(await response.json()).toMatchObject({ reset: false, cursor: 2 });
  });

  it.each([
    [{ cursor: -1 }, 'cursor'],
    [{ cursor: 1.5 }, 'cursor'],
    [{ cursor: '3' }, 'cursor'],
    [{ limit: 0 }, 'limit'],
    [{ limit: MAX_OPS_PER_REQUEST + 1 }, 'limit'],
    [{ hubId: 7 }, 'hubId'],
    [{ excludeOwn: 'yes' }, 'excludeOwn'],
    [{ origin: 'Not An Origin' }, 'origin'],
  ])('[SYNC-12] a pull with %j gets 400 invalid_request naming %s', async (change, field) => {
    const body = { ...pullBody(SPOKE_A, 0, null), ...change };

    const response = await postJson(hub.app, '/sync/pull', body);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      hubId: hub.store.hubId,
      error: { code: 'invalid_request', data: { field } },
    });
  });
});

describe('the request log', () => {
  it('[HUB-LOG-1] one line per request with method, path, status, duration and request id', async () => {
    await push(SPOKE_A, []);
    await hub.app.request('/sync/push?token=secret', {
      method: 'POST',
      headers: { Authorization: 'Bearer secret-token-value', 'x-request-id': 'abc-123' },
      body: '{',
    });

    const lines = hub.logLines().filter((line) => line.msg === 'request');

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ method: 'POST', path: '/sync/push', status: 200 });
    expect(lines[1]).toMatchObject({ status: 400, reqId: 'abc-123', path: '/sync/push' });
    expect(typeof lines[0]?.ms).toBe('number');
    expect(JSON.stringify(hub.logLines())).not.toContain('secret');
  });
});
