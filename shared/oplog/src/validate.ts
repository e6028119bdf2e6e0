/**
 * Validation of ops from outside (SPEC.md OP-*): every op of a batch is
 * checked before any is applied, so one bad op rejects the whole batch.
 *
 * The envelope (v, clock, node, kind) is checked for every op. Known kinds
 * are then checked in full; an unknown kind with a valid envelope passes
 * through untouched (OP-6), and so do extra properties on known kinds, so a
 * newer replica's data survives a trip through an older one.
 */
import * as v from 'valibot';
import { isTimestampString } from './clock.ts';
import { OplogError } from './errors.ts';
import { NODE_ID_PATTERN } from './ids.ts';
import type { Op } from './op.ts';

/** [OP-3] Size limits. */
export const LIMITS = {
  textBytes: 1024 * 1024,
  titleChars: 2000,
  tagChars: 100,
  fieldNameChars: 64,
  fieldsPerCreate: 64,
} as const;

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const KIND_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;

const nodeId = v.pipe(v.string(), v.regex(NODE_ID_PATTERN, 'not a ULID'));
const clock = v.pipe(v.string(), v.check(isTimestampString, 'not a clock value'));
const text = v.pipe(
  v.string(),
  v.check(fitsTextLimit, `text longer than ${LIMITS.textBytes} bytes`),
);
const fieldName = v.pipe(
  v.string(),
  v.maxLength(LIMITS.fieldNameChars),
  v.regex(NAME_PATTERN, 'not a field name'),
);
const fieldValue = v.nullable(
  v.union([text, v.pipe(v.number(), v.finite()), v.boolean()], 'not a field value'),
);
const tag = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(LIMITS.tagChars),
  v.check((value) => value.trim() === value, 'tag has surrounding space'),
);

const ENVELOPE = {
  v: v.pipe(v.number(), v.integer(), v.minValue(1)),
  clock,
  node: nodeId,
  kind: v.pipe(v.string(), v.regex(KIND_PATTERN, 'not an op kind')),
};
const envelope = v.looseObject(ENVELOPE);

const BODY_ENTRIES = {
  'node.create': {
    nodeKind: v.pipe(v.string(), v.regex(KIND_PATTERN, 'not a node kind')),
    fields: v.pipe(
      v.record(fieldName, fieldValue),
      v.check((fields) => Object.keys(fields).length <= LIMITS.fieldsPerCreate, 'too many fields'),
      v.check((fields) => titleFits(fields.title), 'title too long'),
    ),
  },
  'node.delete': {},
  'node.undelete': {},
  'tag.add': { tag },
  'tag.remove': { tag },
  'link.add': { target: nodeId },
  'link.remove': { target: nodeId },
  'log.append': { text },
  'context.set': { text },
  'context.append': { text },
  'occurrence.close': {
    occurrence: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
    outcome: v.picklist(['done', 'skipped']),
  },
};

const fieldSet = v.pipe(
  v.looseObject({ ...ENVELOPE, field: fieldName, value: fieldValue, prev: v.optional(clock) }),
  v.check((op) => op.field !== 'title' || titleFits(op.value), 'title too long'),
);

/** One schema per known kind: the envelope and the body checked in one pass. */
const KNOWN: Record<string, v.GenericSchema> = {
  ...Object.fromEntries(
    Object.entries(BODY_ENTRIES).map(([kind, body]) => [
      kind,
      v.looseObject({ ...ENVELOPE, ...body }),
    ]),
  ),
  'field.set': fieldSet,
};

/** Returns the ops typed, or throws OplogError 'invalid_op' naming the first bad one. */
export function validateOps(ops: readonly unknown[]): Op[] {
  if (!Array.isArray(ops)) throw invalid('ops is not an array', { index: -1, field: '' });
  for (let index = 0; index < ops.length; index += 1) validateOp(ops[index], index);
  return ops as Op[];
}

function validateOp(op: unknown, index: number): void {
  const kind = typeof op === 'object' && op !== null ? (op as { kind?: unknown }).kind : undefined;
  const schema =
    (typeof kind === 'string' && Object.hasOwn(KNOWN, kind) && KNOWN[kind]) || envelope;
  const result = v.safeParse(schema, op, PARSE_CONFIG);
  if (!result.success) throw fromIssues(result.issues, index, op);
}

const PARSE_CONFIG = { abortEarly: true } as const;

function fromIssues(issues: v.BaseIssue<unknown>[], index: number, op: unknown): OplogError {
  const issue = issues[0];
  const field = issue ? (v.getDotPath(issue) ?? '') : '';
  const clockValue =
    typeof op === 'object' && op !== null && typeof (op as { clock?: unknown }).clock === 'string'
      ? (op as { clock: string }).clock
      : undefined;
  const message = `op ${index}: ${field || 'op'}: ${issue?.message ?? 'invalid'}`;
  return invalid(message, { index, clock: clockValue, field });
}

function invalid(message: string, data: Record<string, unknown>): OplogError {
  return new OplogError('invalid_op', message, data);
}

function titleFits(value: unknown): boolean {
  return typeof value !== 'string' || value.length <= LIMITS.titleChars;
}

function fitsTextLimit(value: string): boolean {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so short strings need no encoding.
  if (value.length * 3 <= LIMITS.textBytes) return true;
  if (value.length > LIMITS.textBytes) return false;
  return new TextEncoder().encode(value).length <= LIMITS.textBytes;
}
