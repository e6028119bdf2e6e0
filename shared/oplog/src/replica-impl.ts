/**
 * openReplica: the Replica contract (replica.ts) over one Executor.
 *
 * This file wires the parts together and owns the two pieces of state a
 * replica keeps outside SQL: its hybrid clock, persisted after every batch so
 * a restart never issues a timestamp at or below one it issued before
 * (CLOCK-1), and its id factory.
 */

import { applyBatch } from './apply.ts';
import {
  compareTimestamps,
  createOrigin,
  HybridClock,
  isTimestampString,
  parseTimestamp,
  receiveTimestamp,
  type Timestamp,
  timestampToString,
} from './clock.ts';
import { nextOccurrence } from './domain/recurrence.ts';
import { OplogError } from './errors.ts';
import type { Executor } from './executor.ts';
import { fieldHistory } from './history.ts';
import { createIdFactory, type NodeIdFactory } from './ids.ts';
import { clampLimit } from './limits.ts';
import { readContext } from './materialize.ts';
import type { Op } from './op.ts';
import { getLinks, getLog, getNode, listProjects, listTasks, resolveId } from './queries.ts';
import type { ApplyResult, Page, Replica, ReplicaOptions, StoredOp } from './replica.ts';
import { createSchema, SCHEMA_VERSION } from './schema.ts';
import { search } from './search.ts';
import { stampDrafts } from './stamp.ts';
import { validateOps } from './validate.ts';

/** The meta keys the core itself reads and writes (SCHEMA-2). */
export const META = {
  ownerId: 'owner_id',
  origin: 'origin',
  schemaVersion: 'schema_version',
  clock: 'clock',
  hubId: 'hub_id',
  hubCursor: 'hub_cursor',
} as const;

/** A replica over SQL, with the executor exposed for dumps and tests. */
export interface SqliteReplica extends Replica {
  readonly executor: Executor;
  /** A fresh node id (ULID) from the replica's injected time and randomness. */
  createNodeId(): string;
}

export async function openReplica(options: ReplicaOptions): Promise<SqliteReplica> {
  const { executor } = options;
  await createSchema(executor);
  const state = await executor.transaction(() => initMeta(options));
  const last = await restoreClock(executor, state.origin, options.now);
  const clock = new HybridClock(last, options.now);
  return createReplica(options, clock, state.ownerId);
}

async function initMeta(options: ReplicaOptions): Promise<{ origin: string; ownerId: string }> {
  const { executor, randomBytes } = options;
  const version = await readMeta(executor, META.schemaVersion);
  if (version !== null && Number(version) > SCHEMA_VERSION) {
    throw new OplogError('store_mismatch', `store schema ${version} is newer than this code`, {
      stored: Number(version),
      supported: SCHEMA_VERSION,
    });
  }
  await writeMeta(executor, META.schemaVersion, String(SCHEMA_VERSION));

  const origin = (await readMeta(executor, META.origin)) ?? createOrigin(randomBytes);
  await writeMeta(executor, META.origin, origin);
  const ownerId =
    (await readMeta(executor, META.ownerId)) ?? createIdFactory(options.now, randomBytes)();
  await writeMeta(executor, META.ownerId, ownerId);
  return { origin, ownerId };
}

/**
 * [CLOCK-1] Never below the persisted clock. Ops of our own origin found in
 * the store count like received ones (CLOCK-4): anyone can push an op that
 * claims our origin, and one stamped days ahead must not drag us there.
 */
async function restoreClock(
  executor: Executor,
  origin: string,
  now: () => number,
): Promise<Timestamp> {
  let last: Timestamp = { millis: 0, counter: 0, origin };
  const saved = await readMeta(executor, META.clock);
  if (saved !== null && isTimestampString(saved)) last = later(last, parseTimestamp(saved));
  const [own] = await executor.all<{ clock: string | null }>(
    'SELECT max(clock) AS clock FROM ops WHERE origin = ?',
    [origin],
  );
  if (own?.clock) last = receiveTimestamp(last, parseTimestamp(own.clock), now());
  return { millis: last.millis, counter: last.counter, origin };
}

function later(a: Timestamp, b: Timestamp): Timestamp {
  return compareTimestamps(a, b) >= 0 ? a : b;
}

export async function readMeta(executor: Executor, key: string): Promise<string | null> {
  const [row] = await executor.all<{ value: string }>('SELECT value FROM meta WHERE key = ?', [
    key,
  ]);
  return row?.value ?? null;
}

export async function writeMeta(executor: Executor, key: string, value: string): Promise<void> {
  await executor.run(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    [key, value],
  );
}

