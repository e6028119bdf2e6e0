/**
 * Reload soak with 10,000 tasks: reloads one tab again and again and checks
 * that each page gets its store open and its first live Next list, printing
 * the saved-list and live-list times. Before the access-handle retry in
 * open-database.ts about one reload in ten left the store unopenable.
 *
 * Run: `node --import tsx e2e/bench/reload.bench.ts` (HEPH_BENCH_WEB_ROOT, HEPH_BENCH_RELOADS).
 */
import { launchProfile } from '../fixtures/browser.ts';
import { startHub } from '../fixtures/hub.ts';

process.env.HEPH_BENCH_ONLY = 'none';
const { makeOps, pushAll } = await import('./web.bench.ts');

const RELOADS = Number(process.env.HEPH_BENCH_RELOADS ?? 25);
const WEB_ROOT = process.env.HEPH_BENCH_WEB_ROOT;

const hub = await startHub(WEB_ROOT ? { webRoot: WEB_ROOT } : {});
const profile = await launchProfile();
let failures = 0;
try {
  const page = await profile.context.newPage();
  await page.goto(hub.url);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await pushAll(hub.url, makeOps(10_000, true));
  await page.getByTestId('status-sync').filter({ hasText: 'Synced' }).waitFor({ timeout: 300_000 });

  for (let round = 0; round < RELOADS; round += 1) {
    await page.goto(hub.url);
    try {
      await page.waitForFunction(
        () => performance.getEntriesByName('heph:first-live-list').length > 0,
        null,
        { timeout: 20_000 },
      );
      const marks = await page.evaluate(() =>
        ['heph:first-list', 'heph:first-live-list'].map((name) =>
          Math.round(performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN),
        ),
      );
      console.log(`reload ${round}: first list ${marks[0]} ms, first live list ${marks[1]} ms`);
    } catch {
      failures += 1;
      const problem = await page
        .getByTestId('storage-problem')
        .textContent()
        .catch(() => null);
      console.log(`reload ${round}: no live list after 20 s; ${problem ?? 'no storage message'}`);
    }
  }
} finally {
  await profile.dispose();
  await hub.dispose();
}
console.log(`${RELOADS - failures} passed, ${failures} failed`);
if (failures > 0) process.exitCode = 1;
