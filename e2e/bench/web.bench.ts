/**
 * Browser spoke benchmarks, in Debian's chromium against a real hub:
 *
 *   1. first sync of 100,000 ops into an empty OPFS replica, beside raw
 *      wa-sqlite inserts on the same VFS in the same run;
 *   2. start-up with 10,000 tasks and a warm service worker: navigation to
 *      the first list rendered;
 *   3. a local edit with 10,000 tasks: command to committed, and to rendered.
 *
 * Run: `npm run bench -w @heph/web` (builds nothing; run `npm run build` first).
 * HEPH_BENCH_WEB_ROOT serves another build than apps/web/dist.
 */
import { createIdFactory, type Op, PROTOCOL_VERSION, timestampToString } from '@heph/oplog';
import { launchProfile } from '../fixtures/browser.ts';
import { startHub } from '../fixtures/hub.ts';

const SYNC_OPS = Number(process.env.HEPH_BENCH_SYNC_OPS ?? 100_000);
const STARTUP_TASKS = Number(process.env.HEPH_BENCH_TASKS ?? 10_000);
const EDITS = 60;
const STARTUP_RUNS = Number(process.env.HEPH_BENCH_STARTUP_RUNS ?? 11);
const WEB_ROOT = process.env.HEPH_BENCH_WEB_ROOT;

/** A seeded stream of bytes, so every run pushes the same ops. */
function seededBytes(seed: number): (length: number) => Uint8Array {
  let state = seed >>> 0;
  return (length) => {
    const bytes = new Uint8Array(length);
    for (let index = 0; index < length; index += 1) {
      state = (state * 1664525 + 1013904223) >>> 0;
      bytes[index] = state >>> 24;
    }
    return bytes;
  };
}

/** Tasks of four ops each (create, do date, tag, attention) until `count` ops. */
export function makeOps(count: number, tasksOnly: boolean): Op[] {
  const origin = 'bench0000000001';
  const start = Date.UTC(2026, 0, 1);
  const newId = createIdFactory(() => start, seededBytes(7));
  const ops: Op[] = [];
  let millis = start;
  const clock = () => timestampToString({ millis: millis++, counter: 0, origin });
  for (let task = 0; ops.length < count; task += 1) {
    const node = newId();
    const title = `Task ${task}: check the ${['boiler', 'gutters', 'tyres', 'smoke alarm'][task % 4]}`;
    ops.push({
      v: 1,
      clock: clock(),
      node,
      kind: 'node.create',
      nodeKind: 'task',
      fields: { title, state: 'outstanding' },
    });
    if (tasksOnly) continue;
    ops.push({
      v: 1,
      clock: clock(),
      node,
      kind: 'field.set',
      field: 'doDate',
      value: start + task * 3_600_000,
    });
    ops.push({ v: 1, clock: clock(), node, kind: 'tag.add', tag: `area-${task % 20}` });
    ops.push({ v: 1, clock: clock(), node, kind: 'field.set', field: 'attention', value: 'white' });
  }
  return ops.slice(0, count);
}

