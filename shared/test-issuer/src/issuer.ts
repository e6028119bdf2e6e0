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
 * - Its pages import a Google font; that line is cut from every page, so a browser driven
 *   through them (Playwright) asks nothing of any host but the issuer's loopback port.
 * - It prints a development warning about devInteractions once per process; that is expected.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';
import Provider, { type Configuration, errors } from 'oidc-provider';
import { createBrowser, type Page, readForms } from './browser.ts';
import { createMemoryStore } from './memory-store.ts';
import { createTokenSigner, type SignTokenOptions } from './sign.ts';

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

/** What the issuer's token and device endpoints received, after form decoding. */
export interface ReceivedForm {
  path: string;
  form: Record<string, string | string[]>;
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

export type TestIssuerErrorCode = 'user_code_rejected' | 'unexpected_page' | 'token_refused';

export class TestIssuerError extends Error {
  readonly code: TestIssuerErrorCode;
  readonly data: Record<string, unknown>;

  constructor(code: TestIssuerErrorCode, message: string, data: Record<string, unknown> = {}) {
    super(message);
    this.name = 'TestIssuerError';
    this.code = code;
    this.data = data;
  }
}

const scope = 'openid offline_access';
const externalFont = '@import url(https://fonts.googleapis.com/css?family=Roboto:400,100);';
const deviceCodeGrant = 'urn:ietf:params:oauth:grant-type:device_code';

export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const audience = options.audience ?? 'heph';
  const clientId = options.clientId ?? audience;
  const resource = `urn:heph:resource:${audience}`;
  const deviceFlow = options.deviceFlow ?? true;

  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  const issuer = `http://127.0.0.1:${port}/`;

