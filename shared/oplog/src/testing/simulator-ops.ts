/**
 * Random op drafts for the convergence simulator.
 *
 * The drafts cover every op kind of op.ts. Values come from small pools on
 * purpose: few tags, few fields and few occurrence dates make replicas write
 * the same things concurrently, which is where merge rules can go wrong.
 */
import type { FieldValue, NodeKind, OpKind } from '../op.ts';
import type { OpDraft } from '../replica.ts';
import type { Random } from './simulator-random.ts';

export interface SimNode {
  id: string;
  kind: NodeKind;
}

export interface DraftContext {
  random: Random;
  /** Physical time of the replica making the draft (skew included). */
  now: number;
  newNodeId: () => string;
  /** Nodes whose create op this replica holds. */
  local: readonly SimNode[];
  /** Nodes created anywhere, including ones this replica has not seen yet. */
  everywhere: readonly SimNode[];
}

const DAY_MS = 86_400_000;
/** Occurrence dates are drawn from a few days after this instant. */
export const OCCURRENCE_BASE_MS = Date.UTC(2026, 11, 1);

/** Every op kind of op.ts; the simulator makes each of them. */
export const KNOWN_OP_KINDS = [
  'node.create',
  'field.set',
  'node.delete',
  'node.undelete',
  'tag.add',
  'tag.remove',
  'link.add',
  'link.remove',
  'log.append',
  'context.set',
  'context.append',
  'occurrence.close',
] as const satisfies readonly OpKind[];

export const TAGS = ['home', 'work', 'errand', 'waiting'] as const;

const ATTENTION = ['red', 'orange', 'white', 'blue'] as const;
const STATES = ['outstanding', 'done', 'dropped'] as const;
const RECURRENCES = ['daily', 'every 3 days', 'FREQ=WEEKLY;BYDAY=MO'] as const;
const WORDS = ['file', 're-file', 'call', 'plan', 'garden', 'taxes', 'quote "x"', 'ünïcode'];

/** The fields the simulator sets, by node kind; `title` exists on every kind. */
export const FIELDS_BY_KIND: Record<NodeKind, readonly string[]> = {
  task: ['title', 'state', 'doDate', 'lateOn', 'attention', 'project', 'recurrence'],
  project: ['title'],
  note: ['title'],
};

export const ALL_FIELDS: readonly string[] = [...new Set(Object.values(FIELDS_BY_KIND).flat())];

type DraftMaker = (context: DraftContext) => OpDraft | null;

const MAKERS: ReadonlyArray<readonly [weight: number, make: DraftMaker]> = [
  [14, createNode],
  [30, setField],
  [7, deleteOrUndelete],
  [10, tagAddOrRemove],
  [7, linkAddOrRemove],
  [9, appendLog],
  [10, setOrAppendContext],
  [5, closeOccurrence],
];
const TOTAL_WEIGHT = MAKERS.reduce((sum, [weight]) => sum + weight, 0);

/** One random draft. Creates a node when there is nothing else to write about. */
export function randomDraft(context: DraftContext): OpDraft {
  if (context.everywhere.length === 0) return createNode(context);

  let roll = context.random.int(1, TOTAL_WEIGHT);
  for (const [weight, make] of MAKERS) {
    roll -= weight;
    if (roll > 0) continue;
    return make(context) ?? createNode(context);
  }
  return createNode(context);
}

/** A draft setting `field` of `node`, for concurrent writes of one field. */
export function setFieldDraft(context: DraftContext, node: SimNode, field: string): OpDraft {
  return { kind: 'field.set', node: node.id, field, value: randomValue(context, field) };
}

/** A draft closing one occurrence, for concurrent closes of one occurrence. */
export function closeOccurrenceDraft(node: SimNode, day: number, done: boolean): OpDraft {
  return {
    kind: 'occurrence.close',
    node: node.id,
    occurrence: OCCURRENCE_BASE_MS + day * DAY_MS,
    outcome: done ? 'done' : 'skipped',
  };
}

function createNode(context: DraftContext): OpDraft {
  const { random } = context;
  const nodeKind = random.pick(['task', 'task', 'task', 'project', 'note'] as const);
  const fields: Record<string, FieldValue> = { title: randomTitle(random) };
  if (nodeKind === 'task') {
    for (const field of FIELDS_BY_KIND.task) {
      if (field !== 'title' && random.chance(0.3)) fields[field] = randomValue(context, field);
    }
  }
  return { kind: 'node.create', node: context.newNodeId(), nodeKind, fields };
}

function setField(context: DraftContext): OpDraft {
  const node = target(context);
  return setFieldDraft(context, node, context.random.pick(FIELDS_BY_KIND[node.kind]));
}

function deleteOrUndelete(context: DraftContext): OpDraft {
  const kind = context.random.chance(0.6) ? 'node.delete' : 'node.undelete';
  return { kind, node: target(context).id };
}

function tagAddOrRemove(context: DraftContext): OpDraft {
  const kind = context.random.chance(0.6) ? 'tag.add' : 'tag.remove';
  return { kind, node: target(context).id, tag: context.random.pick(TAGS) };
}

function linkAddOrRemove(context: DraftContext): OpDraft | null {
  const from = target(context);
  const to = context.random.pick(context.everywhere);
  if (from.id === to.id) return null;
  const kind = context.random.chance(0.65) ? 'link.add' : 'link.remove';
  return { kind, node: from.id, target: to.id };
}

function appendLog(context: DraftContext): OpDraft {
  return { kind: 'log.append', node: target(context).id, text: randomTitle(context.random) };
}

function setOrAppendContext(context: DraftContext): OpDraft {
  const kind = context.random.chance(0.3) ? 'context.set' : 'context.append';
  return { kind, node: target(context).id, text: randomTitle(context.random) };
}

function closeOccurrence(context: DraftContext): OpDraft | null {
  const tasks = context.local.filter((node) => node.kind === 'task');
  if (tasks.length === 0) return null;
  const node = context.random.pick(tasks);
  return closeOccurrenceDraft(node, context.random.int(0, 3), context.random.chance(0.7));
}

/** Mostly a node this replica holds; sometimes one whose create has not arrived. */
function target(context: DraftContext): SimNode {
  const { random, local, everywhere } = context;
  if (local.length > 0 && random.chance(0.9)) return random.pick(local);
  return random.pick(everywhere);
}

function randomValue(context: DraftContext, field: string): FieldValue {
  const { random } = context;
  if (field !== 'title' && random.chance(0.12)) return null;

  switch (field) {
    case 'state':
      return random.pick(STATES);
    case 'attention':
      return random.pick(ATTENTION);
    case 'doDate':
    case 'lateOn':
      return context.now + random.int(-3, 10) * DAY_MS;
    case 'project': {
      const projects = context.everywhere.filter((node) => node.kind === 'project');
      return projects.length > 0 ? random.pick(projects).id : null;
    }
    case 'recurrence':
      return random.pick(RECURRENCES);
    default:
      return randomTitle(random);
  }
}

function randomTitle(random: Random): string {
  const count = random.int(1, 3);
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(random.pick(WORDS));
  return words.join(' ');
}