export async function pushAll(hubUrl: string, ops: Op[]): Promise<void> {
  for (let index = 0; index < ops.length; index += 5_000) {
    const response = await fetch(`${hubUrl}/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        protocol: PROTOCOL_VERSION,
        origin: 'bench0000000001',
        ops: ops.slice(index, index + 5_000),
      }),
    });
    if (!response.ok)
      throw new Error(`seeding the hub failed: ${response.status} ${await response.text()}`);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

async function benchFirstSync(): Promise<void> {
  const hub = await startHub(WEB_ROOT ? { webRoot: WEB_ROOT } : {});
  const profile = await launchProfile();
  try {
    await pushAll(hub.url, makeOps(SYNC_OPS, false));
    const page = await profile.context.newPage();
    await page.goto(`${hub.url}/bench.html`);
    await page.waitForFunction(() => (window as { __bench?: unknown }).__bench);
    const run = (request: unknown) =>
      page.evaluate(
        (r) =>
          (
            window as unknown as {
              __bench: {
                run(r: unknown): Promise<{
                  count: number;
                  ms: number;
                  perSecond: number;
                  statements?: number;
                  hubMs?: number;
                  slowest?: { sql: string; calls: number; ms: number }[];
                }>;
              };
            }
          ).__bench.run(r),
        request,
      );

    const raw = await run({ kind: 'rawInserts', rows: SYNC_OPS });
    const executor = await run({ kind: 'executorInserts', rows: SYNC_OPS });
    const sync = await run({ kind: 'firstSync', hubUrl: hub.url });
    console.log(
      `first sync: ${fmt(sync.count)} ops in ${fmt(sync.ms)} ms = ${fmt(sync.perSecond)} ops/s`,
    );
    console.log(
      `raw wa-sqlite inserts (OPFSCoopSyncVFS, one transaction): ${fmt(raw.count)} rows in ${fmt(raw.ms)} ms = ${fmt(raw.perSecond)} rows/s`,
    );
    console.log(
      `the same inserts through the executor (run per row): ${fmt(executor.count)} rows in ${fmt(executor.ms)} ms = ${fmt(executor.perSecond)} rows/s (${(executor.perSecond / raw.perSecond).toFixed(2)} of raw)`,
    );
    if (sync.hubMs !== undefined) {
      const applyMs = sync.ms - sync.hubMs;
      console.log(
        `first sync: ${fmt(sync.hubMs)} ms waiting on the hub, ${fmt(applyMs)} ms in the spoke = ${fmt((sync.count / applyMs) * 1000)} ops/s applied`,
      );
    }
    for (const entry of sync.slowest ?? []) {
      console.log(
        `  ${fmt(entry.ms)} ms in ${fmt(entry.calls)} runs (${((entry.ms / entry.calls) * 1000).toFixed(0)} µs each): ${entry.sql}`,
      );
    }
    if (sync.statements) {
      console.log(
        `SQL statements per op during the first sync: ${(sync.statements / sync.count).toFixed(1)}`,
      );
    }
    console.log(`ratio first sync / raw: ${(sync.perSecond / raw.perSecond).toFixed(2)}`);
  } finally {
    await profile.dispose();
    await hub.dispose();
  }
}

async function benchStartupAndEdits(): Promise<void> {
  const hub = await startHub(WEB_ROOT ? { webRoot: WEB_ROOT } : {});
  const profile = await launchProfile();
  try {
    await pushAll(hub.url, makeOps(STARTUP_TASKS, true));
    const page = await profile.context.newPage();
    await page.goto(hub.url);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page
      .getByTestId('status-sync')
      .filter({ hasText: 'Synced' })
      .waitFor({ timeout: 300_000 });

    // heph:first-list is the first list painted (the saved one when there is
    // one); heph:first-live-list the first answer from this page's worker.
    const startups: number[] = [];
    const live: number[] = [];
    for (let run = 0; run < STARTUP_RUNS; run += 1) {
      await page.goto(hub.url);
      // A build without a saved list marks only heph:first-list, which is then live too.
      const readMarks = () => {
        const first = performance.getEntriesByName('heph:first-list')[0];
        const live =
          performance.getEntriesByName('heph:first-live-list')[0] ??
          (localStorage.getItem('heph.savedNext') === null ? first : undefined);
        return live ? [first?.startTime ?? Number.NaN, live.startTime] : null;
      };
      await page.waitForFunction(readMarks);
      const marks = (await page.evaluate(readMarks)) as number[];
      startups.push(marks[0] as number);
      live.push(marks[1] as number);
    }
    const warm = startups.slice(1);
    const warmLive = live.slice(1);
    console.log(
      `start-up, ${fmt(STARTUP_TASKS)} tasks, warm SW, navigation to first list: median ${fmt(percentile(warm, 50))} ms, p95 ${fmt(percentile(warm, 95))} ms (runs: ${warm.map(fmt).join(', ')})`,
    );
    console.log(
      `start-up, navigation to the first live list from the worker: median ${fmt(percentile(warmLive, 50))} ms, p95 ${fmt(percentile(warmLive, 95))} ms (runs: ${warmLive.map(fmt).join(', ')})`,
    );

    const timings = await page.evaluate(async (edits) => {
      const client = (
        window as unknown as {
          __heph: { client: { call(m: string, p: unknown): Promise<unknown> } };
        }
      ).__heph.client;
      const committed: number[] = [];
      const rendered: number[] = [];
      for (let index = 0; index < edits; index += 1) {
        const row = document.querySelector('[data-testid="task-row"]') as HTMLElement;
        const id = row.dataset.id as string;
        const title = `Edited ${index} ${Math.random().toString(36).slice(2, 8)}`;
        const shown = new Promise<number>((resolve) => {
          const observer = new MutationObserver(() => {
            if (
              document.querySelector('[data-testid="task-row"] .task-title')?.textContent === title
            ) {
              observer.disconnect();
              resolve(performance.now());
            }
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        });
        const started = performance.now();
        await client.call('task.edit', { id, title });
        committed.push(performance.now() - started);
        rendered.push((await shown) - started);
      }
      return { committed, rendered };
    }, EDITS);
    const c = timings.committed.slice(5);
    const r = timings.rendered.slice(5);
    console.log(
      `local edit with ${fmt(STARTUP_TASKS)} tasks, command to committed: p50 ${percentile(c, 50).toFixed(1)} ms, p95 ${percentile(c, 95).toFixed(1)} ms`,
    );
    console.log(
      `local edit with ${fmt(STARTUP_TASKS)} tasks, command to rendered: p50 ${percentile(r, 50).toFixed(1)} ms, p95 ${percentile(r, 95).toFixed(1)} ms`,
    );
  } finally {
    await profile.dispose();
    await hub.dispose();
  }
}

// HEPH_BENCH_ONLY=sync or =startup runs one half; =none only loads the helpers.
const only = process.env.HEPH_BENCH_ONLY;
if (only !== 'startup' && only !== 'none') await benchFirstSync();
if (only !== 'sync' && only !== 'none') await benchStartupAndEdits();
