/**
 * The oidc-provider instance behind a test issuer, and the two small Koa middlewares around
 * it: one cuts the external font import from its pages, one records what the token and device
 * endpoints received and, on request, answers slow_down. See issuer.ts for why each setting is
 * what it is.
 */
import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import Provider, { type Configuration, errors } from 'oidc-provider';
import type { MemoryStore } from './memory-store.ts';

export const SCOPE = 'openid offline_access';
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const externalFont = '@import url(https://fonts.googleapis.com/css?family=Roboto:400,100);';

export interface ProviderSettings {
  issuer: string;
  audience: string;
  clientId: string;
  keyId: string;
  privateJwk: JWK;
  store: MemoryStore;
  deviceFlow: boolean;
  accessTokenTtl: number;
  deviceCodeTtl: number;
  refreshTokenTtl: number;
}

/** What the token and device authorization endpoints received, after form decoding. */
export interface ReceivedForm {
  path: string;
  form: Record<string, string | string[]>;
}

export function createProvider(settings: ProviderSettings) {
  const provider = new Provider(settings.issuer, configuration(settings));
  const received: ReceivedForm[] = [];
  const slowDowns = new Map<string, number>();

  provider.use(async (ctx, next) => {
    await next();
    if (typeof ctx.body === 'string' && ctx.body.includes(externalFont)) {
      ctx.body = ctx.body.replaceAll(externalFont, '');
    }
  });

  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.oidc?.body;
    const recorded = ctx.path === '/token' || ctx.path === '/device/auth';
    if (!recorded || ctx.method !== 'POST' || !body) return;

    const form = flat(body);
    received.push({ path: ctx.path, form });

    const code = typeof form.device_code === 'string' ? form.device_code : '';
    const left = slowDowns.get(code) ?? 0;
    const answer = ctx.body as { error?: string } | undefined;
    if (left > 0 && answer?.error === 'authorization_pending') {
      slowDowns.set(code, left - 1);
      ctx.body = { error: 'slow_down', error_description: 'you are polling too quickly' };
    }
  });

  return {
    provider,
    received,
    slowDown: (deviceCode: string, times: number) => slowDowns.set(deviceCode, times),
  };
}

function configuration(settings: ProviderSettings): Configuration {
  const { audience, clientId, keyId, deviceFlow } = settings;
  const resource = `urn:heph:resource:${audience}`;

  return {
    adapter: settings.store.adapterFactory,
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'none',
        grant_types: deviceFlow ? [DEVICE_CODE_GRANT, 'refresh_token'] : ['refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: { keys: [settings.privateJwk] as NonNullable<Configuration['jwks']>['keys'] },
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
            scope: SCOPE,
            audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: settings.accessTokenTtl,
            jwt: { sign: { alg: 'RS256', kid: keyId } },
          };
        },
      },
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: settings.accessTokenTtl,
      DeviceCode: settings.deviceCodeTtl,
      RefreshToken: settings.refreshTokenTtl,
      IdToken: 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: settings.refreshTokenTtl,
    },
  };
}

function flat(body: Record<string, unknown>): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(body)) {
    form[key] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return form;
}
