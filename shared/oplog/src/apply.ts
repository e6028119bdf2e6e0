/**
 * Applying a batch of validated ops (SPEC.md MERGE-*), inside the caller's
 * transaction.
 *
 * Each op is inserted into the op-log by its clock; a clock already stored is
 * a duplicate and has no further effect (MERGE-2). A new op updates its
 * register with a conditional upsert that keeps the higher clock, so the
 * result does not depend on arrival order (MERGE-1). Nodes are
 * rematerialized once per batch, after every op is in (MERGE-9).
 *
 * The work runs statement by statement, not op by op: first every op's
 * op-log insert, then each register write grouped by its SQL, then the
 * touched nodes. Every register write is a merge that keeps the higher clock,
 * so running them grouped gives what running them in op order gives, and a
 * driver with `runMany` pays its per-call cost once per group.
 */
import { type Executor, runEach, type SqlValue } from './executor.ts';
import { materializeContext, materializeNodes, type NextOccurrence } from './materialize.ts';
import type { Op } from './op.ts';
import type { ApplyResult } from './replica.ts';

const INSERT_OP = `INSERT INTO ops (clock, origin, kind, node, body, pending)
  VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (clock) DO NOTHING`;
const UPSERT_NODE = `INSERT INTO nodes (id, kind, create_clock, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind,
  create_clock = excluded.create_clock, created_at = excluded.created_at
  WHERE excluded.create_clock < nodes.create_clock`;
const UPSERT_FIELD = `INSERT INTO fields (node, field, value, clock) VALUES (?, ?, ?, ?)
  ON CONFLICT (node, field) DO UPDATE SET value = excluded.value, clock = excluded.clock
  WHERE excluded.clock > fields.clock`;
const UPSERT_DELETION = `INSERT INTO deletions (node, deleted, clock) VALUES (?, ?, ?)
  ON CONFLICT (node) DO UPDATE SET deleted = excluded.deleted, clock = excluded.clock
  WHERE excluded.clock > deletions.clock`;
const UPSERT_TAG = `INSERT INTO tags (node, tag, present, clock) VALUES (?, ?, ?, ?)
  ON CONFLICT (node, tag) DO UPDATE SET present = excluded.present, clock = excluded.clock
  WHERE excluded.clock > tags.clock`;
const UPSERT_LINK = `INSERT INTO links (source, target, present, clock) VALUES (?, ?, ?, ?)
  ON CONFLICT (source, target) DO UPDATE SET present = excluded.present, clock = excluded.clock
  WHERE excluded.clock > links.clock`;
const UPSERT_OCCURRENCE = `INSERT INTO occurrences (node, occurrence, outcome, clock)
  VALUES (?, ?, ?, ?) ON CONFLICT (node, occurrence) DO UPDATE SET
  outcome = excluded.outcome, clock = excluded.clock WHERE excluded.clock > occurrences.clock`;
const INSERT_LOG = `INSERT INTO log_entries (node, clock, text) VALUES (?, ?, ?)
  ON CONFLICT DO NOTHING`;
const INSERT_LOG_DOC = `INSERT INTO search_docs (node, source, ref, body) VALUES (?, 'log', ?, ?)
  ON CONFLICT DO NOTHING`;
const INSERT_CONTEXT = `INSERT INTO context_parts (node, clock, mode, text) VALUES (?, ?, ?, ?)
  ON CONFLICT DO NOTHING`;

/** Where the origin starts in a clock string: 12 hex millis, '-', 4 hex counter, '-'. */
const ORIGIN_OFFSET = 18;

export interface BatchOptions {
  /** True for local ops awaiting push. */
  pending: boolean;
  nextOccurrence: NextOccurrence;
}

interface Touched {
  /** Nodes whose columns may have changed: rematerialized in full. */
  nodes: Set<string>;
  /** Nodes that only gained a tag, link or log entry: just updated_at moves. */
  times: Map<string, number>;
  contexts: Set<string>;
  changed: Set<string>;
}

/** Register writes waiting to run, their parameter rows grouped by SQL text. */
type Writes = Map<string, SqlValue[][]>;

/** Kinds that write a register the node's columns are computed from. */
const SHAPING = new Set([
  'node.create',
  'field.set',
  'node.delete',
  'node.undelete',
  'occurrence.close',
]);

const TOUCH_NODE = 'UPDATE nodes SET updated_at = ? WHERE id = ? AND updated_at < ?';

