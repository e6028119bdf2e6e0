/**
 * hephd's entry: parse the command line, then run the server or a store
 * command. The heavy modules are loaded only once a command needs them, so
 * `--version` and `--help` answer at once. Failures a person can fix (an
 * unsafe address, a file in the way, a socket in use) print one clear line
 * and exit 2; bad flags exit 1 through commander; anything else prints its
 * stack and exits 1.
 */
import { createProgram } from './cli.ts';
import { versionLine } from './version.ts';

// The store holds the owner's whole life: every file hephd makes (the db,
// its WAL and SHM, backups, the data directory) is for the owner alone.
process.umask(0o077);

// `hephd backup … | head -1` closes the pipe early; the work is done by then.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

/** Errors whose message is the whole story: no stack trace for these. */
const PLAIN_ERRORS = new Set(['StartError', 'CopyError', 'SocketInUseError']);

async function storeOptions() {
  const { systemRandomBytes } = await import('./store.ts');
  return { now: Date.now, randomBytes: systemRandomBytes };
}

function printSummary(summary: {
  origin: string;
  hubId: string;
  ownerId: string;
  opCount: number;
}) {
  console.log(`  owner id: ${summary.ownerId}`);
  console.log(`  origin:   ${summary.origin} (new)`);
  console.log(`  hub id:   ${summary.hubId} (new)`);
  console.log(`  ops:      ${summary.opCount}`);
}

const program = createProgram(versionLine(), {
  async server(config) {
    const { runServer } = await import('./run.ts');
    await runServer(config, { ...(await storeOptions()), env: process.env });
    // Everything is closed; leftover handles (tsx's loader, idle timers) must
    // not keep a stopped hub around for a supervisor to wait on.
    process.exit(0);
  },

  async seed(flags) {
    const { seedForOwner, seedFromDevice } = await import('./copy.ts');
    const options = await storeOptions();
    const summary = flags.from
      ? await seedFromDevice(flags.from, flags.db, options)
      : await seedForOwner(flags.ownerId ?? '', flags.db, options);
    console.log(`seeded ${summary.path} (${flags.from ? `a copy of ${flags.from}` : 'empty'})`);
    printSummary(summary);
  },

  async backup(flags) {
    const { backupStore } = await import('./copy.ts');
    const summary = await backupStore(flags.db, flags.out, await storeOptions());
    console.log(`backed up ${flags.db} to ${summary.path} (integrity_check: ok)`);
    printSummary(summary);
  },
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof Error && PLAIN_ERRORS.has(error.name)) {
    console.error(`hephd: ${error.message}`);
    process.exit(2);
  }
  console.error('hephd: failed:', error);
  process.exit(1);
}
