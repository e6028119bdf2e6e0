/**
 * The convergence simulator over many seeds (SPEC.md SIM-1 to SIM-3), and a
 * tenth as many again with hub restores (SIM-9).
 *
 * HEPH_SIM_SEEDS sets how many seeds run (default 1000), HEPH_SIM_FIRST the
 * first one (default 1). HEPH_SIM_SEED runs that one seed alone and prints its
 * report, the way to replay a seed a failure printed; the report's replay
 * line also gives HEPH_SIM_RESTORES (own | all), HEPH_SIM_STEPS and
 * HEPH_SIM_SPOKES when the run used them.
 */
import { describe, expect, it } from 'vitest';
import { formatFailure } from '../../src/testing/simulator.ts';
import { failingSeeds, type Overrides, seedRange, simulate } from './harness.ts';

const SEEDS = Number(process.env.HEPH_SIM_SEEDS ?? 1000);
/** Seeds also run with hub restores and the full re-send on reset (SIM-9). */
const RESTORE_SEEDS = Math.ceil(SEEDS / 10);
const FIRST = Number(process.env.HEPH_SIM_FIRST ?? 1);
const ONE_SEED = process.env.HEPH_SIM_SEED;
/** Seeds per test: failures of a batch are reported together. */
const BATCH = 100;
const BATCH_TIMEOUT_MS = 120_000;

const RULES = '[SIM-1] [SIM-2] [SIM-3]';

/** The options a failure's replay line names, read back from the environment. */
function replayOptions(): Overrides {
  const {
    HEPH_SIM_RESTORES: restores,
    HEPH_SIM_STEPS: steps,
    HEPH_SIM_SPOKES: spokes,
  } = process.env;
  return {
    ...(restores ? { hubRestores: true, resendAllOnReset: restores === 'all' } : {}),
    ...(steps ? { steps: Number(steps) } : {}),
    ...(spokes ? { spokes: Number(spokes) } : {}),
  };
}

describe('convergence simulator', () => {
  if (ONE_SEED !== undefined) {
    it(`${RULES} seed ${ONE_SEED}: replicas converge on every op`, async () => {
      const result = await simulate(Number(ONE_SEED), replayOptions());
      console.log(formatFailure(result).replace('simulation failed', `ok=${result.ok}`));
      expect(result.failure).toBeNull();
    });
    return;
  }

  for (let first = FIRST; first < FIRST + SEEDS; first += BATCH) {
    const count = Math.min(BATCH, FIRST + SEEDS - first);
    const last = first + count - 1;
    it(
      `${RULES} seeds ${first}-${last}: every replica holds every op and shows one merged state`,
      async () => {
        const failures = await failingSeeds(seedRange(first, count));
        if (failures.length > 0) console.error(failures.join('\n\n'));
        expect(failures, failures.join('\n\n')).toEqual([]);
      },
      BATCH_TIMEOUT_MS,
    );
  }

  for (let first = FIRST; first < FIRST + RESTORE_SEEDS; first += BATCH) {
    const count = Math.min(BATCH, FIRST + RESTORE_SEEDS - first);
    const last = first + count - 1;
    it(
      `${RULES} [SIM-9] seeds ${first}-${last} with hub restores: every op that survives reaches every replica`,
      async () => {
        const options = { hubRestores: true, resendAllOnReset: true };
        const failures = await failingSeeds(seedRange(first, count), options);
        if (failures.length > 0) console.error(failures.join('\n\n'));
        expect(failures, failures.join('\n\n')).toEqual([]);
      },
      BATCH_TIMEOUT_MS,
    );
  }
});
