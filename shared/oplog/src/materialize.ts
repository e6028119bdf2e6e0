/**
 * From registers to the columns queries read (SPEC.md SCHEMA-3, MERGE-7,
 * MERGE-8). A node is materialized from scratch from its registers, so the
 * result depends only on which ops are stored, never on their order.
 */
import { type Executor, type Row, runEach, type SqlValue } from './executor.ts';
import { ATTENTION_TIERS, TASK_FIELDS, TASK_STATES } from './fields.ts';
import type { FieldValue } from './op.ts';

/** The recurrence rule, as shared/oplog/src/domain/recurrence.ts defines it (REC-*). */
export type NextOccurrence = (
  rule: string,
  anchor: number,
  after: number,
  timeZone: string,
) => number | null;

interface Columns {
  title: string;
  state: string | null;
  doDate: number | null;
  lateOn: number | null;
  attention: string | null;
  project: string | null;
  recurrence: string | null;
  closedAt: number | null;
}

const UPDATE_NODE = `UPDATE nodes SET updated_at = ?, deleted = ?, title = ?, state = ?,
  do_date = ?, late_on = ?, attention = ?, project = ?, recurrence = ?, closed_at = ?
  WHERE id = ?`;
const UPSERT_DOC = `INSERT INTO search_docs (node, source, ref, body) VALUES (?, ?, ?, ?)
  ON CONFLICT (source, ref) DO UPDATE SET body = excluded.body WHERE body != excluded.body`;
const LATEST_CLOSE = `SELECT occurrence, clock FROM occurrences WHERE node = ?
  ORDER BY occurrence DESC LIMIT 1`;

export async function readFields(
  executor: Executor,
  node: string,
): Promise<Record<string, FieldValue>> {
  const rows = await executor.all<{ field: string; value: string }>(
    'SELECT field, value FROM fields WHERE node = ?',
    [node],
  );
  const fields: Record<string, FieldValue> = {};
  for (const row of rows) fields[row.field] = JSON.parse(row.value) as FieldValue;
  return fields;
}

/**
 * One read gathers what the columns of every node in the batch depend on
 * (its registers and its latest op), so a batch costs one read, then one
 * update per node, and a search write per changed title.
 */
const READ_NODES = `SELECT n.id AS id, n.kind AS kind, n.title AS title,
    (SELECT deleted FROM deletions WHERE node = n.id) AS deleted,
    (SELECT max(clock) FROM ops WHERE node = n.id) AS last_clock,
    (SELECT json_group_object(field, json(value)) FROM fields WHERE node = n.id) AS fields
  FROM json_each(?) AS touched JOIN nodes n ON n.id = touched.value`;
const DELETE_DOC = 'DELETE FROM search_docs WHERE source = ? AND ref = ?';

interface NodeState extends Row {
  id: string;
  kind: string;
  title: string;
  deleted: number | null;
  last_clock: string | null;
  fields: string;
}

export async function materializeNodes(
  executor: Executor,
  nodes: readonly string[],
  nextOccurrence: NextOccurrence,
): Promise<void> {
  if (nodes.length === 0) return;
  // [MERGE-5] A node not created yet has no row here: its registers wait for the create.
  const states = await executor.all<NodeState>(READ_NODES, [JSON.stringify(nodes)]);

  const updates: SqlValue[][] = [];
  const docs: SqlValue[][] = [];
  const emptied: SqlValue[][] = [];
  for (const row of states) {
    const fields = JSON.parse(row.fields) as Record<string, FieldValue>;
    const columns = columnsFromFields(row.kind, fields);
    if (row.kind === 'task')
      await rollRecurrence(executor, row.id, fields, columns, nextOccurrence);
    updates.push(nodeUpdate(row, columns));

    // [SEARCH-1] A search row exists exactly when its text is not empty, so
    // the rows do not depend on the order in which titles changed.
    if (columns.title === row.title) continue;
    if (columns.title === '') emptied.push(['title', row.id]);
    else docs.push([row.id, 'title', row.id, columns.title]);
  }

  await runEach(executor, UPDATE_NODE, updates);
  await runEach(executor, UPSERT_DOC, docs);
  await runEach(executor, DELETE_DOC, emptied);
}

