/**
 * The op-log's executor and replica contract suite, run in real Chromium
 * against wa-sqlite on OPFSCoopSyncVFS inside a module worker (contract.html).
 */
import { contractCases } from '@heph/oplog/testing';
import { expect, test } from '../fixtures/test.ts';

interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
}

test('[CONTRACT] every executor and replica contract case passes on wa-sqlite OPFSCoopSyncVFS', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const page = await profile.context.newPage();
  await page.goto(`${hub.url}/contract.html`);
  await page.waitForFunction(
    () => (window as { __contractResults?: unknown }).__contractResults,
    null,
    {
      timeout: 120_000,
    },
  );
  const results = (await page.evaluate(
    () => (window as { __contractResults?: unknown }).__contractResults,
  )) as CaseResult[];

  const failures = results.filter((result) => !result.ok).map((r) => `${r.name}: ${r.error}`);
  expect(failures, failures.join('\n')).toEqual([]);
  expect(results.map((result) => result.name)).toEqual(contractCases.map((c) => c.name));
});
