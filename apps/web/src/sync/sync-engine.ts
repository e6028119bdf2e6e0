/**
 * The spoke's sync loop: push local ops, then pull the hub's in pages.
 *
 * Every tab's worker runs one engine, but a run holds the `heph-sync` Web
 * Lock, so one tab syncs at a time and the others queue behind it (their run
 * then finds little to do). Runs are triggered shortly after a local write,
 * on a timer, on `online` and when a tab regains focus; a failed run is
 * retried with exponential backoff and jitter, so a failed push goes out
 * again without waiting for the next edit.
 *
 * Cursor, hub id and last sync time live in the replica's meta table, so
 * every tab sees the same sync history and a killed tab loses nothing: an
 * op is marked pushed only after the hub acknowledged it, and a pull page
 * re-applied after a crash is a no-op.
 */
import {
  type HubStamp,
  MAX_DRIFT_MS,
  MAX_OPS_PER_REQUEST,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushResponse,
  type Replica,
} from '@heph/oplog';
import type { SyncErrorCode, SyncPhase } from '../worker/protocol.ts';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';
import { postSync, type SyncFailure, type SyncOutcome } from './hub-transport.ts';

export const SYNC_LOCK = 'heph-sync';
const META = {
  cursor: 'sync.cursor',
  hubId: 'sync.hubId',
  lastSyncAt: 'sync.lastSyncAt',
} as const;

/** A hub that keeps answering "reset" must not keep us in a loop. */
const MAX_RESETS_PER_RUN = 2;

export interface SyncEngineState {
  phase: SyncPhase;
  lastSyncAt: number | null;
  error: { code: SyncErrorCode; message: string } | null;
  progress: { pulled: number; total: number | null } | null;
  clockSkewMs: number | null;
  retryAt: number | null;
}

export interface SyncEngineOptions {
  replica: Replica;
  hubUrl: () => string;
  fetch: typeof fetch;
  getToken: () => Promise<string | null>;
  now: () => number;
  random: () => number;
  isOnline: () => boolean;
  /** Runs `work` holding the sync lock (navigator.locks in the browser). */
  withLock: <T>(work: () => Promise<T>) => Promise<T>;
  onState: (state: SyncEngineState) => void;
  /** Called after a pull page changed nodes. */
  onPulled: (nodes: string[]) => void;
  pageSize?: number;
  intervalMs?: number;
  /** Delay between a local write and the sync it triggers. */
  writeDelayMs?: number;
  log?: (message: string, data?: Record<string, unknown>) => void;
}

class RunFailure extends Error {
  constructor(readonly failure: SyncFailure) {
    super(failure.message);
  }
}

