/**
 * The command line. Existing launchd plists start the hub as
 *   hephd --mode server --http-addr 0.0.0.0:8787 --db ~/.local/share/heph/heph.db
 *         --web-root DIR --oidc-issuer URL --oidc-audience AUD [--authorized-sub SUB]...
 *         [--socket PATH]
 * so those flags keep their names and meanings. Commander refuses unknown
 * flags and stray arguments; the parsers below refuse bad values, each with
 * a message that names the flag.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  ConfigError,
  collect,
  DEFAULT_ADDRESS,
  DEFAULT_WEB_ROOT,
  defaultDbPath,
  type HubConfig,
  parseAddress,
  parseIssuer,
  parseNonEmpty,
  parsePath,
} from './config.ts';

export interface CliHandlers {
  server(config: HubConfig): Promise<void>;
  seed(options: { db: string; from?: string; ownerId?: string }): Promise<void>;
  backup(options: { db: string; out: string }): Promise<void>;
}

/** Wraps a parser so its ConfigError reads as commander's "invalid argument". */
function checked<T>(parse: (value: string) => T) {
  return (value: string): T => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof ConfigError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

interface ServerFlags {
  mode: 'server';
  httpAddr: ReturnType<typeof parseAddress>;
  db: string;
  webRoot: string;
  oidcIssuer?: string;
  oidcAudience?: string;
  oidcClientId?: string;
  authorizedSub: string[];
  socket?: string;
}

export function createProgram(version: string, handlers: CliHandlers): Command {
  const program = new Command('hephd')
    .description('the heph hub: sync, /rpc and the PWA for one owner')
    .version(version, '-V, --version', 'print "hephd X.Y.Z (shortsha)" and exit')
    .showHelpAfterError('(run hephd --help for every flag)')
    .enablePositionalOptions()
    .addOption(new Option('--mode <mode>', 'what to run').choices(['server']).default('server'))
    .addOption(
      new Option('--http-addr <host:port>', 'address to listen on')
        .default(parseAddress(DEFAULT_ADDRESS), DEFAULT_ADDRESS)
        .argParser(checked(parseAddress)),
    )
    .addOption(dbOption())
    .addOption(
      new Option('--web-root <dir>', 'the built PWA to serve')
        .default(DEFAULT_WEB_ROOT, 'apps/web/dist of this repository')
        .argParser(checked(parsePath)),
    )
    .addOption(
      new Option('--oidc-issuer <url>', 'OIDC issuer; exact, trailing slash included').argParser(
        checked(parseIssuer),
      ),
    )
    .addOption(
      new Option('--oidc-audience <aud>', 'audience access tokens must carry').argParser(
        checked(parseNonEmpty),
      ),
    )
    .addOption(
      new Option(
        '--oidc-client-id <id>',
        'client id for device login (default: the audience)',
      ).argParser(checked(parseNonEmpty)),
    )
    .addOption(
      new Option('--authorized-sub <sub>', 'only let this subject in (repeatable)')
        .default([], 'any subject with a valid token')
        .argParser(checked(collect)),
    )
    .addOption(
      new Option(
        '--socket <path>',
        'also serve /rpc on this Unix socket (mode 0600, no token)',
      ).argParser(checked(parsePath)),
    )
    .action(async (flags: ServerFlags, command: Command) => {
      await handlers.server(serverConfig(flags, command));
    });

  program
    .command('seed')
    .description('make a new hub store: a copy of a device store, or empty for an owner')
    .requiredOption('--db <path>', 'the hub store to create', checked(parsePath))
    .addOption(
      new Option('--from <device.db>', 'copy this device store (backup API), with a new origin')
        .argParser(checked(parsePath))
        .conflicts('ownerId'),
    )
    .addOption(
      new Option('--owner-id <id>', 'start empty, adopting this owner id').argParser(
        checked(parseNonEmpty),
      ),
    )
    .action(async (flags: { db: string; from?: string; ownerId?: string }, command: Command) => {
      if (!flags.from && !flags.ownerId) command.error('error: seed needs --from or --owner-id');
      await handlers.seed(flags);
    });

  program
    .command('backup')
    .description('write an online, WAL-safe, integrity-checked snapshot of a hub store')
    .requiredOption('--db <path>', 'the hub store to back up', checked(parsePath))
    .requiredOption('--out <file>', 'the snapshot to write (must not exist)', checked(parsePath))
    .action(async (flags: { db: string; out: string }) => {
      await handlers.backup(flags);
    });

  return program;
}

function dbOption(): Option {
  return new Option('--db <path>', 'the SQLite store (created when missing)')
    .default(defaultDbPath(), '$XDG_DATA_HOME/heph/heph.db or ~/.local/share/heph/heph.db')
    .argParser(checked(parsePath));
}

function serverConfig(flags: ServerFlags, command: Command): HubConfig {
  if (flags.oidcIssuer && !flags.oidcAudience) {
    command.error('error: --oidc-issuer needs --oidc-audience');
  }
  if (!flags.oidcIssuer && (flags.oidcAudience || flags.authorizedSub.length > 0)) {
    command.error('error: --oidc-audience and --authorized-sub need --oidc-issuer');
  }
  const issuer = flags.oidcIssuer ?? null;
  const audience = flags.oidcAudience ?? null;
  return {
    address: flags.httpAddr,
    dbPath: flags.db,
    webRoot: flags.webRoot,
    socketPath: flags.socket ?? null,
    auth: {
      issuer,
      audience,
      clientId: flags.oidcClientId ?? audience,
      authorizedSubs: flags.authorizedSub,
    },
  };
}
