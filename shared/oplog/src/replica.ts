/**
 * A replica: one SQLite store holding the op-log and the state materialized
 * from it. The hub, every browser and every test run exactly this code.
 *
 * CONTRACT (shared by hub, web and cli; the implementation lives in
 * replica-impl.ts and its helpers). Keep these signatures stable: other
 * packages are written against them.
 */
import type { Executor } from './executor.ts';
import type { FieldValue, NodeKind, Op } from './op.ts';

export interface ReplicaOptions {
  executor: Executor;
  /** Physical time in epoch ms. Injected so tests control it. */
  now: () => number;
  /** Random bytes (origins, ULIDs). Injected so tests can seed it. */
  randomBytes: (length: number) => Uint8Array;
}

/** An op before it is stamped: everything but `v` and `clock`. */
export type OpDraft = Op extends infer O ? (O extends Op ? Omit<O, 'v' | 'clock'> : never) : never;

export interface ApplyResult {
  /** Ops that were new to this replica (duplicates are not counted). */
  inserted: number;
  /** Node ids whose materialized state may have changed. */
  changedNodes: string[];
}

/** An op as stored, with the replica's local sequence number (the hub's cursor space). */
export interface StoredOp {
  seq: number;
  op: Op;
}

export interface Page<T> {
  items: T[];
  /** Pass back to continue after the last item; equal to the input when nothing followed. */
  cursor: number;
  /** True when more items follow `cursor`. */
  more: boolean;
}

export type TaskState = 'outstanding' | 'done' | 'dropped';
export type Attention = 'red' | 'orange' | 'white' | 'blue';

export interface NodeView {
  id: string;
  kind: NodeKind;
  title: string;
  createdAt: number;
  updatedAt: number;
  deleted: boolean;
  /** Tasks only; null for other kinds or when unset. */
  state: TaskState | null;
  doDate: number | null;
  lateOn: number | null;
  attention: Attention | null;
  /** Project node id. */
  project: string | null;
  recurrence: string | null;
  closedAt: number | null;
  tags: string[];
  /** Every field as stored, known or not (for passthrough and debugging). */
  fields: Record<string, FieldValue>;
}

export interface TaskFilter {
  project?: string | null;
  state?: TaskState;
  tag?: string;
  /** Only tasks whose do date or late-on date is on or before this time. */
  dueBefore?: number;
  includeDeleted?: boolean;
  limit?: number;
}

export interface FieldHistoryEntry {
  value: FieldValue;
  clock: string;
  origin: string;
  /** True for the value currently in effect. */
  winner: boolean;
  /** True when this write was concurrent with the winner (neither saw the other). */
  concurrent: boolean;
}

export interface LogEntry {
  clock: string;
  origin: string;
  at: number;
  text: string;
}

export interface SearchHit {
  node: string;
  /** Where the match is: 'title', 'context' or 'log'. */
  source: 'title' | 'context' | 'log';
  /** The matched text with matches wrapped in \u0002 … \u0003 marks. */
  snippet: string;
}

export interface Replica {
  readonly origin: string;
  /** The owner this store belongs to; adopted from the hub on first sync. */
  readonly ownerId: string;

  /** Stamps drafts with fresh clocks, applies them and marks them pending for push. */
  commit(drafts: readonly OpDraft[]): Promise<Op[]>;
  /** Applies ops from elsewhere: atomic, idempotent, order-independent. Validates first. */
  apply(ops: readonly unknown[]): Promise<ApplyResult>;

  /** Local ops the hub has not acknowledged yet, oldest first. */
  pendingOps(limit: number): Promise<Op[]>;
  pendingCount(): Promise<number>;
  /** Marks ops acknowledged by the hub. */
  markPushed(clocks: readonly string[]): Promise<void>;
  /**
   * Marks every op of this origin pending again (hub reset, SPEC.md SYNC-*).
   * With `allOrigins`, every stored op, whatever its origin: after a hub
   * restore the spokes may hold the only copies of ops the hub itself wrote
   * (SCHEMA-4, SIM-9).
   */
  markAllPending(options?: { allOrigins?: boolean }): Promise<void>;

  /** Stored ops after `cursor` in sequence order (the hub's pull). */
  opsAfter(
    cursor: number,
    options: { limit: number; excludeOrigin?: string },
  ): Promise<Page<StoredOp>>;
  /** Highest sequence number stored (0 when empty). */
  lastSeq(): Promise<number>;

  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
  /** Replaces the owner id (first sync into a fresh replica adopts the hub's). */
  adoptOwner(ownerId: string): Promise<void>;

  getNode(id: string): Promise<NodeView | null>;
  /** Resolves a full id or unique prefix; throws OplogError 'not_found' or 'ambiguous_prefix'. */
  resolveId(prefix: string): Promise<string>;
  listTasks(filter?: TaskFilter): Promise<NodeView[]>;
  listProjects(): Promise<NodeView[]>;
  getContext(id: string): Promise<string>;
  getLog(id: string): Promise<LogEntry[]>;
  links(id: string): Promise<{ outgoing: string[]; incoming: string[] }>;
  fieldHistory(id: string, field: string): Promise<FieldHistoryEntry[]>;
  /** Full-text search; punctuation never raises a syntax error. */
  search(query: string, limit?: number): Promise<SearchHit[]>;

  close(): Promise<void>;
}
