/**
 * The hub's sign-in surface as the browser sees it: `/config` names the
 * issuer and client, and the hub relays device login and refresh to the
 * issuer (`/auth/device`, `/auth/token`), because Authentik's endpoints send
 * no CORS headers and the PWA's CSP allows only its own origin anyway.
 *
 * oauth4webapi does the OAuth parts against an AuthorizationServer whose
 * endpoints are those relay URLs and whose issuer is the real one, so the ID
 * token that comes back is still checked against the issuer the hub trusts.
 * Every outcome is a value with a stable code: a failed login is a state the
 * screen shows, not an exception.
 */
import { PROTOCOL_VERSION } from '@heph/oplog';
import * as oauth from 'oauth4webapi';
import { checkClaims, expiryOf, TokenRefusal } from './pasted-token.ts';
import type { StoredTokens } from './token-store.ts';

export const DEVICE_SCOPES = 'openid offline_access';
/** RFC 8628's default when the provider names no interval. */
export const DEFAULT_INTERVAL_S = 5;

export interface HubConfig {
  issuer: string | null;
  clientId: string | null;
  audience: string | null;
  authRequired: boolean;
}

export type AuthFailureCode =
  /** The hub itself cannot be reached. */
  | 'hub_unreachable'
  /** The hub cannot reach its issuer (502 issuer_unreachable). */
  | 'issuer_unreachable'
  /** No device flow: the issuer lacks it, or the hub has no issuer (404). */
  | 'device_flow_unavailable'
  /** The hub runs without sign-in. */
  | 'auth_disabled'
  | 'expired_token'
  | 'access_denied'
  | 'invalid_grant'
  | 'bad_response';

export interface AuthFailure {
  ok: false;
  code: AuthFailureCode;
  /** The OAuth error or hub reason behind the code, for the log and tests. */
  detail?: string;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  /** Epoch ms when the code dies. */
  expiresAt: number;
  intervalMs: number;
}

export type DevicePoll =
  | { ok: true; tokens: StoredTokens }
  | { ok: false; code: 'authorization_pending' | 'slow_down' }
  | AuthFailure;

type AccessCheck =
  | { ok: true }
  | { ok: false; problem: 'rejected' | 'forbidden' | 'hub_unreachable'; reason: string };

export interface HubAuthOptions {
  hubUrl: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/** One hub's sign-in endpoints. Cheap to create; fetches /config once per instance. */
export class HubAuth {
  readonly hubUrl: string;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  #config: Promise<HubConfig> | null = null;

  constructor(options: HubAuthOptions) {
    this.hubUrl = new URL(options.hubUrl).origin;
    const baseFetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#fetch = baseFetch;
    this.#now = options.now ?? (() => Date.now());
  }

