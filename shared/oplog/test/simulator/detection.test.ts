/**
 * The simulator itself under test (SPEC.md SIM-4 to SIM-7): it covers the
 * faults it claims, replays a seed exactly, stays bounded, and fails, naming
 * the seed, when a part is broken on purpose.
 */
import { describe, expect, it } from 'vitest';
import type { Executor } from '../../src/executor.ts';
import type { Replica } from '../../src/replica.ts';
import { formatFailure, type SimulationResult } from '../../src/testing/simulator.ts';
import { betterSqliteStores } from '../../src/testing/simulator-better-sqlite3.ts';
import { KNOWN_OP_KINDS } from '../../src/testing/simulator-ops.ts';
import { type Overrides, seedRange, simulate } from './harness.ts';

const TWO_DAYS_MS = 2 * 86_400_000;

async function runAll(seeds: number[], overrides: Overrides = {}): Promise<SimulationResult[]> {
  const results: SimulationResult[] = [];
  for (const seed of seeds) results.push(await simulate(seed, overrides));
  return results;
}

/**
 * Stores whose executor turns every "newer clock wins" condition around, so
 * the older write wins: the reversed clock comparison, put in without
 * touching the core. `rewrites` counts the statements changed, proving the
 * fault really went in.
 */
function reversedClockStores(onHost: (host: string) => boolean) {
  const counter = { rewrites: 0 };
  const flip = (sql: string): string => {
    const reversed = sql.replaceAll('excluded.clock > ', 'excluded.clock < ');
    if (reversed !== sql) counter.rewrites++;
    return reversed;
  };
  const wrap = (executor: Executor, host: string): Executor => {
    if (!onHost(host)) return executor;
    return {
      ...executor,
      exec: (sql) => executor.exec(flip(sql)),
      run: (sql, params) => executor.run(flip(sql), params),
      all: (sql, params) => executor.all(flip(sql), params),
    };
  };
  return { openStore: betterSqliteStores(wrap), counter };
}

/** A replica of an older version that wrongly drops op kinds it does not know. */
function dropsUnknownKinds(replica: Replica, host: string): Replica {
  if (host === 'hub') return replica;
  const known = new Set<string>(KNOWN_OP_KINDS);
  return new Proxy(replica, {
    get(target, property, receiver) {
      if (property !== 'apply') return Reflect.get(target, property, receiver);
      return (ops: readonly { kind: string }[]) =>
        target.apply(ops.filter((op) => known.has(op.kind)));
    },
  });
}

/** A hub whose pull pages lose their last op when more follow. */
function hubLosesPageEnds(replica: Replica, host: string): Replica {
  if (host !== 'hub') return replica;
  return new Proxy(replica, {
    get(target, property, receiver) {
      if (property !== 'opsAfter') return Reflect.get(target, property, receiver);
      return async (cursor: number, options: { limit: number; excludeOrigin?: string }) => {
        const page = await target.opsAfter(cursor, options);
        return page.more ? { ...page, items: page.items.slice(0, -1) } : page;
      };
    },
  });
}

/** A hub whose pull always claims that more ops follow, and sends none. */
function hubNeverFinishes(replica: Replica, host: string): Replica {
  if (host !== 'hub') return replica;
  return new Proxy(replica, {
    get(target, property, receiver) {
      if (property !== 'opsAfter') return Reflect.get(target, property, receiver);
      return async (cursor: number) => ({ items: [], cursor, more: true });
    },
  });
}

