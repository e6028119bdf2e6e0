/**
 * The merge rules restated as a plain model, for the convergence simulator.
 *
 * Replicas that agree can still agree on the wrong answer: a reversed clock
 * comparison applied everywhere converges on the oldest write instead of the
 * newest. So after the replicas agree, their shared state is checked against
 * what the rules say the ops mean: in every register (field, tag, link,
 * deletion) the op with the highest clock wins (MERGE-*), log entries are
 * all kept in clock order, and the context document is the latest set
 * followed by every later append, in clock order.
 *
 * Clock strings sort as their timestamps do (CLOCK-*), so the model compares
 * them as strings.
 */
import type { CreateNodeOp, FieldValue, Op } from '../op.ts';
import type { Replica } from '../replica.ts';

interface Register<T> {
  clock: string;
  value: T;
}

interface ExpectedNode {
  created: boolean;
  fields: Map<string, Register<FieldValue>>;
  tags: Map<string, Register<boolean>>;
  links: Map<string, Register<boolean>>;
  deleted: Register<boolean> | null;
  log: Array<{ clock: string; text: string }>;
  context: Array<{ clock: string; set: boolean; text: string }>;
}

/** Null when the replica shows, for every node, what the merge rules make of `ops`. */
export async function oracleProblem(replica: Replica, ops: Iterable<Op>): Promise<string | null> {
  for (const [id, expected] of expectedNodes(ops)) {
    const problem = await nodeProblem(replica, id, expected);
    if (problem) return `node ${id}: ${problem}`;
  }
  return null;
}

function expectedNodes(ops: Iterable<Op>): Map<string, ExpectedNode> {
  const nodes = new Map<string, ExpectedNode>();
  const nodeOf = (id: string): ExpectedNode => {
    let node = nodes.get(id);
    if (!node) {
      node = {
        created: false,
        fields: new Map(),
        tags: new Map(),
        links: new Map(),
        deleted: null,
        log: [],
        context: [],
      };
      nodes.set(id, node);
    }
    return node;
  };

  for (const op of ops) applyToModel(nodeOf(op.node), op);
  for (const node of nodes.values()) {
    node.log.sort((a, b) => compare(a.clock, b.clock));
    node.context.sort((a, b) => compare(a.clock, b.clock));
  }
  return nodes;
}

function applyToModel(node: ExpectedNode, op: Op): void {
  const { clock } = op;
  const body = op as unknown as Record<string, unknown>;
  switch (op.kind) {
    case 'node.create':
      node.created = true;
      for (const [field, value] of Object.entries((op as CreateNodeOp).fields)) {
        write(node.fields, field, { clock, value });
      }
      return;
    case 'field.set':
      write(node.fields, String(body.field), { clock, value: body.value as FieldValue });
      return;
    case 'node.delete':
    case 'node.undelete':
      if (!node.deleted || compare(clock, node.deleted.clock) > 0) {
        node.deleted = { clock, value: op.kind === 'node.delete' };
      }
      return;
    case 'tag.add':
    case 'tag.remove':
      write(node.tags, String(body.tag), { clock, value: op.kind === 'tag.add' });
      return;
    case 'link.add':
    case 'link.remove':
      write(node.links, String(body.target), { clock, value: op.kind === 'link.add' });
      return;
    case 'log.append':
      node.log.push({ clock, text: String(body.text) });
      return;
    case 'context.set':
    case 'context.append':
      node.context.push({ clock, set: op.kind === 'context.set', text: String(body.text) });
      return;
  }
}

function write<T>(registers: Map<string, Register<T>>, key: string, next: Register<T>): void {
  const current = registers.get(key);
  if (!current || compare(next.clock, current.clock) > 0) registers.set(key, next);
}

async function nodeProblem(
  replica: Replica,
  id: string,
  expected: ExpectedNode,
): Promise<string | null> {
  const view = await replica.getNode(id);
  // [MERGE-5] Ops about a node whose create is not held wait unseen.
  if (!expected.created) return view ? 'shown, though no create op for it exists' : null;
  if (!view) return 'missing, though its create op was made';

  const fields = Object.fromEntries([...expected.fields].map(([key, { value }]) => [key, value]));
  const mismatch =
    differs('fields', view.fields, fields) ??
    differs('tags', view.tags, present(expected.tags)) ??
    differs('deleted', view.deleted, expected.deleted?.value ?? false) ??
    differs('links', (await replica.links(id)).outgoing, present(expected.links)) ??
    differs('log', logOf(await replica.getLog(id)), expected.log) ??
    differs('context', await replica.getContext(id), contextText(expected.context));
  return mismatch;
}

function present(registers: Map<string, Register<boolean>>): string[] {
  return [...registers]
    .filter(([, register]) => register.value)
    .map(([key]) => key)
    .sort(compare);
}

function logOf(entries: ReadonlyArray<{ clock: string; text: string }>) {
  return entries.map(({ clock, text }) => ({ clock, text }));
}

/** The latest set, then every append after it, joined by newlines. */
function contextText(parts: ReadonlyArray<{ set: boolean; text: string }>): string {
  let start = 0;
  parts.forEach((part, index) => {
    if (part.set) start = index;
  });
  return parts
    .slice(start)
    .map((part) => part.text)
    .join('\n');
}

function differs(what: string, actual: unknown, expected: unknown): string | null {
  const shown = JSON.stringify(sorted(actual));
  const wanted = JSON.stringify(sorted(expected));
  return shown === wanted ? null : `${what} is ${shown}, the merge rules give ${wanted}`;
}

/** Object keys in a fixed order, so the comparison ignores key order. */
function sorted(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    compare(a, b),
  );
  return Object.fromEntries(entries);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