function nodeUpdate(row: NodeState, columns: Columns): SqlValue[] {
  const updatedAt = row.last_clock ? Number.parseInt(row.last_clock.slice(0, 12), 16) : 0;
  return [
    updatedAt,
    row.deleted ?? 0,
    columns.title,
    columns.state,
    columns.doDate,
    columns.lateOn,
    columns.attention,
    columns.project,
    columns.recurrence,
    columns.closedAt,
    row.id,
  ];
}

/** [SEARCH-1] The context's search row, present exactly when its text is not empty. */
async function writeDoc(
  executor: Executor,
  node: string,
  source: 'title' | 'context',
  body: string,
): Promise<void> {
  if (body === '') {
    await executor.run(DELETE_DOC, [source, node]);
    return;
  }
  await executor.run(UPSERT_DOC, [node, source, node, body]);
}

export function columnsFromFields(kind: string, fields: Record<string, FieldValue>): Columns {
  const state = pick(fields[TASK_FIELDS.state], TASK_STATES);
  return {
    title: typeof fields.title === 'string' ? fields.title : '',
    state: kind === 'task' ? (state ?? 'outstanding') : null,
    doDate: finite(fields[TASK_FIELDS.doDate]),
    lateOn: finite(fields[TASK_FIELDS.lateOn]),
    attention: pick(fields[TASK_FIELDS.attention], ATTENTION_TIERS),
    project: nonEmpty(fields[TASK_FIELDS.project]),
    recurrence: nonEmpty(fields[TASK_FIELDS.recurrence]),
    closedAt: finite(fields[TASK_FIELDS.closedAt]),
  };
}

/**
 * [MERGE-8] A recurring task's do date is the first occurrence after the
 * latest closed one; late-on moves by the same amount; an ended series is done.
 */
async function rollRecurrence(
  executor: Executor,
  node: string,
  fields: Record<string, FieldValue>,
  columns: Columns,
  nextOccurrence: NextOccurrence,
): Promise<void> {
  const anchor = columns.doDate;
  if (columns.recurrence === null || anchor === null || columns.state !== 'outstanding') return;
  const [latest] = await executor.all<{ occurrence: number; clock: string }>(LATEST_CLOSE, [node]);
  if (!latest) return;

  const timeZone = nonEmpty(fields[TASK_FIELDS.timezone]) ?? 'UTC';
  const next = safeNext(nextOccurrence, columns.recurrence, anchor, latest.occurrence, timeZone);
  if (next === undefined) return;
  if (next === null) {
    columns.state = 'done';
    columns.closedAt ??= Number.parseInt(latest.clock.slice(0, 12), 16);
    return;
  }
  columns.doDate = next;
  if (columns.lateOn !== null) columns.lateOn += next - anchor;
}

/** A rule the recurrence library cannot read leaves the task as if it did not recur. */
function safeNext(
  nextOccurrence: NextOccurrence,
  rule: string,
  anchor: number,
  after: number,
  timeZone: string,
): number | null | undefined {
  try {
    return nextOccurrence(rule, anchor, after, timeZone);
  } catch {
    return undefined;
  }
}

/** [MERGE-7] The latest set, then every append after it, in clock order. */
export function contextFromParts(parts: ReadonlyArray<{ mode: string; text: string }>): string {
  let start = 0;
  for (let index = parts.length - 1; index >= 0; index -= 1) {
    if (parts[index]?.mode === 'set') {
      start = index;
      break;
    }
  }
  return parts
    .slice(start)
    .map((part) => part.text)
    .join('\n');
}

export async function readContext(executor: Executor, node: string): Promise<string> {
  const parts = await executor.all<{ mode: string; text: string }>(
    'SELECT mode, text FROM context_parts WHERE node = ? ORDER BY clock',
    [node],
  );
  return contextFromParts(parts);
}

export async function materializeContext(executor: Executor, node: string): Promise<void> {
  await writeDoc(executor, node, 'context', await readContext(executor, node));
}

function pick<T extends string>(value: FieldValue | undefined, allowed: readonly T[]): T | null {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : null;
}

function finite(value: FieldValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function nonEmpty(value: FieldValue | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
