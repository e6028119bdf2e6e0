/**
 * Runs the op-log's executor contract suite against wa-sqlite on
 * OPFSCoopSyncVFS, in a dedicated worker as the app runs it. Each case gets
 * fresh database files, removed again afterwards.
 */
/// <reference lib="webworker" />
import type { Executor } from '@heph/oplog';
import { contractCases } from '@heph/oplog/testing';
import { openDatabase } from '../worker/open-database.ts';

declare const self: DedicatedWorkerGlobalScope;

export interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

const runId = Date.now().toString(36);
let fileNumber = 0;

async function runCase(name: string, run: (make: () => Promise<Executor>) => Promise<void>) {
  const opened: Executor[] = [];
  const makeExecutor = async () => {
    fileNumber += 1;
    const executor = await openDatabase(`contract-${runId}-${fileNumber}.sqlite3`);
    opened.push(executor);
    return executor;
  };
  const started = performance.now();
  try {
    await run(makeExecutor);
    return { name, ok: true, ms: performance.now() - started };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { name, ok: false, error: message, ms: performance.now() - started };
  } finally {
    for (const executor of opened) await executor.close().catch(() => undefined);
  }
}

async function removeFiles(): Promise<void> {
  const root = await navigator.storage.getDirectory();
  for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) {
    if (name.startsWith(`contract-${runId}-`)) await root.removeEntry(name).catch(() => undefined);
  }
}

self.onmessage = async () => {
  const results: CaseResult[] = [];
  for (const testCase of contractCases) {
    results.push(await runCase(testCase.name, testCase.run));
  }
  await removeFiles();
  self.postMessage(results);
};