describe('convergence simulator: coverage and replay', () => {
  it('[SIM-4] the seeds drop, double, delay, reorder, restart, skew and make every op kind', async () => {
    const results = await runAll(seedRange(1, 40));
    const sum = (pick: (result: SimulationResult) => number) =>
      results.reduce((total, result) => total + pick(result), 0);
    const kinds = new Set(results.flatMap((result) => Object.keys(result.stats.opsByKind)));
    const skews = results.flatMap((result) => result.stats.skewsMs.map(Math.abs));

    expect(results.every((result) => result.ok)).toBe(true);
    expect(sum((result) => result.stats.messages.dropped)).toBeGreaterThan(0);
    expect(sum((result) => result.stats.messages.duplicated)).toBeGreaterThan(0);
    expect(sum((result) => result.stats.messages.delayed)).toBeGreaterThan(0);
    expect(sum((result) => result.stats.messages.reordered)).toBeGreaterThan(0);
    expect(sum((result) => result.stats.restarts)).toBeGreaterThan(0);
    expect(sum((result) => result.stats.hubRestarts)).toBeGreaterThan(0);
    expect(sum((result) => result.stats.contended)).toBeGreaterThan(0);
    expect(new Set(results.map((result) => result.stats.spokes))).toEqual(new Set([2, 3, 4, 5]));
    expect(Math.max(...skews)).toBeLessThanOrEqual(TWO_DAYS_MS);
    expect(Math.max(...skews)).toBeGreaterThan(TWO_DAYS_MS / 2);
    for (const kind of KNOWN_OP_KINDS) expect(kinds).toContain(kind);
    expect([...kinds].some((kind) => !(KNOWN_OP_KINDS as readonly string[]).includes(kind))).toBe(
      true,
    );
  }, 60_000);

  it('[SIM-5] a seed replays exactly, and another seed makes another run', async () => {
    const first = await simulate(7);
    const again = await simulate(7);
    const other = await simulate(8);

    expect(again).toEqual(first);
    expect(other.trace).not.toEqual(first.trace);
  });
});

describe('convergence simulator: broken parts are caught', () => {
  it('[SIM-7] a clock comparison reversed on every replica fails the merge-rule check', async () => {
    const { openStore, counter } = reversedClockStores(() => true);
    const results = await runAll(seedRange(1, 5), { openStore });

    expect(counter.rewrites).toBeGreaterThan(0);
    const failed = results.filter((result) => !result.ok);
    expect(failed.length).toBeGreaterThanOrEqual(4);
    for (const result of failed) {
      expect(result.failure).toMatch(/state the merge rules do not give/);
      expect(formatFailure(result)).toMatch(
        new RegExp(`^simulation failed: seed ${result.seed}\\n`),
      );
    }
  });

  it('[SIM-7] a clock comparison reversed on one spoke makes it differ from the hub', async () => {
    const { openStore, counter } = reversedClockStores((host) => host === 's0');
    const results = await runAll(seedRange(1, 5), { openStore });

    expect(counter.rewrites).toBeGreaterThan(0);
    const failed = results.filter((result) => !result.ok);
    expect(failed.length).toBeGreaterThanOrEqual(4);
    for (const result of failed) expect(result.failure).toMatch(/^s0 differs from the hub at /);
  });

  it('[SIM-7] spokes that drop op kinds they do not know are caught missing ops', async () => {
    const results = await runAll(seedRange(1, 10), { wrapReplica: dropsUnknownKinds });

    const failed = results.filter((result) => !result.ok);
    expect(failed.length).toBeGreaterThanOrEqual(5);
    for (const result of failed) expect(result.failure).toMatch(/^s\d is missing \d+ ops/);
  });

  it('[SIM-7] a hub that loses the last op of each full pull page is caught', async () => {
    const results = await runAll(seedRange(1, 10), { wrapReplica: hubLosesPageEnds });

    const failed = results.filter((result) => !result.ok);
    expect(failed.length).toBeGreaterThanOrEqual(5);
    for (const result of failed) expect(result.failure).toMatch(/is missing \d+ ops/);
  });

  it('[SIM-6] a hub whose pull never finishes fails the run instead of hanging', async () => {
    const result = await simulate(3, { wrapReplica: hubNeverFinishes });

    expect(result.ok).toBe(false);
    expect(result.failure).toMatch(/still had more after \d+ pages/);
  });
});