export class SyncEngine {
  readonly #options: SyncEngineOptions;
  #state: SyncEngineState = {
    phase: 'idle',
    lastSyncAt: null,
    error: null,
    progress: null,
    clockSkewMs: null,
    retryAt: null,
  };
  #timer: ReturnType<typeof setTimeout> | null = null;
  #timerDueAt = 0;
  #running: Promise<void> | null = null;
  #again = false;
  #failures = 0;
  #stopped = false;
  /** The hub's last sequence number as of our last push: a first sync's progress total. */
  #hubLastSeq: number | null = null;

  constructor(options: SyncEngineOptions) {
    this.#options = options;
  }

  get state(): SyncEngineState {
    return this.#state;
  }

  async start(): Promise<void> {
    const lastSyncAt = await this.#options.replica.getMeta(META.lastSyncAt);
    this.#update({ lastSyncAt: lastSyncAt ? Number(lastSyncAt) : null });
    this.syncNow();
  }

  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
  }

  /** Sync as soon as possible, forgetting any backoff (focus, online, a button). */
  syncNow(): void {
    this.#failures = 0;
    this.#schedule(0);
  }

  /** A local write happened: sync shortly, batching a burst of edits. */
  localWrite(): void {
    if (this.#failures > 0 && !this.#options.isOnline()) return;
    this.#schedule(this.#options.writeDelayMs ?? 200);
  }

  /** Resolves when the current run (if any) has finished. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    // A sooner run already planned wins: a write made while a run was ending
    // must not wait for the next periodic sync.
    const dueAt = this.#options.now() + delayMs;
    if (this.#timer !== null && this.#timerDueAt <= dueAt) return;

    this.#clearTimer();
    this.#timerDueAt = dueAt;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.run();
    }, delayMs);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Runs one sync now (queued behind a run in progress) and resolves when it is over. */
  run(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        await this.#options.withLock(() => this.#attempt());
      } while (this.#again && !this.#stopped);
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #attempt(): Promise<void> {
    this.#update({ phase: 'syncing', progress: null, retryAt: null });
    try {
      await this.#sync();
      this.#failures = 0;
      const lastSyncAt = this.#options.now();
      await this.#options.replica.setMeta(META.lastSyncAt, String(lastSyncAt));
      this.#update({ phase: 'idle', lastSyncAt, error: null, progress: null });
      this.#schedule(this.#options.intervalMs ?? 30_000);
    } catch (error) {
      if (!(error instanceof RunFailure)) throw error;
      this.#fail(error.failure);
    }
  }

  #fail(failure: SyncFailure): void {
    // Offline is a state, not an error: logged at debug level only.
    this.#options.log?.('sync failed', { code: failure.code, status: failure.status });
    this.#failures += 1;
    const delay = backoffDelay(this.#failures, {
      ...DEFAULT_BACKOFF,
      random: this.#options.random,
    });
    const retryAt = this.#options.now() + delay;
    this.#update({
      phase: phaseOf(failure, this.#options.isOnline()),
      error: failure,
      progress: null,
      retryAt,
    });
    this.#schedule(delay);
  }

  async #sync(): Promise<void> {
    for (let resets = 0; ; resets += 1) {
      await this.#pushAll();
      const reset = await this.#pullAll();
      if (!reset) return;
      if (resets >= MAX_RESETS_PER_RUN) {
        throw new RunFailure({
          ok: false,
          code: 'hub_error',
          message: 'The hub keeps asking for a reset; sync paused.',
          status: null,
        });
      }
    }
  }

  async #pushAll(): Promise<void> {
    const { replica } = this.#options;
    for (;;) {
      const ops = await replica.pendingOps(MAX_OPS_PER_REQUEST);
      if (ops.length === 0) return;

      const body = { protocol: PROTOCOL_VERSION, origin: replica.origin, ops };
      const response = expect(await this.#post<PushResponse>('/sync/push', body));
      if (await this.#observeHub(response)) continue;
      this.#hubLastSeq = response.lastSeq;
      await replica.markPushed(ops.map((op) => op.clock));
    }
  }

  /** Pulls every page; true when the hub asked for a reset (the caller starts over). */
  async #pullAll(): Promise<boolean> {
    const { replica } = this.#options;
    let cursor = Number((await replica.getMeta(META.cursor)) ?? 0);
    let pulled = 0;
    for (;;) {
      const body = {
        protocol: PROTOCOL_VERSION,
        origin: replica.origin,
        cursor,
        hubId: await replica.getMeta(META.hubId),
        limit: this.#options.pageSize ?? MAX_OPS_PER_REQUEST,
      };
      const response = expect(await this.#post<PullResponse>('/sync/pull', body));
      if (response.reset) {
        await this.#resetFromHub(response);
        return true;
      }
      if (await this.#observeHub(response)) return true;

      const applied = await replica.apply(response.ops);
      cursor = response.cursor;
      await replica.setMeta(META.cursor, String(cursor));
      pulled += response.ops.length;
      if (applied.changedNodes.length > 0) this.#options.onPulled(applied.changedNodes);
      if (!response.more) return false;
      this.#update({ progress: { pulled, total: this.#hubLastSeq } });
    }
  }

  async #post<T extends HubStamp>(path: '/sync/push' | '/sync/pull', body: unknown) {
    const outcome: SyncOutcome<T> = await postSync<T>(
      this.#options.hubUrl(),
      path,
      body,
      this.#options,
    );
    if (outcome.ok) {
      const midpoint = (outcome.sentAt + outcome.receivedAt) / 2;
      this.#update({ clockSkewMs: Math.round(midpoint - outcome.body.hubTime) });
    }
    return outcome;
  }

  /**
   * Checks the hub's stamp against what this replica remembers. On the
   * first sync the replica adopts the hub's owner and hub id; a changed hub
   * id later means the hub was restored from a backup, and everything is
   * re-sent. Returns true when such a reset happened.
   */
  async #observeHub(stamp: HubStamp): Promise<boolean> {
    const { replica } = this.#options;
    const knownHubId = await replica.getMeta(META.hubId);
    if (knownHubId === null) {
      if (replica.ownerId !== stamp.ownerId) await replica.adoptOwner(stamp.ownerId);
      await replica.setMeta(META.hubId, stamp.hubId);
      return false;
    }
    if (replica.ownerId !== stamp.ownerId) {
      throw new RunFailure({
        ok: false,
        code: 'owner_mismatch',
        message: 'This hub belongs to another owner than this device’s data; sync stopped.',
        status: null,
      });
    }
    if (knownHubId === stamp.hubId) return false;
    await this.#resetFromHub(stamp);
    return true;
  }

  async #resetFromHub(stamp: HubStamp): Promise<void> {
    const { replica } = this.#options;
    this.#options.log?.('hub reset: re-sending every op', { hubId: stamp.hubId });
    // Every op, not only our own: a restored hub has also lost ops that other
    // spokes and its own /rpc made after the backup, and we may hold the only
    // copy (SPEC.md SIM-9).
    await replica.markAllPending({ allOrigins: true });
    await replica.setMeta(META.cursor, '0');
    await replica.setMeta(META.hubId, stamp.hubId);
  }

  #update(patch: Partial<SyncEngineState>): void {
    this.#state = { ...this.#state, ...patch };
    this.#options.onState(this.#state);
  }
}

function expect<T>(outcome: SyncOutcome<T>): T {
  if (!outcome.ok) throw new RunFailure(outcome);
  return outcome.body;
}

function phaseOf(failure: SyncFailure, online: boolean): SyncPhase {
  if (failure.code === 'unauthorized') return 'sign-in-needed';
  if (failure.code === 'unreachable' || !online) return 'offline';
  return 'error';
}

export function isClockSkewed(skewMs: number | null): boolean {
  return skewMs !== null && Math.abs(skewMs) > MAX_DRIFT_MS;
}
