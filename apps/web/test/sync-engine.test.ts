/**
 * The sync engine against a hub the test drives by hand: a real replica
 * (better-sqlite3, in memory) behind push/pull handlers written to
 * protocol.ts, reached through an injected fetch. No timers are awaited:
 * each test calls `run()` and reads the outcome.
 */
import {
  type HubStamp,
  type Op,
  openReplica,
  PROTOCOL_VERSION,
  type PullRequest,
  type PushRequest,
  type Replica,
} from '@heph/oplog';
import { openBetterSqlite } from '@heph/oplog/better-sqlite3';
import { createManualClock, createSeededRandomBytes } from '@heph/oplog/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from '../src/sync/backoff.ts';
import { SyncEngine, type SyncEngineState } from '../src/sync/sync-engine.ts';

const START = Date.UTC(2026, 11, 4, 9, 0, 0);
const HUB_URL = 'http://127.0.0.1:8787';

interface TestHub {
  replica: Replica;
  hubId: string;
  /** Answers every request with this status and body instead (null: behave). */
  override: { status: number; body: unknown } | null;
  /** Added to the hub's clock, to fake a skewed device. */
  skewMs: number;
  requests: string[];
  fetch: typeof fetch;
}

async function openTestReplica(seed: number, clock = createManualClock(START)) {
  return openReplica({
    executor: openBetterSqlite(':memory:'),
    now: clock.now,
    randomBytes: createSeededRandomBytes(seed),
  });
}

async function createTestHub(clock: { now: () => number }): Promise<TestHub> {
  const hub: TestHub = {
    replica: await openTestReplica(1),
    hubId: 'hub-a',
    override: null,
    skewMs: 0,
    requests: [],
    fetch: async (input, init) => {
      const path = new URL(String(input)).pathname;
      hub.requests.push(path);
      if (hub.override) return Response.json(hub.override.body, { status: hub.override.status });
      const body = JSON.parse(String(init?.body));
      const stamp: HubStamp = {
        hubId: hub.hubId,
        protocol: PROTOCOL_VERSION,
        hubTime: clock.now() + hub.skewMs,
        ownerId: hub.replica.ownerId,
      };
      if (path === '/sync/push') {
        const request = body as PushRequest;
        const { inserted } = await hub.replica.apply(request.ops);
        return Response.json({ ...stamp, inserted, lastSeq: await hub.replica.lastSeq() });
      }
      const request = body as PullRequest;
      const lastSeq = await hub.replica.lastSeq();
      const reset =
        (request.hubId !== null && request.hubId !== hub.hubId) || request.cursor > lastSeq;
      if (reset) return Response.json({ ...stamp, ops: [], cursor: 0, more: false, reset });
      const page = await hub.replica.opsAfter(request.cursor, {
        limit: request.limit ?? 5_000,
        excludeOrigin: request.origin,
      });
      const ops: Op[] = page.items.map((item) => item.op);
      return Response.json({ ...stamp, ops, cursor: page.cursor, more: page.more, reset: false });
    },
  };
  return hub;
}

const engines: SyncEngine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.stop();
});

function createEngine(replica: Replica, hub: TestHub, options: { token?: string | null } = {}) {
  const states: SyncEngineState[] = [];
  const pulled: string[][] = [];
  const engine = new SyncEngine({
    replica,
    hubUrl: () => HUB_URL,
    fetch: hub.fetch,
    getToken: async () => options.token ?? null,
    now: () => START,
    random: () => 0.5,
    isOnline: () => true,
    withLock: (work) => work(),
    onState: (state) => states.push(state),
    onPulled: (nodes) => pulled.push(nodes),
    pageSize: 3,
  });
  engines.push(engine);
  return { engine, states, pulled };
}

async function createTask(replica: Replica, title: string, seed: number): Promise<string> {
  const node = `01KBN00000000000000000000${seed}`;
  await replica.commit([{ kind: 'node.create', node, nodeKind: 'task', fields: { title } }]);
  return node;
}

async function titles(replica: Replica): Promise<string[]> {
  return (await replica.listTasks()).map((task) => task.title).sort();
}

