/**
 * Reads over the materialized tables: node views, task and project lists,
 * logs, links and id prefixes (SPEC.md SCHEMA-*, ID-*).
 */
import { OplogError } from './errors.ts';
import type { Executor, Row, SqlValue } from './executor.ts';
import { normalizeIdPrefix } from './ids.ts';
import { clampLimit } from './limits.ts';
import { readFields } from './materialize.ts';
import type { FieldValue, NodeKind } from './op.ts';
import type { Attention, LogEntry, NodeView, TaskFilter, TaskState } from './replica.ts';

interface NodeRow extends Row {
  id: string;
  kind: string;
  created_at: number;
  updated_at: number;
  deleted: number;
  title: string;
  state: string | null;
  do_date: number | null;
  late_on: number | null;
  attention: string | null;
  project: string | null;
  recurrence: string | null;
  closed_at: number | null;
}

const NODE_COLUMNS = `id, kind, created_at, updated_at, deleted, title, state, do_date, late_on,
  attention, project, recurrence, closed_at`;

/** How many candidates an ambiguous prefix error lists. */
const MAX_MATCHES = 10;

export async function getNode(executor: Executor, id: string): Promise<NodeView | null> {
  const rows = await executor.all<NodeRow>(`SELECT ${NODE_COLUMNS} FROM nodes WHERE id = ?`, [id]);
  const [view] = await toViews(executor, rows);
  return view ?? null;
}

export async function listTasks(executor: Executor, filter: TaskFilter = {}): Promise<NodeView[]> {
  const where = ["kind = 'task'"];
  const params: SqlValue[] = [];
  if (!filter.includeDeleted) where.push('deleted = 0');
  if (filter.state) {
    where.push('state = ?');
    params.push(filter.state);
  }
  if (filter.project === null) where.push('project IS NULL');
  if (typeof filter.project === 'string') {
    where.push('project = ?');
    params.push(filter.project);
  }
  if (filter.tag !== undefined) {
    where.push(
      'EXISTS (SELECT 1 FROM tags WHERE tags.node = nodes.id AND tag = ? AND present = 1)',
    );
    params.push(filter.tag);
  }
  if (filter.dueBefore !== undefined) {
    where.push('(do_date <= ? OR late_on <= ?)');
    params.push(filter.dueBefore, filter.dueBefore);
  }
  const limit =
    filter.limit === undefined ? '' : ` LIMIT ${clampLimit(filter.limit, -1, 1_000_000, 0)}`;
  const sql = `SELECT ${NODE_COLUMNS} FROM nodes WHERE ${where.join(' AND ')}
    ORDER BY created_at, id${limit}`;
  return toViews(executor, await executor.all<NodeRow>(sql, params));
}

export async function listProjects(executor: Executor): Promise<NodeView[]> {
  const rows = await executor.all<NodeRow>(
    `SELECT ${NODE_COLUMNS} FROM nodes WHERE kind = 'project' AND deleted = 0 ORDER BY title, id`,
  );
  return toViews(executor, rows);
}

export async function getLog(executor: Executor, node: string): Promise<LogEntry[]> {
  const rows = await executor.all<{ clock: string; text: string }>(
    'SELECT clock, text FROM log_entries WHERE node = ? ORDER BY clock',
    [node],
  );
  return rows.map(({ clock, text }) => ({
    clock,
    origin: clock.slice(18),
    at: Number.parseInt(clock.slice(0, 12), 16),
    text,
  }));
}

export async function getLinks(
  executor: Executor,
  node: string,
): Promise<{ outgoing: string[]; incoming: string[] }> {
  const outgoing = await executor.all<{ id: string }>(
    'SELECT target AS id FROM links WHERE source = ? AND present = 1 ORDER BY target',
    [node],
  );
  const incoming = await executor.all<{ id: string }>(
    'SELECT source AS id FROM links WHERE target = ? AND present = 1 ORDER BY source',
    [node],
  );
  return { outgoing: outgoing.map((row) => row.id), incoming: incoming.map((row) => row.id) };
}

/** [ID-2] A full id or a unique prefix of one, in any case. */
export async function resolveId(executor: Executor, prefix: string): Promise<string> {
  const normalized = normalizeIdPrefix(prefix);
  if (normalized === null) {
    throw new OplogError('not_found', `no node matches ${JSON.stringify(prefix)}`, { prefix });
  }

  const rows = await executor.all<{ id: string }>(
    `SELECT id FROM nodes WHERE id >= ? AND id < ? ORDER BY id LIMIT ${MAX_MATCHES + 1}`,
    [normalized, `${normalized}\u{7f}`],
  );
  if (rows.length === 0) {
    throw new OplogError('not_found', `no node matches ${JSON.stringify(prefix)}`, { prefix });
  }
  const exact = rows.find((row) => row.id === normalized);
  if (exact) return exact.id;
  if (rows.length > 1) {
    const matches = rows.slice(0, MAX_MATCHES).map((row) => row.id);
    throw new OplogError('ambiguous_prefix', `${JSON.stringify(prefix)} matches several nodes`, {
      prefix,
      matches,
    });
  }
  return (rows[0] as { id: string }).id;
}

/** Ids per IN (...) list: well under SQLite's parameter limit, few statements per list. */
const VIEW_CHUNK = 500;

/**
 * Tags and fields for many rows in two statements per 500 nodes rather
 * than two per node: a list of 10,000 tasks in a browser worker otherwise
 * costs 20,000 round trips through wa-sqlite.
 */
async function toViews(executor: Executor, rows: NodeRow[]): Promise<NodeView[]> {
  if (rows.length === 1) return [await toView(executor, rows[0] as NodeRow)];
  const tags = new Map<string, string[]>();
  const fields = new Map<string, Record<string, FieldValue>>();
  for (let start = 0; start < rows.length; start += VIEW_CHUNK) {
    const ids = rows.slice(start, start + VIEW_CHUNK).map((row) => row.id);
    const marks = ids.map(() => '?').join(', ');
    const tagRows = await executor.all<{ node: string; tag: string }>(
      `SELECT node, tag FROM tags WHERE present = 1 AND node IN (${marks}) ORDER BY node, tag`,
      ids,
    );
    for (const row of tagRows) tags.set(row.node, [...(tags.get(row.node) ?? []), row.tag]);
    const fieldRows = await executor.all<{ node: string; field: string; value: string }>(
      `SELECT node, field, value FROM fields WHERE node IN (${marks})`,
      ids,
    );
    for (const row of fieldRows) {
      const record = fields.get(row.node) ?? {};
      record[row.field] = JSON.parse(row.value) as FieldValue;
      fields.set(row.node, record);
    }
  }
  return rows.map((row) => rowToView(row, tags.get(row.id) ?? [], fields.get(row.id) ?? {}));
}

async function toView(executor: Executor, row: NodeRow): Promise<NodeView> {
  const tags = await executor.all<{ tag: string }>(
    'SELECT tag FROM tags WHERE node = ? AND present = 1 ORDER BY tag',
    [row.id],
  );
  return rowToView(
    row,
    tags.map((tag) => tag.tag),
    await readFields(executor, row.id),
  );
}

function rowToView(row: NodeRow, tags: string[], fields: Record<string, FieldValue>): NodeView {
  return {
    id: row.id,
    kind: row.kind as NodeKind,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deleted: row.deleted === 1,
    state: row.state as TaskState | null,
    doDate: row.do_date,
    lateOn: row.late_on,
    attention: row.attention as Attention | null,
    project: row.project,
    recurrence: row.recurrence,
    closedAt: row.closed_at,
    tags,
    fields,
  };
}