  /** The hub's /config; a failed fetch is retried on the next call. */
  config(): Promise<HubConfig> {
    this.#config ??= this.#loadConfig().catch((error: unknown) => {
      this.#config = null;
      throw error;
    });
    return this.#config;
  }

  async startDeviceLogin(): Promise<DeviceAuthorization | AuthFailure> {
    const setup = await this.#setup();
    if ('ok' in setup) return setup;
    const { as, client } = setup;

    const response = await this.#send(() =>
      oauth.deviceAuthorizationRequest(
        as,
        client,
        oauth.None(),
        { scope: DEVICE_SCOPES },
        this.#requestOptions(),
      ),
    );
    if (!(response instanceof Response)) return response;
    const hubFailure = await hubError(response);
    if (hubFailure) return hubFailure;

    try {
      const answer = await oauth.processDeviceAuthorizationResponse(as, client, response);
      return {
        deviceCode: answer.device_code,
        userCode: answer.user_code,
        verificationUri: answer.verification_uri,
        verificationUriComplete: answer.verification_uri_complete ?? answer.verification_uri,
        expiresAt: this.#now() + answer.expires_in * 1000,
        intervalMs: (answer.interval ?? DEFAULT_INTERVAL_S) * 1000,
      };
    } catch (error) {
      return oauthFailure(error);
    }
  }

  /** One poll of the token endpoint for a device code. */
  async pollDeviceLogin(deviceCode: string): Promise<DevicePoll> {
    const setup = await this.#setup();
    if ('ok' in setup) return setup;
    const { as, client, config } = setup;

    const response = await this.#send(() =>
      oauth.deviceCodeGrantRequest(as, client, oauth.None(), deviceCode, this.#requestOptions()),
    );
    if (!(response instanceof Response)) return response;
    const hubFailure = await hubError(response);
    if (hubFailure) return hubFailure;

    try {
      const answer = await oauth.processDeviceCodeResponse(as, client, response);
      return { ok: true, tokens: this.#tokensFrom(answer, config, undefined) };
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError) {
        if (error.error === 'authorization_pending' || error.error === 'slow_down') {
          return { ok: false, code: error.error };
        }
      }
      return oauthFailure(error);
    }
  }

  /** Redeems the refresh token for a new pair (the old refresh token is then dead). */
  async refresh(tokens: StoredTokens): Promise<{ ok: true; tokens: StoredTokens } | AuthFailure> {
    if (!tokens.refreshToken)
      return { ok: false, code: 'invalid_grant', detail: 'no_refresh_token' };
    const setup = await this.#setup();
    if ('ok' in setup) return setup;
    const { as, client, config } = setup;

    const response = await this.#send(() =>
      oauth.refreshTokenGrantRequest(
        as,
        client,
        oauth.None(),
        tokens.refreshToken as string,
        this.#requestOptions(),
      ),
    );
    if (!(response instanceof Response)) return response;
    const hubFailure = await hubError(response);
    if (hubFailure) return hubFailure;

    try {
      const answer = await oauth.processRefreshTokenResponse(as, client, response);
      return { ok: true, tokens: this.#tokensFrom(answer, config, tokens.refreshToken) };
    } catch (error) {
      return oauthFailure(error);
    }
  }

  /**
   * Checks an access token locally (shape, expiry, audience, issuer), then
   * against the hub with a pull that can carry no data (a cursor past the
   * end only earns a reset answer). Throws TokenRefusal with the reason.
   */
  async checkAccessToken(accessToken: string): Promise<{ subject: string }> {
    let config: HubConfig | null = null;
    try {
      config = await this.config();
    } catch {
      throw new TokenRefusal('hub_unreachable', `Cannot reach the hub at ${this.hubUrl}.`);
    }
    const claims = checkClaims(accessToken, {
      issuer: config.issuer,
      audience: config.audience,
      now: this.#now(),
    });

    const answer = await this.#probe(accessToken);
    if (answer.ok) return { subject: claims.sub as string };
    if (answer.problem === 'forbidden') {
      throw new TokenRefusal(
        'forbidden',
        `This account (${claims.sub}) is not allowed on this hub.`,
        { sub: claims.sub },
      );
    }
    if (answer.problem === 'hub_unreachable') {
      throw new TokenRefusal('hub_unreachable', `Cannot reach the hub at ${this.hubUrl}.`);
    }
    throw new TokenRefusal('rejected', `The hub refused this token (${answer.reason}).`, {
      reason: answer.reason,
    });
  }

  /**
   * Checks pasted tokens; an expired access token that came with a refresh
   * token (the CLI's JSON after a while) is refreshed first, and the new pair
   * is what gets checked and returned.
   */
  async checkPastedTokens(
    tokens: StoredTokens,
  ): Promise<{ tokens: StoredTokens; subject: string }> {
    try {
      const { subject } = await this.checkAccessToken(tokens.accessToken);
      return { tokens, subject };
    } catch (error) {
      const expired = error instanceof TokenRefusal && error.problem === 'expired';
      if (!expired || !tokens.refreshToken) throw error;
      const refreshed = await this.refresh(tokens);
      if (!refreshed.ok) throw error;
      const { subject } = await this.checkAccessToken(refreshed.tokens.accessToken);
      return { tokens: refreshed.tokens, subject };
    }
  }

  async #probe(accessToken: string): Promise<AccessCheck> {
    let response: Response;
    try {
      response = await this.#fetch(new URL('/sync/pull', this.hubUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({
          protocol: PROTOCOL_VERSION,
          origin: 'signincheck',
          cursor: Number.MAX_SAFE_INTEGER,
          hubId: null,
          limit: 1,
        }),
        cache: 'no-store',
      });
    } catch {
      return { ok: false, problem: 'hub_unreachable', reason: 'unreachable' };
    }
    if (response.ok) return { ok: true };

    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; data?: { reason?: string } };
    } | null;
    if (response.status === 403) return { ok: false, problem: 'forbidden', reason: 'forbidden' };
    if (response.status === 401) {
      return {
        ok: false,
        problem: 'rejected',
        reason: body?.error?.data?.reason ?? 'unauthorized',
      };
    }
    return {
      ok: false,
      problem: 'rejected',
      reason: body?.error?.code ?? `HTTP ${response.status}`,
    };
  }

  async #loadConfig(): Promise<HubConfig> {
    const response = await this.#fetch(new URL('/config', this.hubUrl), { cache: 'no-store' });
    if (!response.ok) throw new Error(`the hub's /config answered ${response.status}`);
    const body = (await response.json()) as Partial<HubConfig>;
    return {
      issuer: typeof body.issuer === 'string' ? body.issuer : null,
      clientId: typeof body.clientId === 'string' ? body.clientId : null,
      audience: typeof body.audience === 'string' ? body.audience : null,
      authRequired: body.authRequired === true,
    };
  }

  async #setup(): Promise<
    { as: oauth.AuthorizationServer; client: oauth.Client; config: HubConfig } | AuthFailure
  > {
    let config: HubConfig;
    try {
      config = await this.config();
    } catch {
      return { ok: false, code: 'hub_unreachable' };
    }
    if (!config.authRequired || config.issuer === null || config.clientId === null) {
      return { ok: false, code: 'auth_disabled' };
    }
    const as: oauth.AuthorizationServer = {
      issuer: config.issuer,
      device_authorization_endpoint: new URL('/auth/device', this.hubUrl).href,
      token_endpoint: new URL('/auth/token', this.hubUrl).href,
    };
    return { as, client: { client_id: config.clientId }, config };
  }

  #requestOptions() {
    return {
      [oauth.customFetch]: this.#fetch,
      // The relay is the page's own hub; on a loopback or LAN hub that is plain http.
      [oauth.allowInsecureRequests]: new URL(this.hubUrl).protocol === 'http:',
    };
  }

  async #send(request: () => Promise<Response>): Promise<Response | AuthFailure> {
    try {
      return await request();
    } catch {
      return { ok: false, code: 'hub_unreachable' };
    }
  }

  #tokensFrom(
    answer: oauth.TokenEndpointResponse,
    config: HubConfig,
    previousRefreshToken: string | undefined,
  ): StoredTokens {
    const tokens: StoredTokens = { accessToken: answer.access_token };
    const expiresAt =
      typeof answer.expires_in === 'number'
        ? this.#now() + answer.expires_in * 1000
        : safeExpiry(answer.access_token);
    if (expiresAt !== undefined) tokens.expiresAt = expiresAt;
    const refreshToken = answer.refresh_token ?? previousRefreshToken;
    if (refreshToken) tokens.refreshToken = refreshToken;
    if (answer.id_token) tokens.idToken = answer.id_token;
    if (config.issuer) tokens.issuer = config.issuer;
    return tokens;
  }
}