  const keyId = `test-${randomUUID()}`;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid: keyId, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid: keyId, alg: 'RS256', use: 'sig' };

  const store = createMemoryStore();
  const provider = new Provider(issuer, {
    adapter: store.adapterFactory,
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'none',
        grant_types: deviceFlow ? [deviceCodeGrant, 'refresh_token'] : ['refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: { keys: [privateJwk] as NonNullable<Configuration['jwks']>['keys'] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'offline_access'],
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: deviceFlow },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget();
          return {
            scope,
            audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: options.accessTokenTtl ?? 3600,
            jwt: { sign: { alg: 'RS256', kid: keyId } },
          };
        },
      },
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: options.accessTokenTtl ?? 3600,
      DeviceCode: options.deviceCodeTtl ?? 600,
      RefreshToken: options.refreshTokenTtl ?? 30 * 24 * 3600,
      IdToken: 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 30 * 24 * 3600,
    },
  });

  provider.use(async (ctx, next) => {
    await next();
    if (typeof ctx.body === 'string' && ctx.body.includes(externalFont)) {
      ctx.body = ctx.body.replaceAll(externalFont, '');
    }
  });

  const received: ReceivedForm[] = [];
  const slowDowns = new Map<string, number>();
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.oidc?.body;
    const recorded = ctx.path === '/token' || ctx.path === '/device/auth';
    if (!recorded || ctx.method !== 'POST' || !body) return;

    const form = flat(body);
    received.push({ path: ctx.path, form });

    // oidc-provider never answers slow_down itself; tests ask for it with slowDown().
    const code = typeof form.device_code === 'string' ? form.device_code : '';
    const left = slowDowns.get(code) ?? 0;
    if (
      left > 0 &&
      (ctx.body as { error?: string } | undefined)?.error === 'authorization_pending'
    ) {
      slowDowns.set(code, left - 1);
      ctx.body = { error: 'slow_down', error_description: 'you are polling too quickly' };
    }
  });
  server.on('request', provider.callback());

  const endpoint = (path: string) => new URL(path, issuer).href;

  async function tokenRequest(fields: Record<string, string>): Promise<TokenSet> {
    const response = await postForm(endpoint('token'), { client_id: clientId, ...fields });
    const body = (await response.json()) as Record<string, unknown>;
    if (!response.ok) {
      throw new TestIssuerError('token_refused', `token endpoint answered ${response.status}`, {
        status: response.status,
        body,
      });
    }
    return body as unknown as TokenSet;
  }

  async function startDeviceAuthorization(): Promise<DeviceAuthorization> {
    const response = await postForm(endpoint('device/auth'), { client_id: clientId, scope });
    if (!response.ok) throw new Error(`device authorization answered ${response.status}`);
    return (await response.json()) as DeviceAuthorization;
  }

  async function openConfirmPage(userCode: string) {
    const browser = createBrowser();
    const inputPage = await browser.get(endpoint('device'));
    const inputForm = findForm(inputPage, 'xsrf');
    const confirmPage = await browser.post(inputForm.action, {
      ...inputForm.fields,
      user_code: userCode,
    });

    const confirmForm = readForms(confirmPage).find((form) => form.fields.confirm === 'yes');
    if (!confirmForm) {
      throw new TestIssuerError('user_code_rejected', 'the provider did not accept the user code', {
        userCode,
      });
    }
    return { browser, confirmForm };
  }

  async function approveUserCode(userCode: string, sub: string): Promise<void> {
    const { browser, confirmForm } = await openConfirmPage(userCode);
    let page = await browser.post(confirmForm.action, confirmForm.fields);

    // Login, then consent; each answer redirects through the device resume to the next page.
    for (let step = 0; step < 4; step++) {
      if (page.html.includes('<title>Sign-in Success</title>')) return;

      const form = findForm(page, 'prompt');
      if (form.fields.prompt === 'login') {
        page = await browser.post(form.action, { prompt: 'login', login: sub, password: 'test' });
      } else if (form.fields.prompt === 'consent') {
        page = await browser.post(form.action, { prompt: 'consent' });
      } else {
        throw unexpectedPage(page);
      }
    }
    throw unexpectedPage(page);
  }

  async function denyUserCode(userCode: string): Promise<void> {
    const { browser, confirmForm } = await openConfirmPage(userCode);
    const { confirm: _confirm, ...fields } = confirmForm.fields;
    const page = await browser.post(confirmForm.action, { ...fields, abort: 'yes' });
    if (!page.html.includes('interrupted')) throw unexpectedPage(page);
  }

  return {
    issuer,
    port,
    clientId,
    audience,
    keyId,
    publicJwk,
    received,
    startDeviceAuthorization,
    approveUserCode,
    denyUserCode,

    async deviceLogin(sub) {
      const authorization = await startDeviceAuthorization();
      await approveUserCode(authorization.user_code, sub);
      return tokenRequest({ grant_type: deviceCodeGrant, device_code: authorization.device_code });
    },

    expireDeviceCode(userCode) {
      const normalized = userCode.toUpperCase().replace(/\W/g, '');
      const now = Math.floor(Date.now() / 1000);
      if (!store.expireDeviceCode(normalized, now)) throw new Error(`no device code ${userCode}`);
    },

    slowDown(deviceCode, times = 1) {
      slowDowns.set(deviceCode, times);
    },

    refresh: (refreshToken) =>
      tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }),

    signToken: createTokenSigner({ issuer, audience, clientId, keyId, privateKey }),

    stop: () => close(server),
  };
}

function findForm(page: Page, field: string) {
  const form = readForms(page).find((candidate) => field in candidate.fields);
  if (!form) throw unexpectedPage(page);
  return form;
}

function unexpectedPage(page: Page): TestIssuerError {
  const title = page.html.match(/<title>([^<]*)<\/title>/)?.[1] ?? '';
  return new TestIssuerError('unexpected_page', `unexpected provider page "${title}"`, {
    url: page.url,
    status: page.status,
    title,
  });
}

function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

function flat(body: Record<string, unknown>): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(body)) {
    form[key] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return form;
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
