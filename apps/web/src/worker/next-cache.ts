/**
 * The Next list, kept warm in the worker.
 *
 * `task.next` ranks every outstanding task; reading 10,000 of them back
 * from SQLite for each keystroke would cost far more than the edit itself.
 * The cache holds the outstanding tasks in memory and re-reads only the
 * nodes a change touched (local commands, other tabs, sync pulls report
 * them), then ranks with the shared rules exactly as the `task.next`
 * command does. A change that names no nodes drops the cache.
 *
 * Start-up: the last ranked list is saved in the replica's meta table with
 * the op-log's last sequence number. A new tab whose store still ends at
 * that sequence (no op since) shows the saved list at once and loads the
 * full cache behind it; when the fresh ranking differs (time moved a task
 * up), `onRefresh` asks the tab to read again.
 */
import { type NodeView, type Replica, rankNext } from '@heph/oplog';

const SNAPSHOT_META = 'ui.nextSnapshot';
const SNAPSHOT_LIMIT = 200;
const SNAPSHOT_DELAY_MS = 1_000;

interface Snapshot {
  seq: number;
  tasks: NodeView[];
}

export interface NextCacheOptions {
  /** Called when a list answered from the snapshot turned out stale. */
  onRefresh?: () => void;
}

export class NextCache {
  readonly #replica: Replica;
  readonly #options: NextCacheOptions;
  #tasks: Map<string, NodeView> | null = null;
  #loading: Promise<Map<string, NodeView>> | null = null;
  #stale = new Set<string>();
  #snapshotChecked = false;
  #snapshotTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(replica: Replica, options: NextCacheOptions = {}) {
    this.#replica = replica;
    this.#options = options;
  }

  /** Marks `nodes` for re-reading; with no list, everything. */
  invalidate(nodes?: readonly string[]): void {
    this.#snapshotChecked = true;
    if (!nodes) {
      this.#tasks = null;
      this.#stale.clear();
      return;
    }
    for (const node of nodes) this.#stale.add(node);
  }

  async next(now: number, limit: number): Promise<NodeView[]> {
    const early = await this.#fromSnapshot(now, limit);
    if (early) return early;
    return this.#rank(await this.#current(), now, limit);
  }

  #rank(tasks: Map<string, NodeView>, now: number, limit: number): NodeView[] {
    const ranked = rankNext([...tasks.values()], now);
    this.#saveSnapshotSoon(ranked.slice(0, SNAPSHOT_LIMIT));
    return ranked.slice(0, limit);
  }

  /** The saved list, when nothing changed since it was saved; only on the first call. */
  async #fromSnapshot(now: number, limit: number): Promise<NodeView[] | null> {
    if (this.#snapshotChecked || this.#tasks) return null;
    this.#snapshotChecked = true;
    const text = await this.#replica.getMeta(SNAPSHOT_META);
    if (!text) return null;
    const snapshot = JSON.parse(text) as Snapshot;
    if (snapshot.seq !== (await this.#replica.lastSeq()) || limit > snapshot.tasks.length) {
      return null;
    }
    const shown = snapshot.tasks.slice(0, limit);
    void this.#current().then((tasks) => {
      const fresh = this.#rank(tasks, now, limit);
      if (fresh.map((task) => task.id).join() !== shown.map((task) => task.id).join()) {
        this.#options.onRefresh?.();
      }
    });
    return shown;
  }

  #saveSnapshotSoon(tasks: NodeView[]): void {
    if (this.#snapshotTimer !== null) clearTimeout(this.#snapshotTimer);
    this.#snapshotTimer = setTimeout(() => {
      this.#snapshotTimer = null;
      void this.#saveSnapshot(tasks);
    }, SNAPSHOT_DELAY_MS);
  }

  async #saveSnapshot(tasks: NodeView[]): Promise<void> {
    const snapshot: Snapshot = { seq: await this.#replica.lastSeq(), tasks };
    await this.#replica.setMeta(SNAPSHOT_META, JSON.stringify(snapshot));
  }

  async #current(): Promise<Map<string, NodeView>> {
    if (!this.#tasks) {
      this.#loading ??= this.#loadAll().finally(() => {
        this.#loading = null;
      });
      return this.#loading;
    }
    const tasks = this.#tasks;
    const stale = [...this.#stale];
    this.#stale.clear();
    for (const id of stale) {
      const node = await this.#replica.getNode(id);
      if (node && isOutstandingTask(node)) tasks.set(id, node);
      else tasks.delete(id);
    }
    return tasks;
  }

  async #loadAll(): Promise<Map<string, NodeView>> {
    this.#stale.clear();
    const outstanding = await this.#replica.listTasks({ state: 'outstanding' });
    this.#tasks = new Map(outstanding.map((task) => [task.id, task]));
    return this.#current();
  }
}

function isOutstandingTask(node: NodeView): boolean {
  return node.kind === 'task' && !node.deleted && node.state === 'outstanding';
}
