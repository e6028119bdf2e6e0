/**
 * Tokens with chosen claims and keys, for the tests that must be refused: expired, addressed
 * to another audience or issuer, signed by a key the issuer never published, HS256 (the old
 * alg-confusion trick) or unsigned. Defaults mirror the issuer's own access tokens, so a test
 * changes one thing at a time.
 */
import { randomUUID } from 'node:crypto';
import { base64url, type CryptoKey, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export type SigningKey = 'issuer' | 'unknown-kid' | 'forged' | 'hs256' | 'none';

export interface SignTokenOptions {
  /**
   * 'issuer' (default): the issuer's real key and kid. 'unknown-kid': a fresh RSA key under a
   * kid the JWKS does not list. 'forged': a fresh RSA key claiming the issuer's kid. 'hs256':
   * HMAC with a made-up secret, under the issuer's kid. 'none': an unsigned token.
   */
  key?: SigningKey;
  /** Epoch seconds for the default `iat` and `exp`. Default: the current time. */
  now?: number;
  /** Lifetime in seconds when `exp` is not given. Default 3600. */
  ttl?: number;
  /** Extra or replaced protected header parameters. */
  header?: Record<string, unknown>;
}

export interface SignerSetup {
  issuer: string;
  audience: string;
  clientId: string;
  keyId: string;
  privateKey: CryptoKey;
}

export function createTokenSigner(setup: SignerSetup) {
  return async function signToken(
    claims: JWTPayload = {},
    options: SignTokenOptions = {},
  ): Promise<string> {
    const now = options.now ?? Math.floor(Date.now() / 1000);
    const payload = withoutUndefined({
      iss: setup.issuer,
      aud: setup.audience,
      sub: 'test-subject',
      client_id: setup.clientId,
      scope: 'openid offline_access',
      jti: randomUUID(),
      iat: now,
      exp: now + (options.ttl ?? 3600),
      ...claims,
    });
    const key = options.key ?? 'issuer';

    if (key === 'none') {
      const header = { alg: 'none', typ: 'at+jwt', ...options.header };
      return `${encodeJson(header)}.${encodeJson(payload)}.`;
    }

    const { alg, kid, secret } = await signingMaterial(key, setup);
    return new SignJWT(payload)
      .setProtectedHeader({ alg, kid, typ: 'at+jwt', ...options.header })
      .sign(secret);
  };
}

async function signingMaterial(key: Exclude<SigningKey, 'none'>, setup: SignerSetup) {
  switch (key) {
    case 'issuer':
      return { alg: 'RS256', kid: setup.keyId, secret: setup.privateKey };
    case 'unknown-kid':
      return { alg: 'RS256', kid: `unknown-${randomUUID()}`, secret: await freshRsaKey() };
    case 'forged':
      return { alg: 'RS256', kid: setup.keyId, secret: await freshRsaKey() };
    case 'hs256':
      return { alg: 'HS256', kid: setup.keyId, secret: new TextEncoder().encode(randomUUID()) };
  }
}

async function freshRsaKey(): Promise<CryptoKey> {
  return (await generateKeyPair('RS256')).privateKey;
}

function encodeJson(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}

function withoutUndefined(claims: JWTPayload): JWTPayload {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}
