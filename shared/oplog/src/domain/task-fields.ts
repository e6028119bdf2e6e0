/**
 * Task fields as commands receive them (TaskFieldsInput in protocol.ts) turned
 * into the field values ops carry (fields.ts names them). The word `none`
 * clears a field ([TASK-3]); dates go through parseDateInput and rules through
 * parseRecurrence, so a bad value fails before any op is written.
 */
import { OplogError } from '../errors.ts';
import { TASK_FIELDS } from '../fields.ts';
import type { FieldValue } from '../op.ts';
import type { TaskFieldsInput } from '../protocol.ts';
import type { OpDraft } from '../replica.ts';
import type { CommandContext } from './context.ts';
import { parseDateInput } from './date-text.ts';
import { chooseProject } from './projects.ts';
import { parseRecurrence } from './recurrence.ts';

/** The value that clears a field in task.edit (and overrides quick-add in task.create). */
export const NONE = 'none';

export interface FieldChanges {
  /** Field name (fields.ts) to value; null clears. Only fields the input named. */
  fields: Record<string, FieldValue>;
  /** Ops that must come first (a project created by title). */
  drafts: OpDraft[];
}

export async function fieldChanges(
  ctx: CommandContext,
  input: TaskFieldsInput,
): Promise<FieldChanges> {
  const changes: FieldChanges = { fields: {}, drafts: [] };
  const set = (field: string, value: FieldValue) => {
    changes.fields[field] = value;
  };

  if (input.title !== undefined) set(TASK_FIELDS.title, titleValue(input.title));
  if (input.doDate !== undefined) set(TASK_FIELDS.doDate, dateValue(ctx, input.doDate, 'doDate'));
  if (input.lateOn !== undefined) set(TASK_FIELDS.lateOn, dateValue(ctx, input.lateOn, 'lateOn'));
  if (input.attention !== undefined) set(TASK_FIELDS.attention, orNull(input.attention));
  if (input.recurrence !== undefined)
    set(TASK_FIELDS.recurrence, recurrenceValue(input.recurrence));
  if (input.project !== undefined && isNone(input.project)) set(TASK_FIELDS.project, null);
  if (input.project !== undefined && !isNone(input.project)) {
    const project = await chooseProject(ctx, input.project);
    set(TASK_FIELDS.project, project.id);
    changes.drafts.push(...project.drafts);
  }
  return changes;
}

/** [TASK-6] Tags are stored without a leading `@`, in lower case. */
export function normalizeTag(tag: string): string {
  const name = tag.trim().replace(/^@/, '').toLowerCase();
  if (name === '' || /\s/.test(name)) {
    throw new OplogError('invalid_value', `not a tag: ${JSON.stringify(tag)}`, {
      field: 'tag',
      value: tag,
    });
  }
  return name;
}

export function isNone(value: unknown): boolean {
  return typeof value === 'string' && value.trim().toLowerCase() === NONE;
}

function titleValue(title: string): string {
  if (isNone(title) || title.trim() === '') {
    throw new OplogError('invalid_value', 'a task always has a title', {
      field: 'title',
      value: title,
    });
  }
  return title.trim();
}

function dateValue(ctx: CommandContext, input: string | number, field: string): number | null {
  if (isNone(input)) return null;
  return parseDateInput(input, { now: ctx.now(), timeZone: ctx.timeZone, field });
}

function recurrenceValue(input: string): string | null {
  return isNone(input) ? null : parseRecurrence(input);
}

function orNull(value: string): string | null {
  return isNone(value) ? null : value;
}