export async function applyBatch(
  executor: Executor,
  ops: readonly Op[],
  options: BatchOptions,
): Promise<ApplyResult> {
  const touched: Touched = {
    nodes: new Set(),
    times: new Map(),
    contexts: new Set(),
    changed: new Set(),
  };
  const pending = options.pending ? 1 : 0;
  const rows = ops.map((op) => {
    const origin = op.clock.slice(ORIGIN_OFFSET);
    return [op.clock, origin, op.kind, op.node, JSON.stringify(op), pending];
  });
  const changes = await runEach(executor, INSERT_OP, rows);

  // [MERGE-2] Only an op new to the store has an effect; a clock repeated
  // within the batch is a duplicate too, since its first insert came before.
  const writes: Writes = new Map();
  let inserted = 0;
  ops.forEach((op, index) => {
    if (changes[index] === 0) return;
    inserted += 1;
    collectEffect(op, touched, writes);
  });
  for (const [sql, params] of writes) await runEach(executor, sql, params);

  for (const node of touched.contexts) await materializeContext(executor, node);
  await materializeNodes(executor, [...touched.nodes], options.nextOccurrence);
  const times: SqlValue[][] = [];
  for (const [node, millis] of touched.times) {
    if (!touched.nodes.has(node)) times.push([millis, node, millis]);
  }
  await runEach(executor, TOUCH_NODE, times);
  return { inserted, changedNodes: [...touched.changed].sort() };
}

function write(writes: Writes, sql: string, params: SqlValue[]): void {
  const group = writes.get(sql);
  if (group) group.push(params);
  else writes.set(sql, [params]);
}

function collectEffect(op: Op, touched: Touched, writes: Writes): void {
  const { node, clock } = op;
  touched.changed.add(node);
  if (SHAPING.has(op.kind)) {
    touched.nodes.add(node);
  } else {
    const millis = Number.parseInt(clock.slice(0, 12), 16);
    touched.times.set(node, Math.max(millis, touched.times.get(node) ?? 0));
  }

  switch (op.kind) {
    case 'node.create':
      collectCreate(op as Extract<Op, { kind: 'node.create' }>, writes);
      return;
    case 'field.set': {
      const { field, value } = op as Extract<Op, { kind: 'field.set' }>;
      write(writes, UPSERT_FIELD, [node, field, JSON.stringify(value), clock]);
      return;
    }
    case 'node.delete':
    case 'node.undelete':
      write(writes, UPSERT_DELETION, [node, op.kind === 'node.delete' ? 1 : 0, clock]);
      return;
    case 'tag.add':
    case 'tag.remove': {
      const { tag } = op as Extract<Op, { kind: 'tag.add' }>;
      write(writes, UPSERT_TAG, [node, tag, op.kind === 'tag.add' ? 1 : 0, clock]);
      return;
    }
    case 'link.add':
    case 'link.remove': {
      const { target } = op as Extract<Op, { kind: 'link.add' }>;
      touched.changed.add(target);
      write(writes, UPSERT_LINK, [node, target, op.kind === 'link.add' ? 1 : 0, clock]);
      return;
    }
    case 'log.append': {
      const { text } = op as Extract<Op, { kind: 'log.append' }>;
      write(writes, INSERT_LOG, [node, clock, text]);
      write(writes, INSERT_LOG_DOC, [node, clock, text]);
      return;
    }
    case 'context.set':
    case 'context.append': {
      const { text } = op as Extract<Op, { kind: 'context.set' }>;
      touched.contexts.add(node);
      write(writes, INSERT_CONTEXT, [node, clock, op.kind.slice(8), text]);
      return;
    }
    case 'occurrence.close': {
      const { occurrence, outcome } = op as Extract<Op, { kind: 'occurrence.close' }>;
      write(writes, UPSERT_OCCURRENCE, [node, occurrence, outcome, clock]);
      return;
    }
    default:
      // [OP-6] An unknown kind is stored in the op-log only: no effect here,
      // but it is kept and passed on.
      return;
  }
}

function collectCreate(op: Extract<Op, { kind: 'node.create' }>, writes: Writes): void {
  const millis = Number.parseInt(op.clock.slice(0, 12), 16);
  write(writes, UPSERT_NODE, [op.node, op.nodeKind, op.clock, millis, millis]);
  for (const [field, value] of Object.entries(op.fields)) {
    write(writes, UPSERT_FIELD, [op.node, field, JSON.stringify(value), op.clock]);
  }
}
