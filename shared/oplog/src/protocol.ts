/**
 * The wire protocol between spokes and the hub: `/sync/*` and `/rpc`.
 * SPEC.md (SYNC-*, RPC-*) is the prose version; both sides import these types.
 */
import type { Op } from './op.ts';

/** Bumped when a change to /sync or /rpc would confuse the other side. */
export const PROTOCOL_VERSION = 1;

/** Largest request body the hub reads (413 beyond it). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Most ops in one push, and the most a pull page returns. */
export const MAX_OPS_PER_REQUEST = 5_000;

/** Carried by every /sync response, success or error. */
export interface HubStamp {
  /** Changes when the hub's store is replaced (restored backup): spokes then re-send. */
  hubId: string;
  protocol: number;
  /** The hub's physical clock, epoch ms, so spokes can see their own skew. */
  hubTime: number;
  ownerId: string;
}

export interface PushRequest {
  protocol: number;
  /** The pushing spoke's origin. */
  origin: string;
  ops: Op[];
}

export interface PushResponse extends HubStamp {
  /** Ops new to the hub in this push; repeats are accepted and not counted. */
  inserted: number;
  /** The hub's highest sequence number after the push. */
  lastSeq: number;
}

export interface PullRequest {
  protocol: number;
  origin: string;
  /** Hub sequence number the spoke has pulled through; 0 for none. */
  cursor: number;
  /** The hubId the cursor belongs to, or null on first sync. */
  hubId: string | null;
  limit?: number;
  /** Leave out ops whose origin is the spoke's own (default true). */
  excludeOwn?: boolean;
}

export interface PullResponse extends HubStamp {
  ops: Op[];
  cursor: number;
  more: boolean;
  /**
   * True when the spoke's cursor cannot belong to this hub (its hubId changed
   * or the cursor is past the hub's last op): the spoke marks all its ops
   * pending, re-sends them, and pulls again from 0 (SPEC.md SYNC-*).
   */
  reset: boolean;
}

/** Stable error codes of /sync and /rpc responses. */
export type ErrorCode =
  | 'protocol_mismatch'
  | 'invalid_op'
  | 'invalid_request'
  | 'body_too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'ambiguous_prefix'
  | 'invalid_value'
  | 'internal';

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** For protocol_mismatch: { hubProtocol, clientProtocol, update: 'hub' | 'client' }.
     *  For invalid_op: { index, clock?, field }. */
    data?: Record<string, unknown>;
  };
}

/** JSON-RPC methods served at /rpc. Params and results are in SPEC.md (RPC-*). */
export const RPC_METHODS = [
  'task.create',
  'task.list',
  'task.next',
  'task.done',
  'task.drop',
  'task.skip',
  'task.edit',
  'task.reopen',
  'node.show',
  'context.get',
  'context.set',
  'context.append',
  'log.append',
  'log.list',
  'project.list',
  'project.create',
  'tag.add',
  'tag.remove',
  'link.add',
  'link.remove',
  'search',
] as const;
export type RpcMethod = (typeof RPC_METHODS)[number];

/** JSON-RPC error codes: the standard ones, then heph's (data.code names them). */
export const RPC_ERRORS = {
  parse_error: -32700,
  invalid_request: -32600,
  method_not_found: -32601,
  invalid_params: -32602,
  internal: -32603,
  not_found: -32001,
  ambiguous_prefix: -32002,
  invalid_value: -32003,
  unauthorized: -32010,
  forbidden: -32011,
} as const;

/** Task fields as scripts pass them. `"none"` clears a field in task.edit. */
export interface TaskFieldsInput {
  title?: string;
  /** Project id, unique id prefix, or project title. */
  project?: string;
  /** Quick-add date text ("tomorrow 9am", "2026-12-24") or epoch ms. */
  doDate?: string | number;
  lateOn?: string | number;
  attention?: 'red' | 'orange' | 'white' | 'blue' | 'none';
  /** RRULE text or plain English ("every 3 days", "weekdays"). */
  recurrence?: string;
  tags?: string[];
}

/** Params of each /rpc method. An `id` is a full node id or a unique prefix. */
export interface RpcParams {
  'task.create': ({ text: string } | { title: string }) & TaskFieldsInput;
  'task.list': {
    project?: string;
    state?: 'outstanding' | 'done' | 'dropped';
    tag?: string;
    due?: boolean;
    limit?: number;
  };
  'task.next': { limit?: number };
  'task.done': { id: string };
  'task.drop': { id: string };
  'task.skip': { id: string };
  'task.edit': { id: string } & TaskFieldsInput;
  /** Back to outstanding from done or dropped (an undo); closedAt is cleared. */
  'task.reopen': { id: string };
  'node.show': { id: string };
  'context.get': { id: string };
  'context.set': { id: string; text: string };
  'context.append': { id: string; text: string };
  'log.append': { id: string; text: string };
  'log.list': { id: string };
  'project.list': Record<string, never>;
  'project.create': { title: string };
  'tag.add': { id: string; tag: string };
  'tag.remove': { id: string; tag: string };
  'link.add': { from: string; to: string };
  'link.remove': { from: string; to: string };
  search: { query: string; limit?: number };
}
/*
 * Results: task.create and project.create return { node_id }; task.list,
 * task.next and project.list return { tasks | projects: NodeView[] };
 * node.show returns { node: NodeView, context, log, links }; the task.done /
 * drop / skip / edit / reopen methods return { node: NodeView }; context.get returns
 * { text }; log.list returns { entries: LogEntry[] }; search returns
 * { hits: SearchHit[] }; the rest return { ok: true }.
 */
