/**
 * A corpus of malformed pushes, pulls and RPC calls. Each one must get its
 * 4xx and leave the store exactly as it was: same ops, same nodes, same
 * last sequence number.
 */
import { MAX_OPS_PER_REQUEST, PROTOCOL_VERSION } from '@heph/oplog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHub,
  dumpStore,
  manyTaskCreates,
  postJson,
  pushBody,
  type TestHub,
  taskCreate,
  tempDir,
} from './helpers.ts';

const ORIGIN = 'bad00001';
const MAX_BODY = 64 * 1024;

let dir: ReturnType<typeof tempDir>;
let hub: TestHub;
let dbPath: string;

beforeAll(async () => {
  dir = tempDir();
  dbPath = `${dir.path}/hub.db`;
  hub = await createTestHub({ dbPath, maxBodyBytes: MAX_BODY });
  const seeded = await postJson(
    hub.app,
    '/sync/push',
    pushBody(ORIGIN, manyTaskCreates(ORIGIN, 5)),
  );
  expect(seeded.status).toBe(200);
});

afterAll(async () => {
  await hub.close();
  dir.remove();
});

const good = taskCreate(ORIGIN, 100);
const huge = 'x'.repeat(MAX_BODY * 2);

const PUSHES: [string, unknown, number][] = [
  ['truncated JSON', '{"protocol":1,"origin":"bad00001","ops":[{"v":1,', 400],
  ['an empty body', '', 400],
  ['a JSON array', '[]', 400],
  ['a JSON string', '"push"', 400],
  ['no protocol', { origin: ORIGIN, ops: [] }, 400],
  ['protocol as a string', { protocol: '1', origin: ORIGIN, ops: [] }, 400],
  ['a future protocol', pushBody(ORIGIN, [good], PROTOCOL_VERSION + 5), 409],
  ['no origin', { protocol: PROTOCOL_VERSION, ops: [good] }, 400],
  ['origin with capitals', pushBody('BAD', [good]), 400],
  ['ops as an object', { protocol: PROTOCOL_VERSION, origin: ORIGIN, ops: { 0: good } }, 400],
  ['an op that is null', pushBody(ORIGIN, [good, null]), 400],
  ['an op that is a number', pushBody(ORIGIN, [good, 7]), 400],
  ['an op without a clock', pushBody(ORIGIN, [{ ...good, clock: undefined }]), 400],
  ['an op with a clock of the wrong shape', pushBody(ORIGIN, [{ ...good, clock: '12' }]), 400],
  ['an op with v as a string', pushBody(ORIGIN, [{ ...good, v: '1' }]), 400],
  ['an op with a node that is not a ULID', pushBody(ORIGIN, [{ ...good, node: 'x' }]), 400],
  ['an op with kind 42', pushBody(ORIGIN, [{ ...good, kind: 42 }]), 400],
  ['a create with fields as a string', pushBody(ORIGIN, [{ ...good, fields: 'title' }]), 400],
  [
    'a title of 30,000 characters',
    pushBody(ORIGIN, [{ ...good, fields: { title: 'y'.repeat(30_000) } }]),
    400,
  ],
  [
    'a field.set with an object value',
    pushBody(ORIGIN, [
      { v: 1, clock: good.clock, node: good.node, kind: 'field.set', field: 'title', value: {} },
    ]),
    400,
  ],
  ['too many ops', pushBody(ORIGIN, manyTaskCreates(ORIGIN, MAX_OPS_PER_REQUEST + 1, 1000)), 413],
  ['a body over the limit', pushBody(ORIGIN, [{ ...good, fields: { title: huge } }]), 413],
];

const PULLS: [string, unknown, number][] = [
  ['truncated JSON', '{"protocol":1,"cur', 400],
  ['cursor as a string', { protocol: 1, origin: ORIGIN, cursor: '0', hubId: null }, 400],
  ['a negative cursor', { protocol: 1, origin: ORIGIN, cursor: -5, hubId: null }, 400],
  ['a huge limit', { protocol: 1, origin: ORIGIN, cursor: 0, hubId: null, limit: 1e9 }, 400],
  ['an old protocol', { protocol: 0, origin: ORIGIN, cursor: 0, hubId: null }, 409],
  ['a body over the limit', { protocol: 1, origin: ORIGIN, cursor: 0, hubId: huge }, 413],
];

