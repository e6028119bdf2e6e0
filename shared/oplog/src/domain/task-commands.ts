/**
 * The task.* commands (SPEC.md, TASK-*, REC-*). Each reads what it needs
 * through the Replica interface, builds op drafts, and commits them in one
 * batch, so a command is all-or-nothing on every surface.
 */
import { OplogError } from '../errors.ts';
import { TASK_FIELDS } from '../fields.ts';
import type { FieldValue } from '../op.ts';
import type { RpcParams, TaskFieldsInput } from '../protocol.ts';
import type { NodeView, OpDraft, TaskFilter } from '../replica.ts';
import type { CommandContext } from './context.ts';
import { findProject } from './projects.ts';
import { parseQuickAdd, type QuickAdd } from './quick-add.ts';
import { rankNext } from './ranking.ts';
import { firstOccurrence } from './recurrence.ts';
import { fieldChanges, isNone, normalizeTag } from './task-fields.ts';
import { startOfDay } from './wall-clock.ts';

/** How many tasks task.next returns when no limit is given. */
export const DEFAULT_NEXT_LIMIT = 50;

/** [TASK-2] Quick-add text first, then explicit fields over it. */
export async function createTask(
  ctx: CommandContext,
  params: RpcParams['task.create'],
): Promise<{ node_id: string }> {
  const { text, ...explicit } = params as TaskFieldsInput & { text?: string };
  const quick = text === undefined ? null : parseQuickAdd(text, dateOptions(ctx));
  const input: TaskFieldsInput = { ...quickAddInput(quick), ...definedOnly(explicit) };
  if (input.title === undefined) throw noTitle(text);

  const changes = await fieldChanges(ctx, input);
  const fields = withoutNulls(changes.fields);
  fields[TASK_FIELDS.state] = 'outstanding';
  fields[TASK_FIELDS.timezone] = ctx.timeZone;
  fillFirstOccurrence(ctx, fields);

  const id = ctx.newId();
  const tags = uniqueTags(input.tags ?? []);
  await ctx.replica.commit([
    ...changes.drafts,
    { kind: 'node.create', node: id, nodeKind: 'task', fields },
    ...tags.map((tag): OpDraft => ({ kind: 'tag.add', node: id, tag })),
  ]);
  return { node_id: id };
}

/** [TASK-3] Only the named fields change; `none` clears; `tags` replaces the tag set. */
export async function editTask(
  ctx: CommandContext,
  params: RpcParams['task.edit'],
): Promise<{ node: NodeView }> {
  const { id: idText, tags, ...input } = params;
  const task = await requireTask(ctx, idText);
  const changes = await fieldChanges(ctx, input);

  const fields = changes.fields;
  if (fields[TASK_FIELDS.doDate] === undefined && task.doDate === null) {
    fillFirstOccurrence(ctx, fields);
  }
  const drafts: OpDraft[] = [...changes.drafts];
  for (const [field, value] of Object.entries(fields)) {
    if (task.fields[field] === value) continue;
    drafts.push({ kind: 'field.set', node: task.id, field, value });
  }
  if (tags !== undefined) drafts.push(...tagChanges(task, uniqueTags(tags)));

  return commitAndShow(ctx, task.id, drafts);
}

/**
 * [TASK-5] done: a plain task becomes done with its closing time. [REC-1] A
 * recurring task closes its current occurrence instead; the materializer
 * moves the do date to the next one.
 */
export async function completeTask(
  ctx: CommandContext,
  params: RpcParams['task.done'],
): Promise<{ node: NodeView }> {
  const task = await requireTask(ctx, params.id);
  if (task.state === 'done') return { node: task };
  requireOutstanding(task);

  if (isRecurring(task)) return closeOccurrence(ctx, task, 'done');
  return commitAndShow(ctx, task.id, closeDrafts(ctx, task, 'done'));
}

/** [REC-2] skip closes the current occurrence without completing it; a plain task cannot skip. */
export async function skipTask(
  ctx: CommandContext,
  params: RpcParams['task.skip'],
): Promise<{ node: NodeView }> {
  const task = await requireTask(ctx, params.id);
  requireOutstanding(task);
  if (!isRecurring(task)) {
    throw new OplogError('invalid_value', 'only a recurring task can be skipped', {
      field: 'recurrence',
      value: task.recurrence,
    });
  }
  return closeOccurrence(ctx, task, 'skipped');
}

/** [TASK-5] drop ends the task, recurring or not: the whole series stops. */
export async function dropTask(
  ctx: CommandContext,
  params: RpcParams['task.drop'],
): Promise<{ node: NodeView }> {
  const task = await requireTask(ctx, params.id);
  if (task.state === 'dropped') return { node: task };
  requireOutstanding(task);
  return commitAndShow(ctx, task.id, closeDrafts(ctx, task, 'dropped'));
}

/**
 * [TASK-9] reopen takes a done or dropped task back to outstanding and clears
 * closedAt: the undo of done and drop, written as new ops so every replica
 * sees it. An outstanding task writes nothing.
 */
export async function reopenTask(
  ctx: CommandContext,
  params: RpcParams['task.reopen'],
): Promise<{ node: NodeView }> {
  const task = await requireTask(ctx, params.id);
  if (task.state === 'outstanding') return { node: task };
  return commitAndShow(ctx, task.id, [
    { kind: 'field.set', node: task.id, field: TASK_FIELDS.state, value: 'outstanding' },
    { kind: 'field.set', node: task.id, field: TASK_FIELDS.closedAt, value: null },
  ]);
}

