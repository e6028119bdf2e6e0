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
 * Only the first `limit` tasks are wanted, so the cache keeps the best ones
 * in a sorted window while scoring, rather than sorting all 10,000: the
 * order is rankNext's own ([RANK-3]), and the window is what it would keep.
 */
import { isNextCandidate, type NodeView, type Replica, urgency } from '@heph/oplog';

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
    return topNext(tasks.values(), now, limit);
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

interface Ranked {
  task: NodeView;
  score: number;
  blue: boolean;
}

/** The first `limit` tasks of rankNext(tasks, now), found without sorting them all. */
export function topNext(tasks: Iterable<NodeView>, now: number, limit: number): NodeView[] {
  const window: Ranked[] = [];
  for (const task of tasks) {
    if (!isNextCandidate(task, now)) continue;
    const entry = { task, score: urgency(task, now), blue: task.attention === 'blue' };
    if (window.length === limit && compareRanked(entry, window[limit - 1] as Ranked) >= 0) {
      continue;
    }
    window.splice(insertionPoint(window, entry), 0, entry);
    if (window.length > limit) window.pop();
  }
  return window.map((entry) => entry.task);
}

/** rankNext's order: non-blue first, then by urgency, highest first, then by id. */
function compareRanked(a: Ranked, b: Ranked): number {
  if (a.blue !== b.blue) return a.blue ? 1 : -1;
  if (a.score !== b.score) return b.score - a.score;
  return a.task.id < b.task.id ? -1 : a.task.id > b.task.id ? 1 : 0;
}

function insertionPoint(window: Ranked[], entry: Ranked): number {
  let low = 0;
  let high = window.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareRanked(window[middle] as Ranked, entry) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function isOutstandingTask(node: NodeView): boolean {
  return node.kind === 'task' && !node.deleted && node.state === 'outstanding';
}
