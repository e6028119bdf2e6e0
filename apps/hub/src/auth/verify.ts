/**
 * Access-token verification: a JWT signed by one of the issuer's published keys, for our exact
 * issuer string and audience, with an asymmetric algorithm. Every way a token can fail maps to
 * one stable reason code, so clients and tests can tell them apart without reading messages.
 */
import { errors, jwtVerify } from 'jose';
import { DiscoveryError, type IssuerDiscovery } from './discovery.ts';

export type TokenRejection =
  | 'missing_token'
  | 'malformed_token'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'invalid_claims'
  | 'bad_signature'
  | 'unknown_key'
  | 'unsupported_alg';

export type VerifyUnavailable = 'issuer_unreachable' | 'issuer_mismatch';

export type VerifyResult =
  | { ok: true; subject: string }
  | { ok: false; reason: TokenRejection; message: string }
  | { ok: false; reason: VerifyUnavailable; message: string; unavailable: true };

/** HS* and none are refused: a symmetric key would have to be shared with every hub. */
export const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

export const CLOCK_TOLERANCE_SECONDS = 30;

const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export const rejectionMessages: Record<TokenRejection, string> = {
  missing_token: 'a bearer token is required',
  malformed_token: 'the bearer token is not a well-formed JWT',
  expired: 'the token has expired',
  not_yet_valid: 'the token is not valid yet',
  wrong_audience: 'the token is meant for another audience',
  wrong_issuer: 'the token comes from another issuer',
  invalid_claims: 'the token claims are invalid',
  bad_signature: 'the token signature does not verify',
  unknown_key: 'the token is signed with a key the issuer does not publish',
  unsupported_alg: 'the token algorithm is not allowed',
};

export interface TokenVerifier {
  verify(token: string): Promise<VerifyResult>;
}

export function createTokenVerifier(
  discovery: IssuerDiscovery,
  expected: { issuer: string; audience: string },
  now: () => number = Date.now,
): TokenVerifier {
  return {
    async verify(token) {
      if (!compactJws.test(token)) return rejected('malformed_token');

      try {
        const keys = await discovery.keys();
        const { payload } = await jwtVerify(token, keys, {
          issuer: expected.issuer,
          audience: expected.audience,
          algorithms: ALLOWED_ALGORITHMS,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(now()),
          requiredClaims: ['sub', 'exp'],
        });
        return { ok: true, subject: payload.sub as string };
      } catch (error) {
        return classify(error);
      }
    },
  };
}

function rejected(reason: TokenRejection): VerifyResult {
  return { ok: false, reason, message: rejectionMessages[reason] };
}

function classify(error: unknown): VerifyResult {
  if (error instanceof DiscoveryError) {
    return { ok: false, reason: error.code, message: error.message, unavailable: true };
  }

  // Order matters: JWTExpired is a JWTClaimValidationFailed too.
  if (error instanceof errors.JWTExpired) return rejected('expired');
  if (error instanceof errors.JWTClaimValidationFailed) return rejected(claimRejection(error));
  if (error instanceof errors.JOSEAlgNotAllowed) return rejected('unsupported_alg');
  if (error instanceof errors.JWSSignatureVerificationFailed) return rejected('bad_signature');
  if (error instanceof errors.JWKSNoMatchingKey) return rejected('unknown_key');
  if (error instanceof errors.JWKSMultipleMatchingKeys) return rejected('unknown_key');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return unreachable('the issuer key set cannot be read');
  }
  if (error instanceof errors.JOSEError) return rejected('malformed_token');

  // Anything else came from fetching the key set (a refused connection, a reset).
  return unreachable('the issuer key set cannot be fetched');
}

function claimRejection(error: InstanceType<typeof errors.JWTClaimValidationFailed>) {
  if (error.claim === 'aud') return 'wrong_audience';
  if (error.claim === 'iss') return 'wrong_issuer';
  if (error.claim === 'nbf') return 'not_yet_valid';
  return 'invalid_claims';
}

function unreachable(message: string): VerifyResult {
  return { ok: false, reason: 'issuer_unreachable', message, unavailable: true };
}
