/**
 * Device-code login and token refresh, both through the hub's relay
 * (`POST /auth/device`, `POST /auth/token`): the CLI never needs to reach the
 * issuer itself, only the hub. oauth4webapi does the OAuth parts against an
 * AuthorizationServer whose endpoints are the relay's URLs, and whose issuer
 * is the one the hub names in `/config` (it checks the ID token against it).
 */
import * as oauth from 'oauth4webapi';
import { CliError, loginHint } from './errors.ts';
import type { TokenSet, TokenStore } from './token-store.ts';
import { type Transport, transportFetch } from './transport.ts';

/** What the hub's `GET /config` says about itself. */
export interface HubConfig {
  issuer: string | null;
  clientId: string | null;
  audience: string | null;
  authRequired: boolean;
  hubVersion: string | null;
  protocol: number | null;
}

export interface AuthContext {
  hubUrl: string;
  transport: Transport;
  now: () => number;
}

export interface DeviceLoginOptions extends AuthContext {
  hub: HubConfig;
  /** Prints one line for the person logging in. */
  say: (line: string) => void;
  /** Opens the verification link in a browser; absent with --no-browser or none available. */
  openBrowser?: (url: string) => Promise<void>;
  sleep: (ms: number) => Promise<void>;
}

const SCOPES = 'openid offline_access';
/** RFC 8628 §3.5: each slow_down adds five seconds to the polling interval. */
const SLOW_DOWN_STEP_SECONDS = 5;
const DEFAULT_INTERVAL_SECONDS = 5;
/** Refresh this long before expiry, capped at a quarter of the token's lifetime. */
const REFRESH_MARGIN_MS = 30_000;

export async function fetchHubConfig(context: AuthContext): Promise<HubConfig> {
  const answer = await context.transport.send(`${context.hubUrl}/config`, {
    method: 'GET',
    headers: { accept: 'application/json' },
  });
  if (answer.status !== 200) {
    throw new CliError('unreachable', `${context.hubUrl}/config answered ${answer.status}`, {
      status: answer.status,
    });
  }

  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    throw new CliError(
      'unreachable',
      `${context.hubUrl}/config did not answer JSON: is it a heph hub?`,
    );
  }
  return {
    issuer: stringOrNull(body.issuer),
    clientId: stringOrNull(body.clientId),
    audience: stringOrNull(body.audience),
    authRequired: body.authRequired !== false,
    hubVersion: stringOrNull(body.hubVersion),
    protocol: typeof body.protocol === 'number' ? body.protocol : null,
  };
}

/** Runs the whole device flow and returns the new tokens (the caller stores them). */
export async function deviceLogin(options: DeviceLoginOptions): Promise<TokenSet> {
  const parts = oauthParts(options, options.hub);
  const { server, client, http } = parts;

  const started = await oauth.deviceAuthorizationRequest(
    server,
    client,
    oauth.None(),
    { scope: SCOPES },
    http,
  );
  const device = await oauthStep(() =>
    oauth.processDeviceAuthorizationResponse(server, client, started),
  );

  const link = device.verification_uri_complete ?? device.verification_uri;
  options.say(`Open this link to sign in: ${link}`);
  options.say(`and check that it shows the code: ${device.user_code}`);
  if (options.openBrowser) await options.openBrowser(link).catch(() => {});
  options.say('Waiting for approval...');

  return pollDeviceCode(options, parts, device);
}

/** Polls at the given interval (RFC 8628 §3.5) until approval, denial or expiry. */
async function pollDeviceCode(
  options: DeviceLoginOptions,
  { server, client, http }: OauthParts,
  device: oauth.DeviceAuthorizationResponse,
): Promise<TokenSet> {
  const deadline = options.now() + device.expires_in * 1000;
  let interval = device.interval ?? DEFAULT_INTERVAL_SECONDS;

  for (;;) {
    await options.sleep(interval * 1000);
    if (options.now() > deadline) {
      throw new CliError('auth', 'the login code expired before it was approved; run login again');
    }

    const polled = await oauth.deviceCodeGrantRequest(
      server,
      client,
      oauth.None(),
      device.device_code,
      http,
    );
    try {
      const granted = await oauth.processDeviceCodeResponse(server, client, polled);
      return tokenSetFrom(granted, options.now(), options.hub.issuer);
    } catch (error) {
      if (!(error instanceof oauth.ResponseBodyError)) throw oauthFailure(error);
      if (error.error === 'authorization_pending') continue;
      if (error.error === 'slow_down') {
        interval += SLOW_DOWN_STEP_SECONDS;
        continue;
      }
      throw deviceFlowFailure(error);
    }
  }
}

export function needsRefresh(tokens: TokenSet, now: number): boolean {
  if (tokens.expires_at === null) return false;
  const lifetime = tokens.expires_at - tokens.obtained_at;
  const margin = Math.min(REFRESH_MARGIN_MS, Math.max(0, lifetime / 4));
  return now >= tokens.expires_at - margin;
}

/**
 * Trades the refresh token for a new pair and stores it before returning it:
 * refresh tokens rotate, so a pair used but not kept would lock the owner out.
 * Runs under the store's lock, and first re-reads the store: when another heph
 * process renewed the pair meanwhile, its pair is used, because presenting the
 * spent refresh token again would make the issuer revoke the whole grant.
 */
