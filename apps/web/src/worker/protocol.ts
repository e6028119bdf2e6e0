/**
 * The typed message API between a tab's UI and its database worker.
 *
 * Three kinds of request travel UI -> worker: `call` runs one of the RPC
 * methods (the same commands the hub's /rpc serves, so the UI and scripts
 * share one vocabulary), `query` runs a read-only Replica method by name, and
 * `control` drives the worker itself (sync, settings). The worker answers each
 * with a `response` carrying the request id, and pushes `status` messages
 * whenever the spoke's state changes.
 *
 * Change events reach a tab only through its own worker, as `changed`
 * messages: the worker first brings its caches up to date, then tells its
 * tab, so a tab that re-reads after an event never sees the old state.
 * Workers tell each other on the `CHANGES_CHANNEL` BroadcastChannel.
 */
import type { Replica, RpcMethod, RpcParams } from '@heph/oplog';

export const CHANGES_CHANNEL = 'heph-changes';

/** Results of the RPC methods: the shared commands' own result types. */
export type { RpcResults } from '@heph/oplog';

/** RPC methods that only read; every other method is a write and triggers sync. */
export const READ_METHODS: ReadonlySet<RpcMethod> = new Set<RpcMethod>([
  'task.list',
  'task.next',
  'node.show',
  'context.get',
  'log.list',
  'project.list',
  'search',
]);

/** Replica methods a tab may call directly through `query`. */
export const QUERY_NAMES = [
  'getNode',
  'resolveId',
  'listTasks',
  'listProjects',
  'getContext',
  'getLog',
  'links',
  'fieldHistory',
  'search',
  'pendingCount',
] as const;
export type QueryName = (typeof QUERY_NAMES)[number];
export type QueryArgs<Q extends QueryName> = Parameters<Replica[Q]>;
export type QueryResult<Q extends QueryName> = Awaited<ReturnType<Replica[Q]>>;

/** Whether the local store could be opened. Never "empty" when it could not. */
export type StorageState = 'opening' | 'ready' | 'unavailable';

/** What the sync loop is doing; `synced` means idle with nothing pending. */
export type SyncPhase = 'idle' | 'syncing' | 'offline' | 'error' | 'sign-in-needed';

export type SyncErrorCode =
  | 'unreachable'
  | 'not_a_hub'
  | 'unauthorized'
  | 'forbidden'
  | 'protocol_mismatch'
  | 'owner_mismatch'
  | 'hub_error';

export interface SpokeStatus {
  storage: StorageState;
  /** Why the store could not be opened, in words for the owner. */
  storageError: string | null;
  phase: SyncPhase;
  online: boolean;
  /** Epoch ms of the last sync that pushed and pulled everything. */
  lastSyncAt: number | null;
  /** Local ops the hub has not acknowledged. */
  pending: number;
  error: { code: SyncErrorCode; message: string } | null;
  /** Ops pulled in the current sync, and the hub's last sequence when known. */
  progress: { pulled: number; total: number | null } | null;
  /** Device clock minus hub clock, ms; positive means this device runs ahead. */
  clockSkewMs: number | null;
  /** True when the skew is large enough to mention. */
  clockWarning: boolean;
  hubUrl: string;
  /** True when the hub URL is the page's own origin (the default). */
  hubUrlIsDefault: boolean;
  /** When the next retry after a failure is due (epoch ms). */
  retryAt: number | null;
  origin: string | null;
  ownerId: string | null;
}

export interface ControlMap {
  /** Sync now (focus, visibility, a button); resets the backoff. */
  'sync.now': { args: []; result: undefined };
  /** Points sync at another hub; null goes back to the page's origin. */
  'sync.setHubUrl': { args: [url: string | null]; result: SpokeStatus };
  'status.get': { args: []; result: SpokeStatus };
}
export type ControlName = keyof ControlMap;

export type WorkerRequest =
  | { kind: 'call'; id: number; method: RpcMethod; params: RpcParams[RpcMethod] }
  | { kind: 'query'; id: number; name: QueryName; args: unknown[] }
  | { kind: 'control'; id: number; name: ControlName; args: unknown[] };

export interface WorkerErrorBody {
  /** A stable code: an OplogError code, 'storage_unavailable', or 'internal'. */
  code: string;
  message: string;
  data?: Record<string, unknown>;
}

export type WorkerMessage =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: WorkerErrorBody }
  | { kind: 'status'; status: SpokeStatus }
  | ChangeEvent;

export type ChangeSource = 'local' | 'sync';

/** Sent to the tab, and to other workers on CHANGES_CHANNEL, after every committed change. */
export interface ChangeEvent {
  kind: 'changed';
  source: ChangeSource;
  /** Node ids that may have changed; absent when unknown (a local command). */
  nodes?: string[];
}
