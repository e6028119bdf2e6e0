/**
 * Replicas over in-memory better-sqlite3 with injected time and seeded
 * randomness, and hand-made ops with chosen clocks.
 */
import Database from 'better-sqlite3';
import { timestampToString } from '../src/clock.ts';
import { createBetterSqliteExecutor } from '../src/drivers/better-sqlite3.ts';
import type { Executor } from '../src/executor.ts';
import { OP_FORMAT_VERSION, type Op } from '../src/op.ts';
import { openReplica, type SqliteReplica } from '../src/replica-impl.ts';
import {
  createManualClock,
  createSeededRandomBytes,
  type ManualClock,
} from '../src/testing/index.ts';

export const START = Date.UTC(2026, 11, 4, 9, 0, 0);
export const DAY = 86_400_000;

export function memoryExecutor(): Executor {
  return createBetterSqliteExecutor(new Database(':memory:'));
}

export async function openTestReplica(
  seed = 1,
  options: { start?: number; executor?: Executor } = {},
): Promise<{ replica: SqliteReplica; clock: ManualClock }> {
  const clock = createManualClock(options.start ?? START);
  const replica = await openReplica({
    executor: options.executor ?? memoryExecutor(),
    now: clock.now,
    randomBytes: createSeededRandomBytes(seed),
  });
  return { replica, clock };
}

/** Node ids fixed for hand-made ops. */
export const NODE_A = '01KBN00000000000000000000A';
export const NODE_B = '01KBN00000000000000000000B';

export function clockAt(millis: number, origin = 'aaaa', counter = 0): string {
  return timestampToString({ millis, counter, origin });
}

/** An op with a chosen clock; `body` holds the kind's own properties. */
export function makeOp(
  kind: string,
  node: string,
  clock: string,
  body: Record<string, unknown> = {},
): Op {
  return { v: OP_FORMAT_VERSION, clock, node, kind, ...body } as Op;
}

export function createTask(
  node: string,
  clock: string,
  fields: Record<string, string | number | boolean | null> = {},
): Op {
  return makeOp('node.create', node, clock, {
    nodeKind: 'task',
    fields: { title: 'task', ...fields },
  });
}
