/** Unsigned JWTs with chosen claims, for the auth unit tests (decoding never verifies). */
import { UnsecuredJWT } from 'jose';

export const ISSUER = 'http://127.0.0.1:9/';
export const AUDIENCE = 'heph';

export function testToken(claims: Record<string, unknown> = {}, nowMs = 1_800_000_000_000): string {
  const now = Math.floor(nowMs / 1000);
  return new UnsecuredJWT({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'owner',
    iat: now,
    exp: now + 3600,
    ...claims,
  }).encode();
}
