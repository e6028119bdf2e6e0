/**
 * The op: the one unit of change every replica records, sends and merges.
 *
 * An op is immutable once made. Its `clock` (see clock.ts) is also its
 * identity: no two ops share one, because each origin's clock only moves
 * forward. Replicas exchange ops as plain JSON objects of this shape.
 */

/** Bumped when the op's wire shape changes incompatibly (SPEC.md, OP-1). */
export const OP_FORMAT_VERSION = 1;

export const NODE_KINDS = ['task', 'project', 'note'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** A field's value. `null` clears the field. */
export type FieldValue = string | number | boolean | null;

interface OpBase {
  /** Format version of this op (OP_FORMAT_VERSION when made here). */
  v: number;
  /** Timestamp string; carries the origin. */
  clock: string;
  /** ULID of the node the op is about. */
  node: string;
}

export interface CreateNodeOp extends OpBase {
  kind: 'node.create';
  nodeKind: NodeKind;
  /** Initial fields, each stamped with this op's clock. */
  fields: Record<string, FieldValue>;
}

export interface SetFieldOp extends OpBase {
  kind: 'field.set';
  field: string;
  value: FieldValue;
  /**
   * The clock of the value its writer saw in effect, when there was one;
   * commit() fills it in. Used only to tell concurrent writes apart in a
   * field's history (SPEC.md MERGE-10).
   */
  prev?: string;
}

export interface DeleteNodeOp extends OpBase {
  kind: 'node.delete' | 'node.undelete';
}

export interface TagOp extends OpBase {
  kind: 'tag.add' | 'tag.remove';
  tag: string;
}

export interface LinkOp extends OpBase {
  kind: 'link.add' | 'link.remove';
  /** ULID of the node linked to; `node` is the node linked from. */
  target: string;
}

export interface LogAppendOp extends OpBase {
  kind: 'log.append';
  text: string;
}

export interface ContextOp extends OpBase {
  kind: 'context.set' | 'context.append';
  text: string;
}

/**
 * Closes one occurrence of a recurring task (done or skipped). Keyed by the
 * occurrence's own date, so two replicas closing the same occurrence while
 * apart record one closing, not two (SPEC.md, REC-*).
 */
export interface CloseOccurrenceOp extends OpBase {
  kind: 'occurrence.close';
  /** Epoch ms of the occurrence's do date. */
  occurrence: number;
  outcome: 'done' | 'skipped';
}

export type KnownOp =
  | CreateNodeOp
  | SetFieldOp
  | DeleteNodeOp
  | TagOp
  | LinkOp
  | LogAppendOp
  | ContextOp
  | CloseOccurrenceOp;

export type OpKind = KnownOp['kind'];

/**
 * An op of a kind this version does not know. It is stored and passed on
 * unchanged, never dropped, so an older replica does not destroy a newer
 * one's data (SPEC.md, MERGE-*).
 */
export interface UnknownOp extends OpBase {
  kind: string;
  [extra: string]: unknown;
}

export type Op = KnownOp | UnknownOp;
