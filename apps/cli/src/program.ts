/**
 * The `heph` command tree. Built fresh for every run from an injected Io, so
 * a test can run the real CLI in-process; `runCli` turns every outcome into
 * an exit status and never calls process.exit itself.
 */
import { Command, CommanderError } from 'commander';
import { addAuthCommands } from './commands/auth.ts';
import { createKit } from './commands/kit.ts';
import { addNoteCommands } from './commands/notes.ts';
import { addTaskCommands } from './commands/tasks.ts';
import { CliError, EXIT } from './errors.ts';
import type { Io } from './session.ts';

export const CLI_VERSION = '0.1.0';

const GENERAL_HELP = `
Examples:
  $ heph auth login --hub-url https://heph.example.net
  $ heph task "Call the bank tomorrow 10am !orange #admin @phone"
  $ heph list --due
  $ heph done 01KBX3QZ8RT4
  $ heph log 01KBX3QZ8RT4 "Backup finished: 3.2 GB"

IDs: every ID argument takes a full node id or any prefix that is unique.

Login: \`heph auth login\` once per hub; the session then renews itself. heph
never prompts: when the login cannot be renewed it exits 3 and says so.
Tokens can live in a password manager instead of tokens.json (the commands run
through /bin/sh with HEPH_HUB_URL set; token JSON on standard input and output):
  $ heph --token-load-cmd 'pass show heph' --token-save-cmd 'pass insert -mf heph' list

Exit status:
  0  done
  1  usage error (bad option, bad value)
  2  no such node, or the id prefix matches several
  3  not logged in, or the login can no longer be renewed
  4  the hub cannot be reached

Environment:
  HEPH_HUB_URL     hub URL when --hub-url is not given
  HEPH_CA_FILE     PEM file of extra certificates to trust (like --ca-file)
  XDG_CONFIG_HOME  config directory base (default ~/.config)

Files:
  ~/.config/heph/config.toml   hub_url = "...", issuer = "..."
  ~/.config/heph/tokens.json   tokens per hub URL, mode 0600`;

export function buildProgram(io: Io): Command {
  const program = new Command('heph');
  program
    .description('heph: tasks, context and logs on your own hub, from the command line')
    .version(CLI_VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand('help [command]', 'show help for a command')
    .option(
      '--hub-url <url>',
      'the hub, http:// or https:// (default from HEPH_HUB_URL or config.toml)',
    )
    .option('--token-file <file>', 'keep tokens in this file instead of ~/.config/heph/tokens.json')
    .option('--token-load-cmd <cmd>', 'shell command that prints the token JSON')
    .option('--token-save-cmd <cmd>', 'shell command that reads new token JSON on standard input')
    .option('--ca-file <file>', 'also trust the certificates in this PEM file')
    .option('--socket <path>', "talk to the hub's Unix socket (no token needed)")
    .addHelpText('after', GENERAL_HELP)
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    });

  const kit = createKit(io);
  addTaskCommands(program, kit);
  addNoteCommands(program, kit);
  addAuthCommands(program, kit);
  return program;
}

/** Runs heph with user arguments (no node or script path) and returns the exit status. */
export async function runCli(args: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return exitStatusOf(error, io);
  }
}

function exitStatusOf(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // commander has printed its own message already.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof CliError) {
    io.stderr(`heph: ${error.message}\n`);
    return error.exitCode;
  }
  io.stderr(`heph: unexpected failure: ${(error as Error).stack ?? String(error)}\n`);
  return EXIT.usage;
}
