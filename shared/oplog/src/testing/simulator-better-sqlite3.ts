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
import { createSchema } from '../schema.ts';
import type { OpenStore } from './simulator.ts';

let template: Promise<Uint8Array> | null = null;

/**
 * A store holding the schema and nothing else. Creating the schema (FTS5
 * tables included) costs more than the rest of opening, and the simulator
 * opens thousands of stores; openReplica still runs its own createSchema
 * over it, exactly as on every reopen.
 */
function emptyStore(): Promise<Uint8Array> {
  template ??= (async () => {
    const db = new Database(':memory:');
    const executor = createBetterSqliteExecutor(db);
    await createSchema(executor);
    const image = db.serialize();
    await executor.close();
    return image;
  })();
  return template;
}

/** `wrap` may replace a host's executor, to put a faulty one in on purpose. */
export function betterSqliteStores(
  wrap?: (executor: Executor, host: string) => Executor,
): OpenStore {
  return async (image, host) => {
    const db = new Database(Buffer.from(image ?? (await emptyStore())));
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