/** The hub's own error shape (not OAuth's): a relay failure. Null for anything else. */
async function hubError(response: Response): Promise<AuthFailure | null> {
  if (response.ok) return null;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { error?: unknown } | null;
  const error = body?.error;
  if (error === 'auth_disabled') return { ok: false, code: 'auth_disabled' };
  if (typeof error !== 'object' || error === null) return null;

  const code = (error as { code?: unknown }).code;
  if (code === 'issuer_unreachable') return { ok: false, code: 'issuer_unreachable' };
  if (code === 'device_flow_unavailable') return { ok: false, code: 'device_flow_unavailable' };
  return { ok: false, code: 'bad_response', detail: typeof code === 'string' ? code : undefined };
}

function oauthFailure(error: unknown): AuthFailure {
  if (error instanceof oauth.ResponseBodyError) {
    if (error.error === 'expired_token') return { ok: false, code: 'expired_token' };
    if (error.error === 'access_denied') return { ok: false, code: 'access_denied' };
    if (error.error === 'invalid_grant') return { ok: false, code: 'invalid_grant' };
    return { ok: false, code: 'bad_response', detail: error.error };
  }
  if (error instanceof oauth.OperationProcessingError) {
    const status = (error.cause as Response | undefined)?.status;
    if (status === 404) return { ok: false, code: 'device_flow_unavailable', detail: error.code };
    return { ok: false, code: 'bad_response', detail: error.code };
  }
  return { ok: false, code: 'bad_response' };
}

function safeExpiry(accessToken: string): number | undefined {
  try {
    return expiryOf(accessToken);
  } catch {
    return undefined;
  }
}
