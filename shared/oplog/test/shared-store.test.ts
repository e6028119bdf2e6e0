/**
 * One store, several connections: each browser tab's worker opens the same
 * OPFS database, and nothing stops two hub processes sharing a file. They
 * share one origin, so their clocks must never hand out the same timestamp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_DRIFT_MS, parseTimestamp } from '../src/clock.ts';
import { openBetterSqlite } from '../src/drivers/better-sqlite3.ts';
import { openReplica } from '../src/replica-impl.ts';
import { createManualClock, createSeededRandomBytes } from '../src/testing/index.ts';
import { clockAt, createTask, DAY, makeOp, NODE_A, START } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function storePath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'heph-shared-store-'));
  dirs.push(dir);
  return join(dir, 'store.db');
}

async function open(path: string, seed: number, now: () => number) {
  return openReplica({
    executor: openBetterSqlite(path),
    now,
    randomBytes: createSeededRandomBytes(seed),
  });
}

describe('a store shared by several connections', () => {
  it('[CLOCK-6] two tabs writing in turn keep every op while the clock runs ahead of now', async () => {
    const clock = createManualClock(START);
    const path = storePath();
    const first = await open(path, 1, clock.now);
    // A peer 30 s fast moves the stored clock ahead of the wall clock.
    await first.apply([createTask(NODE_A, clockAt(START + 30_000, 'fa57'))]);
    const second = await open(path, 2, clock.now);
    expect(second.origin).toBe(first.origin);

    const made: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      for (const tab of [first, second]) {
        const node = tab.createNodeId();
        const [op] = await tab.commit([
          { kind: 'node.create', node, nodeKind: 'task', fields: { title: `t${round}` } },
        ]);
        made.push(op?.clock ?? '');
      }
    }

    expect(new Set(made).size).toBe(10);
    expect(await first.pendingCount()).toBe(10);
    await Promise.all([first.close(), second.close()]);
  });

  it('[CLOCK-4] an op claiming our own origin days ahead does not drag the clock on reopen', async () => {
    const clock = createManualClock(START);
    const path = storePath();
    const replica = await open(path, 1, clock.now);
    const forged = makeOp('log.append', NODE_A, clockAt(START + 5 * DAY, replica.origin), {
      text: 'from the future',
    });
    await replica.apply([createTask(NODE_A, clockAt(START, 'aaaa')), forged]);
    await replica.close();

    const reopened = await open(path, 1, clock.now);
    const [op] = await reopened.commit([{ kind: 'log.append', node: NODE_A, text: 'now' }]);
    expect(parseTimestamp(op?.clock ?? '').millis).toBeLessThanOrEqual(START + MAX_DRIFT_MS + 1);
    await reopened.close();
  });
});
