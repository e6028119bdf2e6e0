/**
 * A canonical dump of a replica's shared state: every materialized table and
 * the set of op clocks, rows sorted, keys sorted. Two replicas that have
 * merged the same ops must dump the same string (MERGE-1), whatever order
 * the ops came in. Per-replica data (meta, seq numbers, pending flags,
 * search row ids) is left out, since it rightly differs.
 */
import type { Executor, Row } from '../executor.ts';
import type { Replica } from '../replica.ts';
import { MATERIALIZED_TABLES } from '../schema.ts';
import { stableJson } from './assert.ts';

/** An executor, or a replica from openReplica (which carries its executor). */
export type DumpTarget = Executor | Replica;

export async function dumpState(target: DumpTarget, executor?: Executor): Promise<string> {
  const store = executor ?? executorOf(target);
  const state: Record<string, Row[] | string[]> = {};
  for (const { table, order } of MATERIALIZED_TABLES) {
    state[table] = await store.all(`SELECT * FROM ${table} ORDER BY ${order}`);
  }
  state.search_docs = await store.all(
    'SELECT node, source, ref, body FROM search_docs ORDER BY source, ref',
  );
  const clocks = await store.all<{ clock: string }>('SELECT clock FROM ops ORDER BY clock');
  state.ops = clocks.map((row) => row.clock);
  return stableJson(state);
}

function executorOf(target: DumpTarget): Executor {
  if ('all' in target && typeof target.all === 'function') return target as Executor;
  const executor = (target as Replica & { executor?: Executor }).executor;
  if (!executor) throw new Error('dumpState needs a replica from openReplica or an executor');
  return executor;
}
