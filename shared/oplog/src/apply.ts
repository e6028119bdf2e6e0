/**
 * Applying a batch of validated ops (SPEC.md MERGE-*), inside the caller's
 * transaction.
 *
 * Each op is inserted into the op-log by its clock; a clock already stored is
 * a duplicate and has no further effect (MERGE-2). A new op updates its
 * register with a conditional upsert that keeps the higher clock, so the
 * result does not depend on arrival order (MERGE-1). Nodes are
 * rematerialized once per batch, after every op is in (MERGE-9).
 */
import type { Executor } from './executor.ts';
import { materializeContext, materializeNode, type NextOccurrence } from './materialize.ts';
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
  let inserted = 0;

  for (const op of ops) {
    const origin = op.clock.slice(ORIGIN_OFFSET);
    const params = [op.clock, origin, op.kind, op.node, JSON.stringify(op), pending];
    const { changes } = await executor.run(INSERT_OP, params);
    if (changes === 0) continue;

    inserted += 1;
    await applyEffect(executor, op, touched);
  }

  for (const node of touched.contexts) await materializeContext(executor, node);
  for (const node of touched.nodes) await materializeNode(executor, node, options.nextOccurrence);
  for (const [node, millis] of touched.times) {
    if (!touched.nodes.has(node)) await executor.run(TOUCH_NODE, [millis, node, millis]);
  }
  return { inserted, changedNodes: [...touched.changed].sort() };
}

async function applyEffect(executor: Executor, op: Op, touched: Touched): Promise<void> {
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
      return applyCreate(executor, op as Extract<Op, { kind: 'node.create' }>);
    case 'field.set': {
      const { field, value } = op as Extract<Op, { kind: 'field.set' }>;
      await executor.run(UPSERT_FIELD, [node, field, JSON.stringify(value), clock]);
      return;
    }
    case 'node.delete':
    case 'node.undelete':
      await executor.run(UPSERT_DELETION, [node, op.kind === 'node.delete' ? 1 : 0, clock]);
      return;
    case 'tag.add':
    case 'tag.remove': {
      const { tag } = op as Extract<Op, { kind: 'tag.add' }>;
      await executor.run(UPSERT_TAG, [node, tag, op.kind === 'tag.add' ? 1 : 0, clock]);
      return;
    }
    case 'link.add':
    case 'link.remove': {
      const { target } = op as Extract<Op, { kind: 'link.add' }>;
      touched.changed.add(target);
      await executor.run(UPSERT_LINK, [node, target, op.kind === 'link.add' ? 1 : 0, clock]);
      return;
    }
    case 'log.append': {
      const { text } = op as Extract<Op, { kind: 'log.append' }>;
      await executor.run(INSERT_LOG, [node, clock, text]);
      await executor.run(INSERT_LOG_DOC, [node, clock, text]);
      return;
    }
    case 'context.set':
    case 'context.append': {
      const { text } = op as Extract<Op, { kind: 'context.set' }>;
      touched.contexts.add(node);
      await executor.run(INSERT_CONTEXT, [node, clock, op.kind.slice(8), text]);
      return;
    }
    case 'occurrence.close': {
      const { occurrence, outcome } = op as Extract<Op, { kind: 'occurrence.close' }>;
      await executor.run(UPSERT_OCCURRENCE, [node, occurrence, outcome, clock]);
      return;
    }
    default:
      // [OP-6] An unknown kind is stored in the op-log only: no effect here,
      // but it is kept and passed on.
      return;
  }
}

async function applyCreate(
  executor: Executor,
  op: Extract<Op, { kind: 'node.create' }>,
): Promise<void> {
  const millis = Number.parseInt(op.clock.slice(0, 12), 16);
  await executor.run(UPSERT_NODE, [op.node, op.nodeKind, op.clock, millis, millis]);
  for (const [field, value] of Object.entries(op.fields)) {
    await executor.run(UPSERT_FIELD, [op.node, field, JSON.stringify(value), op.clock]);
  }
}