export async function refreshTokens(
  context: AuthContext,
  store: TokenStore,
  tokens: TokenSet,
): Promise<TokenSet> {
  return store.exclusive(async () => {
    const current = await store.load();
    if (current && current.refresh_token !== tokens.refresh_token) return current;
    return redeemRefreshToken(context, store, tokens);
  });
}

async function redeemRefreshToken(
  context: AuthContext,
  store: TokenStore,
  tokens: TokenSet,
): Promise<TokenSet> {
  if (!tokens.refresh_token) {
    throw new CliError(
      'auth',
      `the access token expired and there is no refresh token; ${loginHint(context.hubUrl)}`,
    );
  }

  const hub = await fetchHubConfig(context);
  const { server, client, http } = oauthParts(context, hub);
  const answer = await oauth.refreshTokenGrantRequest(
    server,
    client,
    oauth.None(),
    tokens.refresh_token,
    http,
  );

  let fresh: TokenSet;
  try {
    const granted = await oauth.processRefreshTokenResponse(server, client, answer);
    fresh = tokenSetFrom(granted, context.now(), hub.issuer, tokens.refresh_token);
  } catch (error) {
    throw refreshFailure(context.hubUrl, error);
  }

  await store.save(fresh);
  return fresh;
}

/** Reads `sub`, `iss` and `exp` from a JWT access token without verifying it (display only). */
export function readJwtClaims(token: string): { sub?: string; iss?: string; exp?: number } {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    return {
      sub: typeof claims.sub === 'string' ? claims.sub : undefined,
      iss: typeof claims.iss === 'string' ? claims.iss : undefined,
      exp: typeof claims.exp === 'number' ? claims.exp : undefined,
    };
  } catch {
    return {};
  }
}

type OauthParts = ReturnType<typeof oauthParts>;

function oauthParts(context: AuthContext, hub: HubConfig) {
  if (!hub.issuer || !hub.clientId) {
    throw new CliError(
      'auth',
      `the hub at ${context.hubUrl} has no OIDC issuer configured, so there is nothing to log in to`,
    );
  }

  const server: oauth.AuthorizationServer = {
    issuer: hub.issuer,
    device_authorization_endpoint: `${context.hubUrl}/auth/device`,
    token_endpoint: `${context.hubUrl}/auth/token`,
  };
  const client: oauth.Client = { client_id: hub.clientId };
  const http = {
    [oauth.customFetch]: relayFetch(context),
    // Plain http is allowed only because the owner chose an http:// hub URL
    // (a loopback hub, or a test); https hub URLs stay https all the way.
    [oauth.allowInsecureRequests]: context.hubUrl.startsWith('http://'),
  };
  return { server, client, http };
}

/**
 * The relay's own failures (it cannot reach the issuer, or has none) come in
 * the hub's error shape, not OAuth's; they are told apart here so the owner
 * reads what went wrong instead of an OAuth parse error.
 */
function relayFetch(context: AuthContext) {
  const send = transportFetch(context.transport);
  return async (url: string, init: Parameters<typeof send>[1]): Promise<Response> => {
    const response = await send(url, init);
    if (response.status !== 502 && response.status !== 404) return response;

    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as {
      error?: { code?: unknown };
    } | null;
    const code = body?.error?.code;
    if (code === 'issuer_unreachable') {
      throw new CliError(
        'auth',
        `the hub at ${context.hubUrl} cannot reach its OIDC issuer right now`,
        {
          error: code,
        },
      );
    }
    if (code === 'device_flow_unavailable') {
      throw new CliError('auth', `the hub at ${context.hubUrl} offers no device login`, {
        error: code,
      });
    }
    return response;
  };
}

function tokenSetFrom(
  granted: oauth.TokenEndpointResponse,
  now: number,
  issuer: string | null,
  previousRefreshToken: string | null = null,
): TokenSet {
  const claims = readJwtClaims(granted.access_token);
  const expiresAt =
    typeof granted.expires_in === 'number'
      ? now + granted.expires_in * 1000
      : claims.exp !== undefined
        ? claims.exp * 1000
        : null;

  return {
    access_token: granted.access_token,
    refresh_token: granted.refresh_token ?? previousRefreshToken,
    token_type: granted.token_type,
    expires_at: expiresAt,
    obtained_at: now,
    scope: granted.scope ?? null,
    sub: claims.sub ?? null,
    issuer: claims.iss ?? issuer,
  };
}

async function oauthStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw oauthFailure(error);
  }
}

function oauthFailure(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof oauth.ResponseBodyError) {
    const detail = error.error_description ? `: ${error.error_description}` : '';
    return new CliError('auth', `the login was refused (${error.error}${detail})`, {
      error: error.error,
    });
  }
  return new CliError('auth', `the login failed: ${(error as Error).message}`);
}

function deviceFlowFailure(error: oauth.ResponseBodyError): CliError {
  if (error.error === 'expired_token') {
    return new CliError('auth', 'the login code expired before it was approved; run login again', {
      error: error.error,
    });
  }
  if (error.error === 'access_denied') {
    return new CliError('auth', 'the login was denied at the issuer', { error: error.error });
  }
  return oauthFailure(error);
}

function refreshFailure(hubUrl: string, error: unknown): CliError {
  if (error instanceof CliError && error.code === 'unreachable') return error;
  const reason =
    error instanceof oauth.ResponseBodyError
      ? error.error
      : ((error as Error).message ?? 'unknown');
  return new CliError(
    'auth',
    `the session expired and could not be renewed (${reason}); ${loginHint(hubUrl)}`,
    { error: reason },
  );
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
