/**
 * `heph auth login | status | logout` and `heph status`. Login is the device
 * flow through the hub's relay; status tells a script in one exit code whether
 * heph will work: 0 yes, 3 not signed in, 4 hub unreachable.
 */
import { PROTOCOL_VERSION } from '@heph/oplog/protocol';
import type { Command } from 'commander';
import { deviceLogin, fetchHubConfig, type HubConfig } from '../auth.ts';
import { updateConfig } from '../config.ts';
import { CliError, loginHint } from '../errors.ts';
import { formatDate } from '../format.ts';
import type { Session } from '../session.ts';
import type { TokenSet } from '../token-store.ts';
import type { CommandKit } from './kit.ts';
import { examples } from './tasks.ts';

const LOGIN_HELP = `${examples([
  'heph auth login --hub-url https://heph.example.net',
  'heph auth login --hub-url http://127.0.0.1:8787 --no-browser',
])}

The link and the code are printed; open the link anywhere, check the code and
approve. The tokens are kept for this hub URL (see heph --help, Files).`;

export function addAuthCommands(program: Command, kit: CommandKit): void {
  const auth = program.command('auth').description('Log in to a hub, see the login, log out');

  auth
    .command('login')
    .description('Log in with a device code, approved in a browser (on any device)')
    .option('--no-browser', 'only print the link; do not open a browser')
    .addHelpText('after', LOGIN_HELP)
    .action(
      kit.run(async (session, options: { browser: boolean }) => {
        const store = requireStore(session);
        const hub = await fetchHubConfig(session);
        if (!hub.authRequired && !hub.issuer) {
          return kit.print(`The hub at ${session.hubUrl} runs without auth: no login needed.`);
        }
        checkIssuer(session, hub);

        const tokens = await deviceLogin({
          ...session,
          hub,
          say: (line) => kit.print(line),
          openBrowser: options.browser ? (session.io.browser ?? undefined) : undefined,
          sleep: session.io.sleep,
          now: session.io.now,
        });
        await store.save(tokens);
        await rememberHub(session);
        kit.print(`Logged in to ${session.hubUrl}${tokens.sub ? ` as ${tokens.sub}` : ''}.`);
      }),
    );

  auth
    .command('status')
    .description('Show the stored login for the hub (exit 3 when there is none)')
    .option('--json', 'print the login as JSON (never the tokens themselves)')
    .action(
      kit.run(async (session, options: { json?: boolean }) => {
        const tokens = await requireStore(session).load();
        const summary = loginSummary(session, tokens);
        if (options.json) kit.json(summary);
        else kit.print(describeLogin(session, tokens));
        if (!tokens) {
          const hint = loginHint(session.hubUrl);
          throw new CliError('auth', `not logged in to ${session.hubUrl}; ${hint}`);
        }
      }),
    );

  auth
    .command('logout')
    .description('Forget the tokens stored for the hub')
    .action(
      kit.run(async (session) => {
        const store = requireStore(session);
        const had = await store.load();
        await store.save(null);
        kit.print(
          had ? `Logged out of ${session.hubUrl}.` : `Was not logged in to ${session.hubUrl}.`,
        );
      }),
    );

  program
    .command('status')
    .description('Check the hub: reachable, its version, and whether the login works')
    .option('--json', 'print {"hubUrl", "reachable", "hubVersion", "protocol", "auth"}')
    .addHelpText(
      'after',
      '\nExit status: 0 all good, 3 the login does not work, 4 the hub is unreachable.',
    )
    .action(
      kit.run(async (session, options: { json?: boolean }) => showStatus(session, kit, options)),
    );
}

interface StatusReport {
  hubUrl: string;
  reachable: boolean;
  hubVersion: string | null;
  protocol: number | null;
  auth: { ok: boolean; state: string; reason: string | null; sub: string | null };
  error?: string;
}

async function showStatus(session: Session, kit: CommandKit, options: { json?: boolean }) {
  const report: StatusReport = {
    hubUrl: session.hubUrl,
    reachable: false,
    hubVersion: null,
    protocol: null,
    auth: { ok: false, state: 'unknown', reason: null, sub: null },
  };

  let failure: CliError | null = null;
  let hub: HubConfig | null = null;
  try {
    hub = await fetchHubConfig(session);
    report.reachable = true;
    report.hubVersion = hub.hubVersion;
    report.protocol = hub.protocol;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    // The Unix socket serves only /rpc; reachability is then judged by the call below.
    if (!session.socket) {
      return finishStatus(kit, options, { ...report, error: error.message }, error);
    }
  }

  try {
    await session.rpc.call('task.next', { limit: 1 });
    report.reachable = true;
    const tokens = session.store ? await session.store.load() : null;
    report.auth = authState(session, hub, tokens);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    failure = error;
    if (error.code === 'auth') {
      report.auth = { ok: false, state: 'invalid', reason: error.message, sub: null };
    } else {
      report.error = error.message;
    }
  }

  finishStatus(kit, options, report, failure);
}

