/**
 * Simulator stores over better-sqlite3: in-memory databases whose bytes
 * (`serialize`) are what a restart reopens, so a restarted replica finds
 * exactly what was committed and nothing it only held in memory.
 *
 * Kept apart from the simulator so that the testing index stays free of
 * Node-only modules.
 */
import Database from 'better-sqlite3';
import { createBetterSqliteExecutor } from '../drivers/better-sqlite3.ts';
import type { Executor } from '../executor.ts';
import type { OpenStore } from './simulator.ts';

/** `wrap` may replace a host's executor, to put a faulty one in on purpose. */
export function betterSqliteStores(
  wrap?: (executor: Executor, host: string) => Executor,
): OpenStore {
  return async (image, host) => {
    const db = image ? new Database(Buffer.from(image)) : new Database(':memory:');
    const executor = createBetterSqliteExecutor(db);
    return {
      executor: wrap ? wrap(executor, host) : executor,
      snapshot: async () => db.serialize(),
      release: async () => {
        if (db.open) db.close();
      },
    };
  };
}
