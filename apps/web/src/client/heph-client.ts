/**
 * The UI's handle on its database worker: typed calls, queries, controls,
 * change events and status. Everything the screens need goes through here,
 * so a view never touches SQLite, sync or the message format.
 *
 *   const client = createHephClient();
 *   const { node_id } = await client.call('task.create', { text: 'Call Ann tomorrow' });
 *   const tasks = await client.query('listTasks', { state: 'outstanding' });
 *   const stop = client.subscribe((event) => refresh());
 *   client.onStatus((status) => render(status));
 */
import type { RpcMethod, RpcParams, RpcResults } from '@heph/oplog';
import type {
  ChangeEvent,
  ControlMap,
  ControlName,
  QueryArgs,
  QueryName,
  QueryResult,
  SpokeStatus,
  WorkerErrorBody,
  WorkerMessage,
  WorkerRequest,
} from '../worker/protocol.ts';

/** A request the worker refused; `code` is stable, `message` is for people. */
export class HephClientError extends Error {
  readonly code: string;
  readonly data: Record<string, unknown>;

  constructor(body: WorkerErrorBody) {
    super(body.message);
    this.name = 'HephClientError';
    this.code = body.code;
    this.data = body.data ?? {};
  }
}

/**
 * The last Next list this origin's tabs received, kept in localStorage so a
 * new page can paint it before its worker has opened the database. It is
 * only a picture: the live answer replaces it as soon as the worker gives
 * one. It lives outside SQLite on purpose; writing it there from a page
 * being unloaded made the next tab wait on the database lock.
 */
export const SAVED_NEXT_KEY = 'heph.savedNext';

interface SavedNext {
  limit: number;
  tasks: RpcResults['task.next']['tasks'];
}

export interface StorageInfo {
  persisted: boolean;
  usage: number | null;
  quota: number | null;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type Distributive<T> = T extends unknown ? Omit<T, 'id'> : never;

export class HephClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #changeListeners = new Set<(event: ChangeEvent) => void>();
  readonly #statusListeners = new Set<(status: SpokeStatus) => void>();
  #status: SpokeStatus | null = null;
  #nextId = 1;
  #nextToSave: SavedNext | null = null;
  #saveScheduled = false;

  constructor(worker: Worker) {
    this.#worker = worker;
    this.#worker.onmessage = (event: MessageEvent<WorkerMessage>) => this.#receive(event.data);
  }

  /** Runs an RPC method (the same ones the hub's /rpc serves) in the local replica. */
  call<M extends RpcMethod>(method: M, params: RpcParams[M]): Promise<RpcResults[M]> {
    const answer = this.#request({ kind: 'call', method, params }) as Promise<RpcResults[M]>;
    if (method === 'task.next') {
      const limit = (params as RpcParams['task.next']).limit;
      void answer.then(
        (result) => this.#saveNext(limit, result as RpcResults['task.next']),
        () => undefined,
      );
    }
    return answer;
  }

  /** True when a page of this origin saved a Next list (cheap: nothing is parsed). */
  hasSavedNext(): boolean {
    try {
      return (globalThis.localStorage?.getItem(SAVED_NEXT_KEY) ?? null) !== null;
    } catch {
      return false;
    }
  }

  /** The saved Next list for `limit`, if a page of this origin saw one. */
  savedNext(limit: number | undefined): RpcResults['task.next']['tasks'] | undefined {
    try {
      const text = globalThis.localStorage?.getItem(SAVED_NEXT_KEY);
      if (!text) return undefined;
      const saved = JSON.parse(text) as SavedNext;
      return saved.limit === (limit ?? 0) && Array.isArray(saved.tasks) ? saved.tasks : undefined;
    } catch {
      return undefined;
    }
  }

  /** Runs one read-only Replica method, e.g. `query('fieldHistory', id, 'title')`. */
  query<Q extends QueryName>(name: Q, ...args: QueryArgs<Q>): Promise<QueryResult<Q>> {
    return this.#request({ kind: 'query', name, args }) as Promise<QueryResult<Q>>;
  }

  control<C extends ControlName>(
    name: C,
    ...args: ControlMap[C]['args']
  ): Promise<ControlMap[C]['result']> {
    return this.#request({ kind: 'control', name, args }) as Promise<ControlMap[C]['result']>;
  }

  syncNow(): Promise<void> {
    return this.control('sync.now');
  }

  /** Points sync at another hub (null: the page's own origin). Rejects with 'invalid_value'. */
  setHubUrl(url: string | null): Promise<SpokeStatus> {
    return this.control('sync.setHubUrl', url);
  }

  /** Calls `listener` after every change by this tab, another tab or a sync. */
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Calls `listener` with every new status, starting with the current one. */
  onStatus(listener: (status: SpokeStatus) => void): () => void {
    this.#statusListeners.add(listener);
    if (this.#status) listener(this.#status);
    return () => this.#statusListeners.delete(listener);
  }

  get status(): SpokeStatus | null {
    return this.#status;
  }

  /** Asks the browser to keep this origin's data (only the page may ask). */
  async requestPersistence(): Promise<boolean> {
    if (!navigator.storage?.persist) return false;
    if (await navigator.storage.persisted()) return true;
    return navigator.storage.persist();
  }

  async storageInfo(): Promise<StorageInfo> {
    if (!navigator.storage) return { persisted: false, usage: null, quota: null };
    const [persisted, estimate] = await Promise.all([
      navigator.storage.persisted(),
      navigator.storage.estimate(),
    ]);
    return { persisted, usage: estimate.usage ?? null, quota: estimate.quota ?? null };
  }

  close(): void {
    this.#worker.terminate();
  }

  #saveNext(limit: number | undefined, result: RpcResults['task.next']): void {
    // Serialising 200 tasks costs about a millisecond: do it after this
    // answer has been rendered, and only for the newest answer of a burst.
    this.#nextToSave = { limit: limit ?? 0, tasks: result.tasks };
    if (this.#saveScheduled) return;
    this.#saveScheduled = true;
    setTimeout(() => {
      this.#saveScheduled = false;
      const saved = this.#nextToSave;
      this.#nextToSave = null;
      try {
        if (saved) globalThis.localStorage?.setItem(SAVED_NEXT_KEY, JSON.stringify(saved));
      } catch {
        // A full or disabled localStorage only costs the next start-up its head start.
      }
    }, 0);
  }

  #request(message: Distributive<WorkerRequest>): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...message, id });
    });
  }

  #receive(message: WorkerMessage): void {
    if (message.kind === 'changed') {
      for (const listener of this.#changeListeners) listener(message);
      return;
    }
    if (message.kind === 'status') {
      this.#status = message.status;
      for (const listener of this.#statusListeners) listener(message.status);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new HephClientError(message.error));
  }
}

/** Starts this tab's database worker and returns its client. */
export function createHephClient(): HephClient {
  const worker = new Worker(new URL('../worker/db.worker.ts', import.meta.url), {
    type: 'module',
    name: 'heph-db',
  });
  return new HephClient(worker);
}
