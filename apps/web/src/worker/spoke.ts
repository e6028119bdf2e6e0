/**
 * The spoke: one tab's replica, its sync engine and the state the status
 * area shows, behind the request handlers of the worker protocol.
 *
 * Opening the store can fail (no OPFS, a handle still locked after the
 * device slept). The spoke then reports `storage: 'unavailable'` with the
 * reason and keeps retrying; requests wait for the store instead of
 * answering with an empty list that would look like lost data.
 */
import {
  type CommandContext,
  commands,
  createIdFactory,
  DEFAULT_NEXT_LIMIT,
  OplogError,
  openReplica,
  type Replica,
  type RpcMethod,
  type RpcParams,
} from '@heph/oplog';
import { createBrowserSession } from '../auth/browser-session.ts';
import { backoffDelay } from '../sync/backoff.ts';
import { isClockSkewed, SyncEngine, type SyncEngineState } from '../sync/sync-engine.ts';
import { NextCache } from './next-cache.ts';
import { openDatabase } from './open-database.ts';
import {
  type ChangeEvent,
  type ControlMap,
  type ControlName,
  QUERY_NAMES,
  type QueryName,
  READ_METHODS,
  type SpokeStatus,
  type StorageState,
  type WorkerErrorBody,
} from './protocol.ts';

const HUB_URL_META = 'sync.hubUrl';

export interface SpokeOptions {
  /** The OPFS file holding the replica. */
  filename: string;
  /** The page's origin: the default hub. */
  pageOrigin: string;
  onStatus: (status: SpokeStatus) => void;
  onChange: (event: ChangeEvent) => void;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  isOnline?: () => boolean;
  withLock?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Turn sync off (the benchmarks drive it by hand). */
  autoSync?: boolean;
  syncPageSize?: number;
}

export class Spoke {
  readonly #options: SpokeOptions;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #ready: Promise<Replica>;
  readonly #newId: () => string;
  #replica: Replica | null = null;
  #engine: SyncEngine | null = null;
  #nextCache: NextCache | null = null;
  #lastPhase: SyncEngineState['phase'] = 'idle';
  #storage: StorageState = 'opening';
  #storageError: string | null = null;
  #pending = 0;
  #hubUrl: string | null = null;