describe('SyncEngine', () => {
  it('[SYNC-1] pushes pending ops, pulls the hub’s in pages, and ends with nothing pending', async () => {
    const clock = createManualClock(START);
    const hub = await createTestHub(clock);
    for (let index = 0; index < 7; index += 1) await createTask(hub.replica, `hub ${index}`, index);
    const spoke = await openTestReplica(2);
    await createTask(spoke, 'made on the spoke', 9);

    const { engine, pulled } = createEngine(spoke, hub);
    await engine.run();

    expect(engine.state.phase).toBe('idle');
    expect(engine.state.lastSyncAt).toBe(START);
    expect(await spoke.pendingCount()).toBe(0);
    expect(await titles(spoke)).toEqual([...(await titles(hub.replica))]);
    expect((await titles(hub.replica)).length).toBe(8);
    expect(pulled.length).toBeGreaterThanOrEqual(3);
  });

  it('[SYNC-3] a first sync adopts the hub’s owner id and keeps tasks made before it', async () => {
    const hub = await createTestHub(createManualClock(START));
    const spoke = await openTestReplica(3);
    await createTask(spoke, 'made before the first sync', 1);
    expect(spoke.ownerId).not.toBe(hub.replica.ownerId);

    await createEngine(spoke, hub).engine.run();

    expect(spoke.ownerId).toBe(hub.replica.ownerId);
    expect(await titles(spoke)).toEqual(['made before the first sync']);
    expect(await titles(hub.replica)).toEqual(['made before the first sync']);
  });

  it('[SYNC-6] a hub restored from backup (new hub id) gets every local op again', async () => {
    const hub = await createTestHub(createManualClock(START));
    const spoke = await openTestReplica(4);
    await createTask(spoke, 'pushed before the restore', 1);
    const { engine } = createEngine(spoke, hub);
    await engine.run();

    hub.replica = await openTestReplica(1);
    hub.hubId = 'hub-b';
    await engine.run();

    expect(await titles(hub.replica)).toEqual(['pushed before the restore']);
    expect(await spoke.pendingCount()).toBe(0);
    expect(engine.state.phase).toBe('idle');
  });

  it('a 401 puts the spoke into "sign-in needed" and keeps the ops pending', async () => {
    const hub = await createTestHub(createManualClock(START));
    hub.override = { status: 401, body: { error: { code: 'unauthorized', message: 'no token' } } };
    const spoke = await openTestReplica(5);
    await createTask(spoke, 'waits for sign-in', 1);

    const { engine } = createEngine(spoke, hub);
    await engine.run();

    expect(engine.state.phase).toBe('sign-in-needed');
    expect(engine.state.error?.code).toBe('unauthorized');
    expect(await spoke.pendingCount()).toBe(1);
  });

  it('sends the stored token as a bearer token', async () => {
    const hub = await createTestHub(createManualClock(START));
    const seen: Array<string | null> = [];
    const inner = hub.fetch;
    hub.fetch = async (input, init) => {
      seen.push(new Headers(init?.headers).get('authorization'));
      return inner(input, init);
    };
    const spoke = await openTestReplica(6);
    await createEngine(spoke, hub, { token: 'abc.def' }).engine.run();
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['Bearer abc.def']));
  });

  it('a failed push is retried after a backoff without a new edit, and succeeds then', async () => {
    const hub = await createTestHub(createManualClock(START));
    hub.override = { status: 503, body: { error: { code: 'internal', message: 'busy' } } };
    const spoke = await openTestReplica(7);
    await createTask(spoke, 'retried', 1);

    const { engine } = createEngine(spoke, hub);
    await engine.run();
    expect(engine.state.phase).toBe('error');
    expect(engine.state.retryAt).toBe(
      START + backoffDelay(1, { baseMs: 1_000, maxMs: 300_000, random: () => 0.5 }),
    );

    hub.override = null;
    await engine.run();
    expect(engine.state.phase).toBe('idle');
    expect(await titles(hub.replica)).toEqual(['retried']);
  });

  it('a write made during a run is pushed after the write delay, not at the next periodic sync', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const hub = await createTestHub(createManualClock(START));
      const spoke = await openTestReplica(11);
      const inner = hub.fetch;
      let duringPull: (() => Promise<void>) | null = null;
      hub.fetch = async (input, init) => {
        await duringPull?.();
        duringPull = null;
        return inner(input, init);
      };
      const { engine } = createEngine(spoke, hub);
      // The owner adds a task while the run is pulling, after its push.
      duringPull = async () => {
        await createTask(spoke, 'written during a pull', 1);
        engine.localWrite();
      };
      await engine.run();
      expect(await spoke.pendingCount()).toBe(1);

      await vi.advanceTimersByTimeAsync(200);
      await engine.idle();
      expect(await titles(hub.replica)).toEqual(['written during a pull']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a URL that is not a hub gets a message naming the URL and the settings', async () => {
    const hub = await createTestHub(createManualClock(START));
    hub.fetch = async () => new Response('<html>not here</html>', { status: 404 });
    const spoke = await openTestReplica(8);
    const { engine } = createEngine(spoke, hub);
    await engine.run();
    expect(engine.state.error?.code).toBe('not_a_hub');
    expect(engine.state.error?.message).toContain(HUB_URL);
    expect(engine.state.error?.message).toContain('settings');
  });

  it('an unreachable hub is "offline", not an error', async () => {
    const hub = await createTestHub(createManualClock(START));
    hub.fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const spoke = await openTestReplica(9);
    const { engine } = createEngine(spoke, hub);
    await engine.run();
    expect(engine.state.phase).toBe('offline');
    expect(engine.state.error?.code).toBe('unreachable');
  });

  it('measures the device clock against the hub’s and keeps every op', async () => {
    const hub = await createTestHub(createManualClock(START));
    hub.skewMs = -10 * 60_000;
    const spoke = await openTestReplica(10);
    await createTask(spoke, 'skewed', 1);
    const { engine } = createEngine(spoke, hub);
    await engine.run();
    expect(engine.state.clockSkewMs).toBe(10 * 60_000);
    expect(await titles(hub.replica)).toEqual(['skewed']);
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap, half of it jittered', () => {
    const fixed = { baseMs: 1_000, maxMs: 8_000 };
    expect(backoffDelay(1, { ...fixed, random: () => 0 })).toBe(500);
    expect(backoffDelay(1, { ...fixed, random: () => 0.999999 })).toBe(1_000);
    expect(backoffDelay(3, { ...fixed, random: () => 0 })).toBe(2_000);
    expect(backoffDelay(10, { ...fixed, random: () => 0 })).toBe(4_000);
    expect(backoffDelay(10, { ...fixed, random: () => 0.999999 })).toBe(8_000);
  });
});
