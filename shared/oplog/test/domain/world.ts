/**
 * A replica on in-memory better-sqlite3 with a hand-moved clock and seeded
 * randomness, and the command context over it: what the command tests need
 * to drive the domain rules end to end.
 */
import { commands, type RpcResults } from '../../src/domain/commands.ts';
import type { CommandContext } from '../../src/domain/context.ts';
import { openBetterSqlite } from '../../src/drivers/better-sqlite3.ts';
import type { RpcMethod } from '../../src/protocol.ts';
import { openReplica, type SqliteReplica } from '../../src/replica-impl.ts';
import {
  createManualClock,
  createSeededRandomBytes,
  type ManualClock,
} from '../../src/testing/fixtures.ts';

export interface World {
  replica: SqliteReplica;
  clock: ManualClock;
  ctx: CommandContext;
  /** Runs a command the way the hub and the browser do: raw params in. */
  call<M extends RpcMethod>(method: M, params?: unknown): Promise<RpcResults[M]>;
}

export async function createWorld(seed: number, start: number, timeZone: string): Promise<World> {
  const clock = createManualClock(start);
  const replica = await openReplica({
    executor: openBetterSqlite(':memory:'),
    now: clock.now,
    randomBytes: createSeededRandomBytes(seed),
  });
  const ctx: CommandContext = {
    replica,
    now: clock.now,
    timeZone,
    newId: () => replica.createNodeId(),
  };
  const call = <M extends RpcMethod>(method: M, params?: unknown) =>
    (commands[method] as (ctx: CommandContext, params: unknown) => Promise<RpcResults[M]>)(
      ctx,
      params,
    );
  return { replica, clock, ctx, call };
}

/** Every op one replica holds, handed to the other (both ways): a full exchange. */
export async function exchange(a: SqliteReplica, b: SqliteReplica): Promise<void> {
  const fromA = await a.opsAfter(0, { limit: 100_000 });
  const fromB = await b.opsAfter(0, { limit: 100_000 });
  await b.apply(fromA.items.map((stored) => stored.op));
  await a.apply(fromB.items.map((stored) => stored.op));
}
