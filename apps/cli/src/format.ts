/**
 * Text output for people at a terminal. Scripts use `--json`, which prints the
 * hub's result unchanged; this module only has to read well: aligned columns,
 * ids cut to the shortest prefix that still tells the listed nodes apart,
 * dates in the local time zone.
 */
import type { LogEntry, NodeView, SearchHit } from '@heph/oplog';

/**
 * ULIDs start with 10 characters of timestamp, so tasks made in the same
 * second share their first 8. Twelve characters reach into the random part.
 */
const MIN_ID_PREFIX = 12;

const SNIPPET_OPEN = '\u0002';
const SNIPPET_CLOSE = '\u0003';

/** The shortest prefix length, at least MIN_ID_PREFIX, that keeps every id distinct. */
export function shortIdLength(ids: readonly string[]): number {
  let length = MIN_ID_PREFIX;
  const longest = Math.max(0, ...ids.map((id) => id.length));
  while (length < longest && new Set(ids.map((id) => id.slice(0, length))).size < ids.length) {
    length += 1;
  }
  return length;
}

/** "2026-12-24" at local midnight, else "2026-12-24 09:30". */
export function formatDate(millis: number | null): string {
  if (millis === null) return '-';
  const date = new Date(millis);
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  if (date.getHours() === 0 && date.getMinutes() === 0) return day;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function formatTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/**
 * One row per task: id, attention, dates, title with its tags; a state column
 * when states are mixed, a project column when any task has a project.
 */
export function formatTaskList(
  tasks: readonly NodeView[],
  now: number,
  projectTitles: ReadonlyMap<string, string> = new Map(),
): string {
  if (tasks.length === 0) return 'No tasks.';

  const idLength = shortIdLength(tasks.map((task) => task.id));
  const showState = tasks.some((task) => task.state !== 'outstanding');
  const showProject = tasks.some((task) => task.project !== null);
  const header = [
    'ID',
    'ATTN',
    ...(showState ? ['STATE'] : []),
    'DO',
    'LATE ON',
    ...(showProject ? ['PROJECT'] : []),
    'TITLE',
  ];
  const rows = tasks.map((task) => [
    task.id.slice(0, idLength),
    task.attention ?? '-',
    ...(showState ? [task.state ?? '-'] : []),
    formatDate(task.doDate),
    lateCell(task, now),
    ...(showProject ? [projectName(task.project, projectTitles)] : []),
    titleWithTags(task),
  ]);
  return formatTable(header, rows);
}

export function formatProjectList(projects: readonly NodeView[]): string {
  if (projects.length === 0) return 'No projects.';

  const idLength = shortIdLength(projects.map((project) => project.id));
  const rows = projects.map((project) => [project.id.slice(0, idLength), project.title]);
  return formatTable(['ID', 'TITLE'], rows);
}

export interface ShownNode {
  node: NodeView;
  context?: string;
  log?: LogEntry[];
  links?: { outgoing?: string[]; incoming?: string[] };
  /** The project's title, looked up by the caller, shown beside its id. */
  projectTitle?: string | null;
}

export function formatNode(shown: ShownNode, now: number): string {
  const { node } = shown;
  const fields: [string, string][] = [
    ['id', node.id],
    ['kind', node.kind],
    ['title', node.title],
  ];
  if (node.kind === 'task') {
    fields.push(
      ['state', node.state ?? '-'],
      ['attention', node.attention ?? '-'],
      ['do date', formatDate(node.doDate)],
      ['late on', lateCell(node, now)],
      ['recurrence', node.recurrence ?? '-'],
    );
  }
  fields.push(
    ['project', projectCell(node.project, shown.projectTitle ?? null)],
    ['tags', node.tags.length > 0 ? node.tags.map((tag) => `@${tag}`).join(' ') : '-'],
    ['created', formatDate(node.createdAt)],
    ['updated', formatDate(node.updatedAt)],
  );
  if (node.closedAt !== null) fields.push(['closed', formatDate(node.closedAt)]);
  if (node.deleted) fields.push(['deleted', 'yes']);

  const width = Math.max(...fields.map(([name]) => name.length));
  const sections = [
    fields.map(([name, value]) => `${`${name}:`.padEnd(width + 1)}  ${value}`).join('\n'),
  ];

  const outgoing = shown.links?.outgoing ?? [];
  const incoming = shown.links?.incoming ?? [];
  if (outgoing.length + incoming.length > 0) {
    const lines = [...outgoing.map((id) => `  -> ${id}`), ...incoming.map((id) => `  <- ${id}`)];
    sections.push(`links:\n${lines.join('\n')}`);
  }
  if (shown.context) sections.push(`context:\n${indent(shown.context)}`);
  if (shown.log && shown.log.length > 0) sections.push(`log:\n${indent(formatLog(shown.log))}`);
  return sections.join('\n\n');
}

export function formatLog(entries: readonly LogEntry[]): string {
  if (entries.length === 0) return 'No log entries.';
  return entries.map((entry) => `${formatDate(entry.at).padEnd(16)}  ${entry.text}`).join('\n');
}

export function formatHits(hits: readonly SearchHit[]): string {
  if (hits.length === 0) return 'No matches.';

  const idLength = shortIdLength(hits.map((hit) => hit.node));
  const rows = hits.map((hit) => [
    hit.node.slice(0, idLength),
    hit.source,
    renderSnippet(hit.snippet),
  ]);
  return formatTable(['ID', 'IN', 'MATCH'], rows);
}

/** Shows the hub's match marks as brackets, and keeps the snippet on one line. */
export function renderSnippet(snippet: string): string {
  return snippet
    .replaceAll(SNIPPET_OPEN, '[')
    .replaceAll(SNIPPET_CLOSE, ']')
    .replace(/\s+/g, ' ')
    .trim();
}

function projectName(project: string | null, titles: ReadonlyMap<string, string>): string {
  if (project === null) return '-';
  return titles.get(project) ?? project.slice(0, MIN_ID_PREFIX);
}

function projectCell(project: string | null, title: string | null): string {
  if (project === null) return '-';
  return title === null ? project : `${title} (${project})`;
}

function lateCell(task: NodeView, now: number): string {
  const text = formatDate(task.lateOn);
  const overdue = task.lateOn !== null && task.lateOn <= now && task.state === 'outstanding';
  return overdue ? `${text} (late)` : text;
}

function titleWithTags(node: NodeView): string {
  if (node.tags.length === 0) return node.title;
  return `${node.title} ${node.tags.map((tag) => `@${tag}`).join(' ')}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