  constructor(options: SpokeOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => Date.now());
    this.#random = options.random ?? Math.random;
    this.#newId = createIdFactory(this.#now, randomBytes);
    this.#ready = this.#openWithRetry();
  }

  get ready(): Promise<Replica> {
    return this.#ready;
  }

  get engine(): SyncEngine | null {
    return this.#engine;
  }

  async call<M extends RpcMethod>(method: M, params: RpcParams[M]): Promise<unknown> {
    const replica = await this.#ready;
    if (method === 'task.next' && this.#nextCache) {
      const limit = (params as RpcParams['task.next']).limit ?? DEFAULT_NEXT_LIMIT;
      if (Number.isInteger(limit) && limit > 0) {
        return { tasks: await this.#nextCache.next(this.#now(), limit) };
      }
    }
    if (READ_METHODS.has(method)) return commands[method](this.#commandContext(replica), params);

    const touched = new Set<string>();
    try {
      return await commands[method](this.#commandContext(recording(replica, touched)), params);
    } finally {
      if (touched.size > 0) await this.#localWrite([...touched]);
    }
  }

  /** Another tab or worker changed data (heard on the changes channel). */
  async externalChange(event: ChangeEvent): Promise<void> {
    this.#nextCache?.invalidate(event.nodes);
    await this.refreshPending();
  }

  async query(name: QueryName, args: unknown[]): Promise<unknown> {
    if (!QUERY_NAMES.includes(name)) {
      throw new OplogError('invalid_query', `unknown query: ${name}`, { name });
    }
    const replica = await this.#ready;
    const method = replica[name] as (...args: unknown[]) => Promise<unknown>;
    return method.apply(replica, args);
  }

  async control<C extends ControlName>(name: C, args: unknown[]): Promise<ControlMap[C]['result']> {
    switch (name) {
      case 'sync.now':
        this.#engine?.syncNow();
        return undefined as ControlMap[C]['result'];
      case 'sync.setHubUrl':
        await this.#setHubUrl((args[0] as string | null) ?? null);
        return this.status() as ControlMap[C]['result'];
      case 'status.get':
        return this.status() as ControlMap[C]['result'];
      default:
        throw new OplogError('invalid_query', `unknown control: ${String(name)}`, { name });
    }
  }

  /** Another tab or a sync changed data: the pending count may have moved. */
  async refreshPending(): Promise<void> {
    if (!this.#replica) return;
    this.#pending = await this.#replica.pendingCount();
    this.#emitStatus();
  }

  status(): SpokeStatus {
    const sync: SyncEngineState = this.#engine?.state ?? {
      phase: 'idle',
      lastSyncAt: null,
      error: null,
      progress: null,
      clockSkewMs: null,
      retryAt: null,
    };
    return {
      storage: this.#storage,
      storageError: this.#storageError,
      ...sync,
      online: this.#isOnline(),
      pending: this.#pending,
      clockWarning: isClockSkewed(sync.clockSkewMs),
      hubUrl: this.#currentHubUrl(),
      hubUrlIsDefault: this.#hubUrl === null,
      origin: this.#replica?.origin ?? null,
      ownerId: this.#replica?.ownerId ?? null,
    };
  }

  async #openWithRetry(): Promise<Replica> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#open();
      } catch (error) {
        this.#storage = 'unavailable';
        this.#storageError = describeStorageError(error);
        this.#emitStatus();
        const delay = backoffDelay(attempt, { baseMs: 500, maxMs: 10_000, random: this.#random });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async #open(): Promise<Replica> {
    const executor = await openDatabase(this.#options.filename);
    const replica = await openReplica({
      executor,
      now: this.#now,
      randomBytes,
    });
    this.#replica = replica;
    this.#nextCache = new NextCache(replica);
    this.#hubUrl = await replica.getMeta(HUB_URL_META);
    this.#pending = await replica.pendingCount();
    this.#storage = 'ready';
    this.#storageError = null;
    this.#engine = this.#createEngine(replica);
    this.#emitStatus();
    if (this.#options.autoSync !== false) void this.#engine.start();
    return replica;
  }

  #createEngine(replica: Replica): SyncEngine {
    // The session refreshes the token shortly before it expires, and after a
    // 401 refreshes once and retries (one tab at a time: auth/session.ts).
    const session = createBrowserSession();
    return new SyncEngine({
      replica,
      hubUrl: () => this.#currentHubUrl(),
      fetch: this.#options.fetch ?? session.fetch,
      getToken: () => session.accessToken(this.#currentHubUrl()),
      now: this.#now,
      random: this.#random,
      isOnline: () => this.#isOnline(),
      withLock: this.#options.withLock ?? navigatorLock,
      onState: (state) => this.#syncStateChanged(state),
      onPulled: (nodes) => {
        this.#nextCache?.invalidate(nodes);
        this.#options.onChange({ kind: 'changed', source: 'sync', nodes });
      },
      pageSize: this.#options.syncPageSize,
    });
  }

  #syncStateChanged(state: SyncEngineState): void {
    void this.refreshPending();
    // Other tabs show a pending count too: after a run that may have pushed,
    // tell them to count again (no node changed, so no cache is dropped).
    if (state.phase === 'idle' && this.#lastPhase === 'syncing') {
      this.#options.onChange({ kind: 'changed', source: 'sync', nodes: [] });
    }
    this.#lastPhase = state.phase;
  }

  #commandContext(replica: Replica): CommandContext {
    return {
      replica,
      now: this.#now,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      newId: this.#newId,
    };
  }

  async #localWrite(nodes: string[]): Promise<void> {
    this.#nextCache?.invalidate(nodes);
    this.#options.onChange({ kind: 'changed', source: 'local', nodes });
    this.#engine?.localWrite();
    // The count reaches the status area on its own; the command's answer
    // need not wait for it.
    void this.refreshPending().catch(() => undefined);
  }

  async #setHubUrl(url: string | null): Promise<void> {
    const replica = await this.#ready;
    const normalized = url === null || url.trim() === '' ? null : normalizeHubUrl(url);
    await replica.setMeta(HUB_URL_META, normalized ?? '');
    this.#hubUrl = normalized;
    this.#engine?.syncNow();
    this.#emitStatus();
  }

  #currentHubUrl(): string {
    return this.#hubUrl || this.#options.pageOrigin;
  }

  #isOnline(): boolean {
    return this.#options.isOnline?.() ?? navigator.onLine;
  }

  #emitStatus(): void {
    this.#options.onStatus(this.status());
  }
}

/** Throws OplogError 'invalid_value' with a sentence for settings to show. */
export function normalizeHubUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new OplogError('invalid_value', `“${text}” is not a URL; try http://127.0.0.1:8787`, {
      field: 'hubUrl',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OplogError('invalid_value', 'The hub URL must start with http:// or https://', {
      field: 'hubUrl',
    });
  }
  return url.origin;
}

/** The replica as commands see it, noting every node a commit touches. */
function recording(replica: Replica, touched: Set<string>): Replica {
  return new Proxy(replica, {
    get(target, property) {
      if (property === 'commit') {
        return async (drafts: Parameters<Replica['commit']>[0]) => {
          const ops = await target.commit(drafts);
          for (const op of ops) touched.add(op.node);
          return ops;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

function navigatorLock<T>(work: () => Promise<T>): Promise<T> {
  return navigator.locks.request('heph-sync', work) as Promise<T>;
}

function describeStorageError(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  if (typeof navigator.storage?.getDirectory !== 'function') {
    return 'This browser has no private file system (OPFS); heph cannot keep data here.';
  }
  if (name === 'NoModificationAllowedError' || name === 'InvalidStateError') {
    return 'The local database is locked by another window or a sleeping tab; retrying.';
  }
  const message = error instanceof Error ? error.message : String(error);
  return `The local database could not be opened (${name}: ${message}); retrying.`;
}

export function errorToBody(error: unknown): WorkerErrorBody {
  if (error instanceof OplogError) {
    return { code: error.code, message: error.message, data: error.data };
  }
  if (error instanceof Error && typeof (error as unknown as { code?: unknown }).code === 'string') {
    return { code: (error as unknown as { code: string }).code, message: error.message };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