function createReplica(
  options: ReplicaOptions,
  clock: HybridClock,
  initialOwner: string,
): SqliteReplica {
  const { executor } = options;
  const createNodeId: NodeIdFactory = createIdFactory(options.now, options.randomBytes);
  const origin = clock.last.origin;
  let ownerId = initialOwner;
  const batch = { nextOccurrence };

  // Several connections may share the store (each browser tab has its own
  // worker): the persisted clock only ever moves forward, and every batch
  // first catches up with what the others issued (CLOCK-6).
  const saveClock = () =>
    executor.run(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE
        SET value = excluded.value WHERE excluded.value > meta.value`,
      [META.clock, timestampToString(clock.last)],
    );
  const catchUpClock = async () => {
    const saved = await readMeta(executor, META.clock);
    if (saved !== null && isTimestampString(saved)) clock.catchUp(parseTimestamp(saved));
  };

  return {
    executor,
    origin,
    get ownerId() {
      return ownerId;
    },
    createNodeId,

    commit(drafts) {
      return executor.transaction(async () => {
        await catchUpClock();
        const ops = await stampDrafts(executor, clock, drafts);
        validateOps(ops);
        const { inserted } = await applyBatch(executor, ops, { ...batch, pending: true });
        // A fresh local op can only meet a stored clock if two writers
        // shared one origin's clock; refuse loudly rather than drop it.
        if (inserted !== ops.length) {
          throw new OplogError('clock_conflict', 'a new op reused a stored clock; nothing saved', {
            ops: ops.length,
            inserted,
          });
        }
        await saveClock();
        return ops;
      });
    },

    apply(input) {
      const ops = validateOps(input);
      return executor.transaction(async (): Promise<ApplyResult> => {
        await catchUpClock();
        const result = await applyBatch(executor, ops, { ...batch, pending: false });
        receiveLatest(clock, ops);
        await saveClock();
        return result;
      });
    },

    async pendingOps(limit) {
      const rows = await executor.all<{ body: string }>(
        'SELECT body FROM ops WHERE pending = 1 ORDER BY seq LIMIT ?',
        [clampLimit(limit, 0, 1_000_000, 0)],
      );
      return rows.map((row) => JSON.parse(row.body) as Op);
    },

    async pendingCount() {
      const [row] = await executor.all<{ count: number }>(
        'SELECT count(*) AS count FROM ops WHERE pending = 1',
      );
      return Number(row?.count ?? 0);
    },

    markPushed(clocks) {
      return executor.transaction(async () => {
        for (const value of clocks) {
          await executor.run('UPDATE ops SET pending = 0 WHERE clock = ? AND pending = 1', [value]);
        }
      });
    },

    async markAllPending(markOptions) {
      await executor.transaction(() =>
        markOptions?.allOrigins
          ? executor.run('UPDATE ops SET pending = 1 WHERE pending = 0')
          : executor.run('UPDATE ops SET pending = 1 WHERE origin = ?', [origin]),
      );
    },

    opsAfter(cursor, pageOptions) {
      return executor.transaction(() => opsAfter(executor, cursor, pageOptions));
    },

    async lastSeq() {
      const [row] = await executor.all<{ seq: number | null }>('SELECT max(seq) AS seq FROM ops');
      return Number(row?.seq ?? 0);
    },

    getMeta: (key) => readMeta(executor, key),
    setMeta: (key, value) => executor.transaction(() => writeMeta(executor, key, value)),

    async adoptOwner(next) {
      await executor.transaction(() => writeMeta(executor, META.ownerId, next));
      ownerId = next;
    },

    getNode: (id) => getNode(executor, id),
    resolveId: (prefix) => resolveId(executor, prefix),
    listTasks: (filter) => listTasks(executor, filter),
    listProjects: () => listProjects(executor),
    getContext: (id) => readContext(executor, id),
    getLog: (id) => getLog(executor, id),
    links: (id) => getLinks(executor, id),
    fieldHistory: (id, field) => fieldHistory(executor, id, field),
    search: (query, limit) => search(executor, query, limit),

    close: () => executor.close(),
  };
}

/** [CLOCK-3] Receiving the latest clock of a batch covers every op in it. */
function receiveLatest(clock: HybridClock, ops: readonly Op[]): void {
  let latest: string | null = null;
  for (const op of ops) if (latest === null || op.clock > latest) latest = op.clock;
  if (latest !== null) clock.receive(parseTimestamp(latest));
}

async function opsAfter(
  executor: Executor,
  cursor: number,
  options: { limit: number; excludeOrigin?: string },
): Promise<Page<StoredOp>> {
  const limit = clampLimit(options.limit, 1000, 100_000);
  const rows = await executor.all<{ seq: number; body: string }>(
    'SELECT seq, body FROM ops WHERE seq > ? AND origin != ? ORDER BY seq LIMIT ?',
    [cursor, options.excludeOrigin ?? '', limit + 1],
  );
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map((row) => ({
    seq: Number(row.seq),
    op: JSON.parse(row.body) as Op,
  }));
  const lastItem = items.at(-1)?.seq ?? cursor;
  if (more) return { items, cursor: lastItem, more };

  // [OP-7] Nothing more to send: the cursor moves past any excluded
  // ops at the end too, so the caller does not scan them again.
  const [top] = await executor.all<{ seq: number | null }>('SELECT max(seq) AS seq FROM ops');
  return { items, cursor: Math.max(lastItem, Number(top?.seq ?? 0)), more };
}
