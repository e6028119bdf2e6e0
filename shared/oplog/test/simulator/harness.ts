/**
 * The simulator wired to the real parts: openReplica over better-sqlite3,
 * compared with testing/dump.ts beside the state read through the interface.
 * Every simulator test goes through here, so they all run the same code.
 */
import { openReplica } from '../../src/replica-impl.ts';
import { dumpState } from '../../src/testing/dump.ts';
import {
  formatFailure,
  runSimulation,
  type SimulationOptions,
  type SimulationResult,
} from '../../src/testing/simulator.ts';
import { betterSqliteStores } from '../../src/testing/simulator-better-sqlite3.ts';

export type Overrides = Partial<Omit<SimulationOptions, 'seed'>>;

export function simulate(seed: number, overrides: Overrides = {}): Promise<SimulationResult> {
  return runSimulation({
    seed,
    openReplica,
    openStore: betterSqliteStores(),
    dumpState: (_replica, executor) => dumpState(executor),
    ...overrides,
  });
}

/** Runs `seeds` and returns the report of every failing one (empty when all converge). */
export async function failingSeeds(seeds: readonly number[], overrides: Overrides = {}) {
  const reports: string[] = [];
  for (const seed of seeds) {
    const result = await simulate(seed, overrides);
    if (!result.ok) reports.push(formatFailure(result));
  }
  return reports;
}

export function seedRange(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => first + index);
}
