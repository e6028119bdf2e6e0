/**
 * What a replica holds, read only through the public Replica interface: its
 * ops and the state it shows for every node the simulation created.
 *
 * Reading through the interface rather than the tables keeps the check
 * independent of the schema, and compares exactly what the hub and the apps
 * would see. The order of every list is fixed here, so two replicas holding
 * the same state give the same value.
 */
import type { Op } from '../op.ts';
import type { Replica } from '../replica.ts';

/** Ops per opsAfter page while reading a whole store. */
const PAGE = 1_000;
/** Bounds the paging loop: a store holding more ops than this is a failure. */
const MAX_PAGES = 200;

/** Every op the replica stores, by clock. */
export async function storedOps(replica: Replica): Promise<Map<string, Op>> {
  const ops = new Map<string, Op>();
  let cursor = 0;

  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await replica.opsAfter(cursor, { limit: PAGE });
    for (const { op } of result.items) ops.set(op.clock, op);
    if (!result.more) return ops;
    if (result.cursor <= cursor) throw new Error(`opsAfter(${cursor}) did not advance`);
    cursor = result.cursor;
  }
  throw new Error(`opsAfter still reported more after ${MAX_PAGES} pages`);
}

/**
 * The state a replica shows for each node in `written`, with the history of
 * the fields listed for it (the fields some op wrote: others have none).
 */
export async function visibleState(
  replica: Replica,
  written: ReadonlyMap<string, readonly string[]>,
): Promise<unknown> {
  const nodes: Record<string, unknown> = {};
  for (const id of [...written.keys()].sort()) {
    nodes[id] = await nodeState(replica, id, written.get(id) ?? []);
  }

  const tasks = await replica.listTasks({ includeDeleted: true, limit: 100_000 });
  const projects = await replica.listProjects();
  return {
    ownerId: replica.ownerId,
    nodes,
    tasks: tasks.map((task) => task.id).sort(),
    projects: projects.map((project) => project.id).sort(),
  };
}

async function nodeState(
  replica: Replica,
  id: string,
  fields: readonly string[],
): Promise<unknown> {
  const view = await replica.getNode(id);
  const links = await replica.links(id);
  const history: Record<string, unknown> = {};
  for (const field of fields) {
    history[field] = await replica.fieldHistory(id, field);
  }

  return {
    view: view && { ...view, tags: [...view.tags].sort() },
    context: await replica.getContext(id),
    log: await replica.getLog(id),
    outgoing: [...links.outgoing].sort(),
    incoming: [...links.incoming].sort(),
    history,
  };
}
