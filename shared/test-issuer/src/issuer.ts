/**
 * A real OpenID Connect issuer for tests: oidc-provider 9 on a loopback port, configured like
 * the production Authentik as far as heph cares. One public client uses the device flow and
 * the refresh-token grant; access tokens are RS256 JWTs (kid set) whose `aud` is the hub's
 * audience; refresh tokens come with `offline_access` and rotate, and a reused one is refused.
 * Any login name is accepted and becomes `sub`.
 *
 * Quirks of oidc-provider this works around:
 * - A resource indicator must be an absolute URI, so the audience ('heph') cannot be one. The
 *   resource is `urn:heph:resource:<audience>` and its server info sets `audience` explicitly.
 * - With `openid` requested and userinfo on, the token endpoint issues an opaque userinfo
 *   token unless the client repeats `resource`; `useGrantedResource` returning true makes it
 *   use the resource granted at device authorization, as Authentik does without asking.
 * - Its built-in memory adapter is shared by every provider in the process and hides codes;
 *   a per-issuer store (memory-store.ts) keeps issuers apart and lets tests expire a code.
 * - The device pages need the session cookie and an xsrf value from the form; the walk in
 *   approveUserCode/denyUserCode follows redirects by hand to keep every cookie.
 * - Presenting a refresh token that was already rotated away revokes the whole grant: the
 *   newest refresh token of that login dies with it (stricter than "a reused one is refused").
 * - It never answers slow_down (the error exists but the device grant does not use it), so
 *   slowDown() makes the next polls of a code answer it, on top of the provider's answer.
 * - The device authorization answer has no `interval`: clients fall back to RFC 8628's 5 s.
 * - Its pages import a Google font; that line is cut from every page, so a browser driven
 *   through them (Playwright) asks nothing of any host but the issuer's loopback port.
 * - It prints a development warning about devInteractions once per process; that is expected.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';
import { approveOnPages, denyOnPages } from './device-pages.ts';
import { TestIssuerError } from './errors.ts';
import { createMemoryStore } from './memory-store.ts';
import { createProvider, DEVICE_CODE_GRANT, type ReceivedForm, SCOPE } from './provider.ts';
import { createTokenSigner, type SignTokenOptions } from './sign.ts';

export type { ReceivedForm } from './provider.ts';

export interface TestIssuerOptions {
  /** The `aud` of access tokens. Default 'heph'. */
  audience?: string;
  /** The public client's id. Default: the audience (as on Authentik). */
  clientId?: string;
  /** Access token lifetime in seconds. Default 3600. */
  accessTokenTtl?: number;
  /** Device code lifetime in seconds. Default 600. */
  deviceCodeTtl?: number;
  /** Refresh token lifetime in seconds. Default 30 days. */
  refreshTokenTtl?: number;
  /** Loopback port to listen on. Default 0 (a free one). */
  port?: number;
  /** Whether the device flow is offered. Default true; false models an issuer without it. */
  deviceFlow?: boolean;
}

export interface TokenSet {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  id_token?: string;
  scope?: string;
}

export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval?: number;
}

export interface TestIssuer {
  /** The issuer identifier, ending with '/'. */
  issuer: string;
  port: number;
  clientId: string;
  audience: string;
  /** The `kid` of the issuer's signing key. */
  keyId: string;
  /** The public half of the signing key, as served by the JWKS endpoint. */
  publicJwk: JWK;
  /** Forms posted to the token and device authorization endpoints, oldest first. */
  received: ReceivedForm[];
  /** Starts a device authorization as the public client would. */
  startDeviceAuthorization(): Promise<DeviceAuthorization>;
  /** A whole device login as `sub`: authorize, approve on the provider's pages, redeem. */
  deviceLogin(sub: string): Promise<TokenSet>;
  /** Approves a user code as `sub` by posting the provider's own device pages. */
  approveUserCode(userCode: string, sub: string): Promise<void>;
  /** Aborts a user code on the provider's confirm page; polling then gets access_denied. */
  denyUserCode(userCode: string): Promise<void>;
  /** Makes a pending device code expired now; polling then gets expired_token. */
  expireDeviceCode(userCode: string): void;
  /** The next `times` polls of a pending device code answer slow_down instead (400). */
  slowDown(deviceCode: string, times?: number): void;
  /** Redeems a refresh token directly at the token endpoint. */
  refresh(refreshToken: string): Promise<TokenSet>;
  /** A JWT with chosen claims, for negative tests; see SignTokenOptions. */
  signToken(claims?: JWTPayload, options?: SignTokenOptions): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const audience = options.audience ?? 'heph';
  const clientId = options.clientId ?? audience;

  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  const issuer = `http://127.0.0.1:${port}/`;

  const keyId = `test-${randomUUID()}`;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid: keyId, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid: keyId, alg: 'RS256', use: 'sig' };

  const store = createMemoryStore();
  const { provider, received, slowDown } = createProvider({
    issuer,
    audience,
    clientId,
    keyId,
    privateJwk,
    store,
    deviceFlow: options.deviceFlow ?? true,
    accessTokenTtl: options.accessTokenTtl ?? 3600,
    deviceCodeTtl: options.deviceCodeTtl ?? 600,
    refreshTokenTtl: options.refreshTokenTtl ?? 30 * 24 * 3600,
  });
  server.on('request', provider.callback());

  const client = createClient(issuer, clientId);
  return {
    issuer,
    port,
    clientId,
    audience,
    keyId,
    publicJwk,
    received,
    startDeviceAuthorization: client.startDeviceAuthorization,
    approveUserCode: (userCode, sub) => approveOnPages(issuer, userCode, sub),
    denyUserCode: (userCode) => denyOnPages(issuer, userCode),

    async deviceLogin(sub) {
      const authorization = await client.startDeviceAuthorization();
      await approveOnPages(issuer, authorization.user_code, sub);
      return client.token({
        grant_type: DEVICE_CODE_GRANT,
        device_code: authorization.device_code,
      });
    },

    expireDeviceCode(userCode) {
      // The provider keeps user codes upper-case without separators.
      const normalized = userCode.toUpperCase().replace(/\W/g, '');
      const now = Math.floor(Date.now() / 1000);
      if (!store.expireDeviceCode(normalized, now)) throw new Error(`no device code ${userCode}`);
    },

    slowDown: (deviceCode, times = 1) => slowDown(deviceCode, times),
    refresh: (refreshToken) =>
      client.token({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    signToken: createTokenSigner({ issuer, audience, clientId, keyId, privateKey }),
    stop: () => close(server),
  };
}

/** The public client's two requests, as a CLI would make them. */
function createClient(issuer: string, clientId: string) {
  const endpoint = (path: string) => new URL(path, issuer).href;

  return {
    async startDeviceAuthorization(): Promise<DeviceAuthorization> {
      const response = await postForm(endpoint('device/auth'), {
        client_id: clientId,
        scope: SCOPE,
      });
      if (!response.ok) throw new Error(`device authorization answered ${response.status}`);
      return (await response.json()) as DeviceAuthorization;
    },

    async token(fields: Record<string, string>): Promise<TokenSet> {
      const response = await postForm(endpoint('token'), { client_id: clientId, ...fields });
      const body = (await response.json()) as Record<string, unknown>;
      if (!response.ok) {
        const message = `token endpoint answered ${response.status}`;
        throw new TestIssuerError('token_refused', message, { status: response.status, body });
      }
      return body as unknown as TokenSet;
    },
  };
}

function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
