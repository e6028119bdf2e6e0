/**
 * The params of every /rpc method, checked with valibot before a command
 * touches the replica (SPEC.md, TASK-1).
 *
 * One schema per method mirrors RpcParams in protocol.ts. Objects are strict:
 * a misspelt key ("do_date" for "doDate") is refused by name instead of being
 * ignored. A failure becomes OplogError 'invalid_value' carrying the dotted
 * path of the first bad field and the value found there.
 */
import * as v from 'valibot';
import { OplogError } from '../errors.ts';
import type { RpcMethod, RpcParams } from '../protocol.ts';
import { LIMITS } from '../validate.ts';

/** Most items a list method returns in one call. */
export const MAX_LIST_LIMIT = 1_000;

const text = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'));
const anyText = v.string();
/** Titles, and the quick-add line a title comes from, are held to the op-log's title limit. */
const title = v.pipe(text, v.maxLength(LIMITS.titleChars));
const quickAddText = v.pipe(anyText, v.maxLength(LIMITS.titleChars));
const tag = v.pipe(text, v.maxLength(LIMITS.tagChars));
const id = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'));
const dateInput = v.union([v.pipe(v.number(), v.finite()), text], 'must be date text or epoch ms');
const limit = v.optional(
  v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_LIST_LIMIT)),
);

const taskFields = {
  title: v.optional(title),
  project: v.optional(title),
  doDate: v.optional(dateInput),
  lateOn: v.optional(dateInput),
  attention: v.optional(v.picklist(['red', 'orange', 'white', 'blue', 'none'])),
  recurrence: v.optional(text),
  tags: v.optional(v.array(tag)),
};

const idOnly = v.strictObject({ id });
const idAndText = v.strictObject({ id, text: anyText });
const idAndTag = v.strictObject({ id, tag });
const link = v.strictObject({ from: id, to: id });

const SCHEMAS = {
  'task.create': v.pipe(
    v.strictObject({ text: v.optional(quickAddText), ...taskFields }),
    v.check(
      (input) => input.text !== undefined || input.title !== undefined,
      'needs text or title',
    ),
  ),
  'task.list': v.strictObject({
    project: v.optional(text),
    state: v.optional(v.picklist(['outstanding', 'done', 'dropped'])),
    tag: v.optional(text),
    due: v.optional(v.boolean()),
    limit,
  }),
  'task.next': v.strictObject({ limit }),
  'task.done': idOnly,
  'task.drop': idOnly,
  'task.skip': idOnly,
  'task.edit': v.strictObject({ id, ...taskFields }),
  'task.reopen': idOnly,
  'node.show': idOnly,
  'context.get': idOnly,
  'context.set': idAndText,
  'context.append': idAndText,
  'log.append': v.strictObject({ id, text }),
  'log.list': idOnly,
  'project.list': v.strictObject({}),
  'project.create': v.strictObject({ title }),
  'tag.add': idAndTag,
  'tag.remove': idAndTag,
  'link.add': link,
  'link.remove': link,
  search: v.strictObject({ query: anyText, limit }),
} satisfies Record<RpcMethod, v.GenericSchema>;

/** The checked params of `method`; missing params count as `{}`. */
export function parseParams<M extends RpcMethod>(method: M, params: unknown): RpcParams[M] {
  const result = v.safeParse(SCHEMAS[method], params ?? {});
  if (result.success) return result.output as RpcParams[M];

  const [issue] = result.issues;
  const field =
    (issue && v.getDotPath(issue)) ?? (isTaskCreateGap(method, issue) ? 'title' : 'params');
  const message = issue?.type === 'strict_object' ? 'unknown field' : (issue?.message ?? 'invalid');
  throw new OplogError('invalid_value', `${method}: ${field}: ${message}`, {
    field,
    value: issue?.input,
  });
}

function isTaskCreateGap(method: RpcMethod, issue: v.BaseIssue<unknown> | undefined): boolean {
  return method === 'task.create' && issue?.type === 'check';
}
