/**
 * A spoke as the sync rules describe it (SPEC.md SYNC-13), over real HTTP:
 * push pending ops in chunks, pull pages after the cursor, and on a reset
 * mark every op it holds pending (whatever its origin), re-send, and pull
 * again from 0. Bounded in
 * rounds, so a hub that never settles fails the test instead of hanging it.
 */
import {
  META,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushResponse,
  type Replica,
} from '@heph/oplog';

export interface SpokeSyncResult {
  pushed: number;
  pulled: number;
  resets: number;
}

const CHUNK = 1_000;
const MAX_ROUNDS = 100;

export async function syncSpoke(
  replica: Replica,
  url: string,
  headers: Record<string, string> = {},
): Promise<SpokeSyncResult> {
  const result: SpokeSyncResult = { pushed: 0, pulled: 0, resets: 0 };

  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    result.pushed += await pushPending(replica, url, headers);

    const hubId = await replica.getMeta(META.hubId);
    const cursor = Number((await replica.getMeta(META.hubCursor)) ?? '0');
    const page = await post<PullResponse>(`${url}/sync/pull`, headers, {
      protocol: PROTOCOL_VERSION,
      origin: replica.origin,
      cursor,
      hubId,
    });
    if (page.ownerId !== replica.ownerId) await replica.adoptOwner(page.ownerId);

    if (page.reset) {
      result.resets += 1;
      await replica.markAllPending({ allOrigins: true });
      await replica.setMeta(META.hubId, page.hubId);
      await replica.setMeta(META.hubCursor, '0');
      continue;
    }

    await replica.apply(page.ops);
    result.pulled += page.ops.length;
    await replica.setMeta(META.hubId, page.hubId);
    await replica.setMeta(META.hubCursor, String(page.cursor));
    if (!page.more && (await replica.pendingCount()) === 0) return result;
  }
  throw new Error(`the spoke did not settle in ${MAX_ROUNDS} rounds`);
}

async function pushPending(replica: Replica, url: string, headers: Record<string, string>) {
  let pushed = 0;
  for (;;) {
    const ops = await replica.pendingOps(CHUNK);
    if (ops.length === 0) return pushed;
    await post<PushResponse>(`${url}/sync/push`, headers, {
      protocol: PROTOCOL_VERSION,
      origin: replica.origin,
      ops,
    });
    await replica.markPushed(ops.map((op) => op.clock));
    pushed += ops.length;
  }
}

async function post<T>(url: string, headers: Record<string, string>, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
