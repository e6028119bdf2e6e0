/**
 * Reading a token the owner pasted: a raw access token (a compact JWT) or the
 * JSON the CLI keeps (`access_token`, optional `refresh_token` and
 * `expires_at`). Only the shape and the claims are checked here, offline and
 * without the issuer's keys; the hub's answer to a request with the token is
 * the real test (hub-auth.ts `checkAccessToken`).
 */
import { decodeJwt, type JWTPayload } from 'jose';
import type { StoredTokens } from './token-store.ts';

export type TokenProblem =
  | 'not_a_jwt'
  | 'expired'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'no_subject'
  | 'rejected'
  | 'forbidden'
  | 'hub_unreachable';

export class TokenRefusal extends Error {
  constructor(
    readonly problem: TokenProblem,
    message: string,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'TokenRefusal';
  }
}

export interface ExpectedClaims {
  /** The issuer the hub trusts, exact (trailing slash included); null when unknown. */
  issuer: string | null;
  audience: string | null;
  now: number;
}

/** Tokens read from pasted text; throws TokenRefusal 'not_a_jwt' when it is neither form. */
export function readPastedToken(text: string): StoredTokens {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return readCliJson(trimmed);
  if (!isCompactJwt(trimmed)) throw notAJwt();
  return { accessToken: trimmed };
}

/**
 * The access token's claims, after the checks the hub would make without its
 * keys: `exp` (the hub allows 30 s of drift, so do we), `aud` and `iss`.
 */
export function checkClaims(accessToken: string, expected: ExpectedClaims): JWTPayload {
  const claims = decodeClaims(accessToken);

  if (typeof claims.exp === 'number' && claims.exp * 1000 + 30_000 <= expected.now) {
    const expiredAt = new Date(claims.exp * 1000);
    throw new TokenRefusal('expired', `This token expired on ${formatWhen(expiredAt)}.`, {
      exp: claims.exp,
    });
  }

  const audiences = claims.aud === undefined ? [] : [claims.aud].flat();
  if (expected.audience !== null && !audiences.includes(expected.audience)) {
    const named = audiences.length > 0 ? audiences.join(', ') : 'none';
    throw new TokenRefusal(
      'wrong_audience',
      `This token is for another audience (${named}); this hub expects “${expected.audience}”.`,
      { aud: audiences },
    );
  }

  if (expected.issuer !== null && claims.iss !== expected.issuer) {
    throw new TokenRefusal(
      'wrong_issuer',
      `This token comes from another issuer (${claims.iss ?? 'none'}); this hub trusts ${expected.issuer}.`,
      { iss: claims.iss },
    );
  }

  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw new TokenRefusal('no_subject', 'This token names no account (no “sub” claim).');
  }
  return claims;
}

/** The claims of a compact JWT, or TokenRefusal 'not_a_jwt'. */
export function decodeClaims(accessToken: string): JWTPayload {
  try {
    return decodeJwt(accessToken);
  } catch {
    throw notAJwt();
  }
}

/** Epoch ms of `exp`, when the token carries one. */
export function expiryOf(accessToken: string): number | undefined {
  const exp = decodeClaims(accessToken).exp;
  return typeof exp === 'number' ? exp * 1000 : undefined;
}

function readCliJson(text: string): StoredTokens {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notAJwt();
  }
  const set = cliTokenSet(value);
  if (!set) throw notAJwt();

  const tokens: StoredTokens = { accessToken: set.access_token };
  if (typeof set.refresh_token === 'string' && set.refresh_token !== '') {
    tokens.refreshToken = set.refresh_token;
  }
  if (typeof set.expires_at === 'number') tokens.expiresAt = epochMs(set.expires_at);
  if (typeof set.issuer === 'string') tokens.issuer = set.issuer;
  if (!isCompactJwt(tokens.accessToken)) throw notAJwt();
  return tokens;
}

interface CliTokenSet {
  access_token: string;
  refresh_token?: unknown;
  expires_at?: unknown;
  issuer?: unknown;
}

/** The token set itself, or the one set of a file keyed by hub. */
function cliTokenSet(value: unknown): CliTokenSet | null {
  if (isTokenSet(value)) return value;
  if (typeof value !== 'object' || value === null) return null;
  const nested = Object.values(value).filter(isTokenSet);
  return nested.length === 1 ? (nested[0] as CliTokenSet) : null;
}

function isTokenSet(value: unknown): value is CliTokenSet {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { access_token?: unknown }).access_token === 'string'
  );
}

/** The CLI writes epoch ms; a value that small can only be seconds. */
function epochMs(value: number): number {
  return value < 100_000_000_000 ? value * 1000 : value;
}

function isCompactJwt(text: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text);
}

function notAJwt(): TokenRefusal {
  return new TokenRefusal(
    'not_a_jwt',
    'This is not an access token: paste the token itself (three parts joined by dots) or the JSON the heph CLI keeps.',
  );
}

function formatWhen(date: Date): string {
  return date.toLocaleString([], {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}
