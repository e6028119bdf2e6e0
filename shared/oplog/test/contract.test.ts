/**
 * The contract suite (src/testing/contract.ts) against better-sqlite3, both
 * in memory and on a WAL file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, it } from 'vitest';
import { createBetterSqliteExecutor, openBetterSqlite } from '../src/drivers/better-sqlite3.ts';
import { contractCases } from '../src/testing/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'heph-contract-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('contract: better-sqlite3 in memory', () => {
  for (const contract of contractCases) {
    it(contract.name, () =>
      contract.run(async () => createBetterSqliteExecutor(new Database(':memory:'))),
    );
  }
});

describe('contract: better-sqlite3 file in WAL mode', () => {
  for (const contract of contractCases) {
    it(contract.name, () => contract.run(async () => openBetterSqlite(join(dir, `${files++}.db`))));
  }
});
