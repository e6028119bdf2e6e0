/**
 * The Next list, kept warm in the worker.
 *
 * `task.next` ranks every outstanding task; reading 10,000 of them back
 * from SQLite for each keystroke would cost far more than the edit itself.
 * The cache holds the outstanding tasks in memory and re-reads only the
 * nodes a change touched (local commands, other tabs, sync pulls report
 * them), then ranks with the shared rules exactly as the `task.next`
 * command does. A change that names no nodes drops the cache.
 */
import { type NodeView, type Replica, rankNext } from '@heph/oplog';

export class NextCache {
  readonly #replica: Replica;
  #tasks: Map<string, NodeView> | null = null;
  #stale = new Set<string>();

  constructor(replica: Replica) {
    this.#replica = replica;
  }

  /** Marks `nodes` for re-reading; with no list, everything. */
  invalidate(nodes?: readonly string[]): void {
    if (!nodes) {
      this.#tasks = null;
      this.#stale.clear();
      return;
    }
    for (const node of nodes) this.#stale.add(node);
  }

  async next(now: number, limit: number): Promise<NodeView[]> {
    const tasks = await this.#current();
    return rankNext([...tasks.values()], now).slice(0, limit);
  }

  async #current(): Promise<Map<string, NodeView>> {
    if (!this.#tasks) {
      this.#stale.clear();
      const outstanding = await this.#replica.listTasks({ state: 'outstanding' });
      this.#tasks = new Map(outstanding.map((task) => [task.id, task]));
      return this.#tasks;
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
}

function isOutstandingTask(node: NodeView): boolean {
  return node.kind === 'task' && !node.deleted && node.state === 'outstanding';
}
