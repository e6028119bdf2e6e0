/**
 * The device-login relay. Authentik's device endpoint sends no CORS headers, so the PWA asks
 * the hub, and the hub asks the issuer: POST /auth/device starts a device authorization with
 * our client id and the fixed scopes, POST /auth/token polls the device code or redeems a
 * refresh token. The issuer's answers, errors included, pass through unchanged (status,
 * content type and bytes); only failures to reach it are the hub's own, in the hub's error
 * shape. Parameters are re-encoded with URLSearchParams, which percent-encodes `+ # & ' "`,
 * so a device code reaches the issuer exactly as the client sent it.
 */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DiscoveryError, discoveryFor, type IssuerMetadata } from './discovery.ts';
import type { AuthConfig, AuthOptions } from './types.ts';

export const DEVICE_SCOPES = 'openid offline_access';
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const maxBodyBytes = 16 * 1024;

type RelayErrorCode = 'issuer_unreachable' | 'device_flow_unavailable' | 'body_too_large';

export function createDeviceRelay(config: AuthConfig, options: AuthOptions = {}): Hono {
  const relay = new Hono();
  const { issuer } = config;
  const clientId = config.clientId ?? config.audience;
  const timeoutMs = options.timeoutMs ?? 5000;

  if (issuer === null || clientId === null) {
    const message = 'this hub has no OIDC issuer configured';
    relay.post('/auth/*', (c) => relayError(c, 404, 'device_flow_unavailable', message));
    return relay;
  }

  const discovery = discoveryFor(config, issuer, options);
  const forward = async (c: Context, url: string, fields: [string, string][]) => {
    const answer = await forwardForm(url, fields, timeoutMs);
    if (answer) return answer;

    options.logger?.warn({ endpoint: url }, 'issuer unreachable');
    return unreachable(c);
  };

  relay.post('/auth/device', async (c) => {
    const metadata = await metadataOrError(c);
    if (metadata instanceof Response) return metadata;

    const endpoint = metadata.device_authorization_endpoint;
    if (endpoint === undefined) {
      const message = 'the issuer offers no device authorization endpoint';
      return relayError(c, 404, 'device_flow_unavailable', message);
    }

    return forward(c, endpoint, [
      ['client_id', clientId],
      ['scope', DEVICE_SCOPES],
    ]);
  });

  relay.post('/auth/token', bodyLimit({ maxSize: maxBodyBytes, onError: tooLarge }), async (c) => {
    const grant = await readTokenGrant(c);
    if ('error' in grant) return c.json(grant, 400);

    const metadata = await metadataOrError(c);
    if (metadata instanceof Response) return metadata;

    return forward(c, metadata.token_endpoint, [...grant.fields, ['client_id', clientId]]);
  });

  async function metadataOrError(c: Context): Promise<IssuerMetadata | Response> {
    try {
      return await discovery.metadata();
    } catch (error) {
      if (!(error instanceof DiscoveryError)) throw error;
      options.logger?.warn({ reason: error.code, detail: error.message }, 'issuer unavailable');
      return unreachable(c, error.code);
    }
  }

  return relay;
}

/** Posts a form and returns the answer as it came; null when the issuer cannot be reached. */
async function forwardForm(
  url: string,
  fields: [string, string][],
  timeoutMs: number,
): Promise<Response | null> {
  try {
    const upstream = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await upstream.arrayBuffer();
    const headers = new Headers({ 'cache-control': 'no-store' });
    for (const name of ['content-type', 'www-authenticate']) {
      const value = upstream.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    return new Response(body, { status: upstream.status, headers });
  } catch {
    return null;
  }
}

type TokenGrant = { fields: [string, string][] } | { error: string; error_description: string };

/** The grant to forward: form or JSON in, only the parameters the grant needs out. */
async function readTokenGrant(c: Context): Promise<TokenGrant> {
  const params = await readParams(c);
  if (params === null) return invalidRequest('send a form or a JSON object of strings');

  const grantType = params.get('grant_type');
  if (grantType === DEVICE_CODE_GRANT) return grantWith(params, grantType, 'device_code');
  if (grantType === 'refresh_token') return grantWith(params, grantType, 'refresh_token');

  return {
    error: 'unsupported_grant_type',
    error_description: `grant_type must be ${DEVICE_CODE_GRANT} or refresh_token`,
  };
}

function grantWith(params: Map<string, string>, grantType: string, name: string): TokenGrant {
  const value = params.get(name);
  if (value === undefined || value === '') return invalidRequest(`${name} is required`);
  return {
    fields: [
      ['grant_type', grantType],
      [name, value],
    ],
  };
}

async function readParams(c: Context): Promise<Map<string, string> | null> {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();

  if (type === 'application/json') {
    const body: unknown = await c.req.json().catch(() => null);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    const entries = Object.entries(body);
    if (entries.some(([, value]) => typeof value !== 'string')) return null;
    return new Map(entries as [string, string][]);
  }

  if (type === undefined || type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(await c.req.text());
    const params = new Map<string, string>();
    for (const [name, value] of form) {
      if (params.has(name)) return null;
      params.set(name, value);
    }
    return params;
  }

  return null;
}

function invalidRequest(description: string): TokenGrant {
  return { error: 'invalid_request', error_description: description };
}

function relayError(
  c: Context,
  status: 404 | 413 | 502,
  code: RelayErrorCode,
  message: string,
  data?: Record<string, unknown>,
) {
  return c.json({ error: { code, message, ...(data && { data }) } }, status);
}

/** `reason` tells a refused connection (issuer_unreachable) from a misnamed issuer. */
function unreachable(c: Context, reason = 'issuer_unreachable') {
  return relayError(c, 502, 'issuer_unreachable', 'the hub cannot reach the issuer', { reason });
}

function tooLarge(c: Context) {
  return relayError(c, 413, 'body_too_large', `the body is larger than ${maxBodyBytes} bytes`);
}
