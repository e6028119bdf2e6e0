/**
 * The issuer's discovery document and key set, fetched lazily and kept for the life of the
 * process. A failed fetch is not cached: the next request tries again, so a hub that starts
 * while the issuer is down heals by itself. The key set is jose's remote JWKS, created once
 * so its cache and cooldown work across requests.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

export interface IssuerMetadata {
  issuer: string;
  jwks_uri: string;
  token_endpoint: string;
  device_authorization_endpoint?: string;
}

export type DiscoveryErrorCode = 'issuer_unreachable' | 'issuer_mismatch';

export class DiscoveryError extends Error {
  readonly code: DiscoveryErrorCode;
  readonly data: Record<string, unknown>;

  constructor(code: DiscoveryErrorCode, message: string, data: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DiscoveryError';
    this.code = code;
    this.data = data;
  }
}

export interface IssuerDiscovery {
  metadata(): Promise<IssuerMetadata>;
  keys(): Promise<JWTVerifyGetKey>;
}

export interface DiscoveryOptions {
  /** Per fetch of the discovery document or the key set. Default 5000 ms. */
  timeoutMs?: number;
}

export function discoveryUrl(issuer: string): string {
  const base = issuer.endsWith('/') ? issuer : `${issuer}/`;
  return `${base}.well-known/openid-configuration`;
}

export function createIssuerDiscovery(
  issuer: string,
  options: DiscoveryOptions = {},
): IssuerDiscovery {
  const timeoutMs = options.timeoutMs ?? 5000;
  let pending: Promise<IssuerMetadata> | null = null;
  let keySet: JWTVerifyGetKey | null = null;

  function metadata(): Promise<IssuerMetadata> {
    if (pending) return pending;

    const attempt = fetchMetadata(issuer, timeoutMs);
    pending = attempt;
    attempt.catch(() => {
      if (pending === attempt) pending = null;
    });
    return attempt;
  }

  return {
    metadata,

    async keys() {
      const { jwks_uri } = await metadata();
      keySet ??= createRemoteJWKSet(new URL(jwks_uri), { timeoutDuration: timeoutMs });
      return keySet;
    },
  };
}

async function fetchMetadata(issuer: string, timeoutMs: number): Promise<IssuerMetadata> {
  const url = discoveryUrl(issuer);
  let document: unknown;
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    document = await response.json();
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new DiscoveryError('issuer_unreachable', `cannot read ${url}: ${detail}`, { url });
  }

  if (!isMetadata(document)) {
    throw new DiscoveryError('issuer_unreachable', `${url} is not a discovery document`, { url });
  }

  // Tokens carry the document's issuer; if it differs from ours, none could ever verify.
  if (document.issuer !== issuer) {
    throw new DiscoveryError('issuer_mismatch', 'the issuer names itself differently', {
      configured: issuer,
      announced: document.issuer,
    });
  }
  return document;
}

function isMetadata(value: unknown): value is IssuerMetadata {
  if (typeof value !== 'object' || value === null) return false;

  const document = value as Record<string, unknown>;
  const optional = document.device_authorization_endpoint;
  return (
    typeof document.issuer === 'string' &&
    typeof document.jwks_uri === 'string' &&
    typeof document.token_endpoint === 'string' &&
    (optional === undefined || typeof optional === 'string')
  );
}

const shared = new WeakMap<object, IssuerDiscovery>();

/**
 * One discovery per configuration object, so the middleware and the device relay built from
 * the same config share one document and one key set.
 */
export function discoveryFor(config: object, issuer: string, options?: DiscoveryOptions) {
  let discovery = shared.get(config);
  if (!discovery) {
    discovery = createIssuerDiscovery(issuer, options);
    shared.set(config, discovery);
  }
  return discovery;
}
