/**
 * hephd's entry: parse the command line, then run the server or a store
 * command. Failures a person can fix (a bad flag, an unsafe address, a file
 * in the way) print one clear line and exit non-zero; anything else is
 * logged with its stack and exits 1.
 */

import { createProgram } from './cli.ts';
import { backupStore, CopyError, seedForOwner, seedFromDevice } from './copy.ts';
import { runServer, StartError } from './run.ts';
import { SocketInUseError } from './server.ts';
import { systemRandomBytes } from './store.ts';
import { versionLine } from './version.ts';

const storeOptions = { now: Date.now, randomBytes: systemRandomBytes };

const program = createProgram(versionLine(), {
  async server(config) {
    await runServer(config, { ...storeOptions, env: process.env });
  },
  async seed(flags) {
    const summary = flags.from
      ? await seedFromDevice(flags.from, flags.db, storeOptions)
      : await seedForOwner(flags.ownerId ?? '', flags.db, storeOptions);
    const source = flags.from ? `a copy of ${flags.from}` : 'empty';
    console.log(`seeded ${summary.path} (${source})`);
    printSummary(summary);
  },
  async backup(flags) {
    const summary = await backupStore(flags.db, flags.out, storeOptions);
    console.log(`backed up ${flags.db} to ${summary.path} (integrity_check: ok)`);
    printSummary(summary);
  },
});

function printSummary(summary: {
  origin: string;
  hubId: string;
  ownerId: string;
  lastSeq: number;
}) {
  console.log(`  owner id: ${summary.ownerId}`);
  console.log(`  origin:   ${summary.origin} (new)`);
  console.log(`  hub id:   ${summary.hubId} (new)`);
  console.log(`  ops:      ${summary.lastSeq}`);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (
    error instanceof StartError ||
    error instanceof CopyError ||
    error instanceof SocketInUseError
  ) {
    console.error(`hephd: ${error.message}`);
    process.exit(2);
  }
  console.error('hephd: failed:', error);
  process.exit(1);
}