const CALLS: [string, unknown, number][] = [
  ['truncated JSON', '{"jsonrpc":"2.0","method":"task.cr', 400],
  ['an empty body', '', 400],
  ['an unknown method', { jsonrpc: '2.0', id: 1, method: 'db.drop' }, 404],
  ['a prototype key as method', { jsonrpc: '2.0', id: 1, method: '__proto__' }, 404],
  ['a method as a number', { jsonrpc: '2.0', id: 1, method: 3 }, 400],
  ['no jsonrpc member', { id: 1, method: 'task.create', params: { title: 'x' } }, 400],
  ['params as an array', { jsonrpc: '2.0', id: 1, method: 'task.create', params: ['x'] }, 400],
  [
    'a title of the wrong type',
    { jsonrpc: '2.0', id: 1, method: 'task.create', params: { title: 5 } },
    400,
  ],
  [
    'an unknown param',
    { jsonrpc: '2.0', id: 1, method: 'task.create', params: { title: 'x', colour: 'red' } },
    400,
  ],
  [
    'a title of 30,000 characters',
    { jsonrpc: '2.0', id: 1, method: 'task.create', params: { title: 'z'.repeat(30_000) } },
    400,
  ],
  [
    'tags as a string',
    { jsonrpc: '2.0', id: 1, method: 'task.create', params: { title: 'x', tags: 'a' } },
    400,
  ],
  [
    'a done for no node',
    { jsonrpc: '2.0', id: 1, method: 'task.done', params: { id: '01ZZZZZZZZZZZZZZZZZZZZZZZZ' } },
    404,
  ],
  [
    'a batch over the limit',
    Array.from({ length: 101 }, (_, i) => ({
      jsonrpc: '2.0',
      id: i,
      method: 'task.create',
      params: { title: `t${i}` },
    })),
    400,
  ],
  [
    'a body over the limit',
    { jsonrpc: '2.0', id: 1, method: 'task.create', params: { title: huge } },
    413,
  ],
];

describe.each([
  ['/sync/push', PUSHES],
  ['/sync/pull', PULLS],
  ['/rpc', CALLS],
])('bad input to %s', (path, corpus) => {
  it.each(corpus)(
    `[SYNC-12] ${path} with %s gets %i and the store is unchanged`,
    async (_, body, status) => {
      const before = dumpStore(dbPath);
      const lastSeq = await hub.store.replica.lastSeq();

      const response = await postJson(hub.app, path, body);

      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      expect(await hub.store.replica.lastSeq()).toBe(lastSeq);
      expect(dumpStore(dbPath)).toEqual(before);
    },
  );
});

describe('deeply nested JSON', () => {
  const DEPTH = 5_000;
  const deepObject = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
  const deepArray = `${'['.repeat(DEPTH)}1${']'.repeat(DEPTH)}`;
  const call = (params: string) =>
    `{"jsonrpc":"2.0","id":1,"method":"task.create","params":${params}}`;

  it.each([
    ['a title', call(`{"title":${deepObject}}`)],
    ['tags', call(`{"title":"x","tags":${deepArray}}`)],
    ['an unknown param', call(`{"title":"x","extra":${deepObject}}`)],
    ['params', call(deepObject)],
    ['the id', `{"jsonrpc":"2.0","id":${deepObject},"method":"task.create"}`],
    ['the method', `{"jsonrpc":"2.0","id":1,"method":${deepArray}}`],
  ])(
    '[SYNC-12] /rpc with %s nested 5000 deep is a 400 and the store is unchanged',
    async (_, body) => {
      const before = dumpStore(dbPath);

      const response = await postJson(hub.app, '/rpc', body);

      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text.length).toBeLessThan(2_000);
      expect(JSON.parse(text)).toMatchObject({ error: { data: { code: expect.any(String) } } });
      expect(dumpStore(dbPath)).toEqual(before);
    },
  );

  it('[SYNC-12] a batch call nested 5000 deep gets its own error, not a 500', async () => {
    const response = await postJson(hub.app, '/rpc', `[${call(`{"title":${deepObject}}`)}]`);

    expect(response.status).toBe(200);
    const [answer] = (await response.json()) as { error?: { data: { code: string } } }[];
    expect(answer?.error?.data.code).toMatch(/^invalid_/);
  });

  it.each([
    ['an op field', (op: string) => op.replace('"fields":{', `"fields":{"deep":${deepObject},`)],
    ['an op title', (op: string) => op.replace(/"title":"[^"]*"/, `"title":${deepArray}`)],
    ['an op', () => deepObject],
  ])('[SYNC-12] /sync/push with %s nested 5000 deep is a 400', async (_, make) => {
    const before = dumpStore(dbPath);
    const op = JSON.stringify(taskCreate(ORIGIN, 200));
    const body = `{"protocol":${PROTOCOL_VERSION},"origin":"${ORIGIN}","ops":[${make(op)}]}`;

    const response = await postJson(hub.app, '/sync/push', body);

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(
      /^invalid_/,
    );
    expect(dumpStore(dbPath)).toEqual(before);
  });
});