/** [TASK-7] Outstanding tasks unless a state is given; `due` means do date or late-on reached. */
export async function listTasks(
  ctx: CommandContext,
  params: RpcParams['task.list'],
): Promise<{ tasks: NodeView[] }> {
  const filter: TaskFilter = { state: params.state ?? 'outstanding' };
  if (params.project !== undefined) filter.project = await projectFilter(ctx, params.project);
  if (params.tag !== undefined) filter.tag = normalizeTag(params.tag);
  if (params.due) filter.dueBefore = ctx.now();
  if (params.limit !== undefined) filter.limit = params.limit;
  return { tasks: await ctx.replica.listTasks(filter) };
}

export async function nextTasks(
  ctx: CommandContext,
  params: RpcParams['task.next'],
): Promise<{ tasks: NodeView[] }> {
  const outstanding = await ctx.replica.listTasks({ state: 'outstanding' });
  const ranked = rankNext(outstanding, ctx.now());
  return { tasks: ranked.slice(0, params.limit ?? DEFAULT_NEXT_LIMIT) };
}

export async function requireTask(ctx: CommandContext, idText: string): Promise<NodeView> {
  const id = await ctx.replica.resolveId(idText);
  const node = await ctx.replica.getNode(id);
  if (!node) throw new OplogError('not_found', `no node ${id}`, { prefix: idText });
  if (node.kind !== 'task' || node.deleted) {
    throw new OplogError('invalid_value', `${id} is not a task`, { field: 'id', value: idText });
  }
  return node;
}

function isRecurring(task: NodeView): boolean {
  return task.recurrence !== null && task.doDate !== null;
}

function requireOutstanding(task: NodeView): void {
  if (task.state === 'outstanding') return;
  throw new OplogError('invalid_value', `the task is ${task.state}`, {
    field: 'state',
    value: task.state,
  });
}

/** [REC-1] Keyed by the occurrence's do date, so replicas closing it twice close it once. */
async function closeOccurrence(
  ctx: CommandContext,
  task: NodeView,
  outcome: 'done' | 'skipped',
): Promise<{ node: NodeView }> {
  const occurrence = task.doDate as number;
  return commitAndShow(ctx, task.id, [
    { kind: 'occurrence.close', node: task.id, occurrence, outcome },
  ]);
}

function closeDrafts(ctx: CommandContext, task: NodeView, state: 'done' | 'dropped'): OpDraft[] {
  return [
    { kind: 'field.set', node: task.id, field: TASK_FIELDS.state, value: state },
    { kind: 'field.set', node: task.id, field: TASK_FIELDS.closedAt, value: ctx.now() },
  ];
}

/** [REC-5] A recurring task given no do date starts at the rule's first day from today. */
function fillFirstOccurrence(ctx: CommandContext, fields: Record<string, FieldValue>): void {
  const rule = fields[TASK_FIELDS.recurrence];
  if (typeof rule !== 'string' || typeof fields[TASK_FIELDS.doDate] === 'number') return;

  const today = startOfDay(ctx.now(), ctx.timeZone);
  const first = firstOccurrence(rule, today, ctx.timeZone);
  if (first !== null) fields[TASK_FIELDS.doDate] = first;
}

function tagChanges(task: NodeView, wanted: readonly string[]): OpDraft[] {
  const added = wanted.filter((tag) => !task.tags.includes(tag));
  const removed = task.tags.filter((tag) => !wanted.includes(tag));
  return [
    ...added.map((tag): OpDraft => ({ kind: 'tag.add', node: task.id, tag })),
    ...removed.map((tag): OpDraft => ({ kind: 'tag.remove', node: task.id, tag })),
  ];
}

async function commitAndShow(
  ctx: CommandContext,
  id: string,
  drafts: OpDraft[],
): Promise<{ node: NodeView }> {
  if (drafts.length > 0) await ctx.replica.commit(drafts);
  const node = await ctx.replica.getNode(id);
  if (!node) throw new OplogError('not_found', `no node ${id}`, { prefix: id });
  return { node };
}

async function projectFilter(ctx: CommandContext, name: string): Promise<string | null> {
  if (isNone(name)) return null;
  const id = await findProject(ctx, name);
  if (id === null) {
    throw new OplogError('not_found', `no project ${JSON.stringify(name)}`, { prefix: name });
  }
  return id;
}

function quickAddInput(quick: QuickAdd | null): TaskFieldsInput {
  if (!quick) return {};
  return definedOnly({
    title: quick.title === '' ? undefined : quick.title,
    doDate: quick.doDate,
    lateOn: quick.lateOn,
    attention: quick.attention,
    project: quick.project,
    recurrence: quick.recurrence,
    tags: quick.tags.length > 0 ? quick.tags : undefined,
  });
}

function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function withoutNulls(fields: Record<string, FieldValue>): Record<string, FieldValue> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}

function uniqueTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map(normalizeTag))];
}

function dateOptions(ctx: CommandContext): { now: number; timeZone: string } {
  return { now: ctx.now(), timeZone: ctx.timeZone };
}

function noTitle(text: string | undefined): OplogError {
  return new OplogError('invalid_value', 'the task needs a title', { field: 'title', value: text });
}