function finishStatus(
  kit: CommandKit,
  options: { json?: boolean },
  report: StatusReport,
  failure: CliError | null,
): void {
  if (options.json) kit.json(report);
  else kit.print(describeStatus(report));
  if (failure) throw failure;
}

function authState(
  session: Session,
  hub: HubConfig | null,
  tokens: TokenSet | null,
): StatusReport['auth'] {
  if (session.socket) {
    return { ok: true, state: 'socket', reason: 'no token needed on the Unix socket', sub: null };
  }
  if (hub && !hub.authRequired) {
    return { ok: true, state: 'off', reason: 'the hub runs without auth', sub: null };
  }
  return { ok: true, state: 'valid', reason: null, sub: tokens?.sub ?? null };
}

function describeStatus(report: StatusReport): string {
  const lines = [`hub:   ${report.hubUrl}`];
  if (!report.reachable) {
    lines.push(`       unreachable: ${report.error ?? 'no answer'}`);
    return lines.join('\n');
  }

  const version = report.hubVersion ? `hephd ${report.hubVersion}` : 'version unknown';
  const protocol = report.protocol !== null ? `, protocol ${report.protocol}` : '';
  lines.push(`       reachable, ${version}${protocol}`);
  if (report.protocol !== null && report.protocol !== PROTOCOL_VERSION) {
    const older = report.protocol < PROTOCOL_VERSION ? 'the hub' : 'this heph';
    lines.push(`       this heph speaks protocol ${PROTOCOL_VERSION}: update ${older}`);
  }

  const { auth } = report;
  if (auth.state === 'valid') lines.push(`auth:  valid${auth.sub ? `, as ${auth.sub}` : ''}`);
  else if (auth.ok) lines.push(`auth:  not needed (${auth.reason})`);
  else if (auth.state === 'invalid') lines.push(`auth:  not working: ${auth.reason}`);
  if (report.error) lines.push(`error: ${report.error}`);
  return lines.join('\n');
}

function loginSummary(session: Session, tokens: TokenSet | null) {
  const now = session.io.now();
  return {
    hubUrl: session.hubUrl,
    loggedIn: tokens !== null,
    store: session.store?.description ?? null,
    sub: tokens?.sub ?? null,
    issuer: tokens?.issuer ?? null,
    expiresAt: tokens?.expires_at ?? null,
    expired: tokens?.expires_at != null ? tokens.expires_at <= now : false,
    refreshable: Boolean(tokens?.refresh_token),
  };
}

function describeLogin(session: Session, tokens: TokenSet | null): string {
  if (!tokens) return `Not logged in to ${session.hubUrl}.`;

  const summary = loginSummary(session, tokens);
  const expiry =
    summary.expiresAt === null
      ? 'no stated expiry'
      : `${summary.expired ? 'expired' : 'valid until'} ${formatDate(summary.expiresAt)}`;
  const renewal = summary.refreshable
    ? 'renews itself with its refresh token'
    : 'no refresh token: log in again when it expires';
  return [
    `hub:      ${summary.hubUrl}`,
    `account:  ${summary.sub ?? 'unknown'}${summary.issuer ? ` (issuer ${summary.issuer})` : ''}`,
    `access:   ${expiry}`,
    `refresh:  ${renewal}`,
    `kept in:  ${summary.store}`,
  ].join('\n');
}

function requireStore(session: Session) {
  if (!session.store) throw new CliError('usage', 'no login is needed or kept over --socket');
  return session.store;
}

function checkIssuer(session: Session, hub: HubConfig): void {
  const expected = session.config.issuer;
  if (expected && hub.issuer !== expected) {
    throw new CliError(
      'auth',
      `the hub names the issuer ${hub.issuer}, but ${session.configFile} expects ${expected}; refusing to log in`,
    );
  }
}

/** The first login becomes the default hub, unless the owner already chose one. */
async function rememberHub(session: Session): Promise<void> {
  if (session.config.hubUrl || session.io.env.HEPH_HUB_URL) return;
  await updateConfig(session.configFile, { hub_url: session.hubUrl });
  session.io.stdout(`Saved ${session.hubUrl} as the default hub in ${session.configFile}.\n`);
}
