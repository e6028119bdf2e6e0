/**
 * Turning drafts into ops (SPEC.md CLOCK-5): each draft gets the next local
 * clock, except that an edit to a register (field, deletion, tag, link,
 * occurrence) is stamped after the write currently in effect there. A peer
 * whose clock runs ahead would otherwise win every race against the owner's
 * own later edit, and the edit would seem to do nothing.
 */
import { type HybridClock, parseTimestamp, type Timestamp, timestampToString } from './clock.ts';
import type { Executor, SqlValue } from './executor.ts';
import { OP_FORMAT_VERSION, type Op } from './op.ts';
import type { OpDraft } from './replica.ts';

export async function stampDrafts(
  executor: Executor,
  clock: HybridClock,
  drafts: readonly OpDraft[],
): Promise<Op[]> {
  const ops: Op[] = [];
  for (const draft of drafts) {
    const winner = await currentWinner(executor, draft);
    const stamp = winner === null ? clock.send() : clock.sendAfter(parseTimestamp(winner));
    ops.push(toOp(draft, stamp, winner));
  }
  return ops;
}

function toOp(draft: OpDraft, stamp: Timestamp, winner: string | null): Op {
  // The draft comes first so that nothing in it can replace the stamp.
  const op = { ...draft, v: OP_FORMAT_VERSION, clock: timestampToString(stamp) } as Op;
  if (draft.kind !== 'field.set') return op;
  const set = op as { prev?: string };
  if (winner === null) delete set.prev;
  else set.prev = winner;
  return op;
}

/** The clock of the write in effect in the register the draft writes to, if any. */
async function currentWinner(executor: Executor, draft: OpDraft): Promise<string | null> {
  const lookup = registerLookup(draft);
  if (!lookup) return null;
  const [row] = await executor.all<{ clock: string }>(lookup.sql, lookup.params);
  return row?.clock ?? null;
}

function registerLookup(draft: OpDraft): { sql: string; params: SqlValue[] } | null {
  const d = draft as Record<string, unknown> & { node: string; kind: string };
  switch (d.kind) {
    case 'field.set':
      return {
        sql: 'SELECT clock FROM fields WHERE node = ? AND field = ?',
        params: [d.node, String(d.field)],
      };
    case 'node.delete':
    case 'node.undelete':
      return { sql: 'SELECT clock FROM deletions WHERE node = ?', params: [d.node] };
    case 'tag.add':
    case 'tag.remove':
      return {
        sql: 'SELECT clock FROM tags WHERE node = ? AND tag = ?',
        params: [d.node, String(d.tag)],
      };
    case 'link.add':
    case 'link.remove':
      return {
        sql: 'SELECT clock FROM links WHERE source = ? AND target = ?',
        params: [d.node, String(d.target)],
      };
    case 'occurrence.close':
      return {
        sql: 'SELECT clock FROM occurrences WHERE node = ? AND occurrence = ?',
        params: [d.node, Number(d.occurrence)],
      };
    default:
      return null;
  }
}
