/**
 * A field's history (SPEC.md MERGE-10): every write of the field still in
 * the op-log, so a value that lost a concurrent race can be shown and
 * restored.
 *
 * Concurrency is judged with the `prev` clock that commit() records on each
 * field.set (the winner its writer saw). A write is concurrent with the
 * winner when it came from another origin and the winner's writer had not
 * seen it or anything newer: the winner has no `prev`, or its `prev` sorts
 * before the write.
 */
import type { Executor } from './executor.ts';
import type { FieldValue, Op } from './op.ts';
import type { FieldHistoryEntry } from './replica.ts';

interface Write {
  value: FieldValue;
  clock: string;
  origin: string;
  prev: string | null;
}

export async function fieldHistory(
  executor: Executor,
  node: string,
  field: string,
): Promise<FieldHistoryEntry[]> {
  const rows = await executor.all<{ body: string }>(
    `SELECT body FROM ops WHERE node = ? AND kind IN ('node.create', 'field.set') ORDER BY clock`,
    [node],
  );
  const writes = rows.flatMap((row) => writeOf(JSON.parse(row.body) as Op, field));
  const winner = writes.at(-1);

  return writes.map((write) => ({
    value: write.value,
    clock: write.clock,
    origin: write.origin,
    winner: write === winner,
    concurrent: winner !== undefined && write !== winner && isConcurrent(write, winner),
  }));
}

export function isConcurrent(write: Write, winner: Write): boolean {
  if (write.origin === winner.origin) return false;
  return winner.prev === null || winner.prev < write.clock;
}

function writeOf(op: Op, field: string): Write[] {
  const origin = op.clock.slice(18);
  if (op.kind === 'field.set') {
    const set = op as Extract<Op, { kind: 'field.set' }>;
    if (set.field !== field) return [];
    return [{ value: set.value, clock: op.clock, origin, prev: set.prev ?? null }];
  }
  const fields = (op as Extract<Op, { kind: 'node.create' }>).fields;
  if (!Object.hasOwn(fields, field)) return [];
  return [{ value: fields[field] ?? null, clock: op.clock, origin, prev: null }];
}
