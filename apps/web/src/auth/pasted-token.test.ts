import { describe, expect, it } from 'vitest';
import { checkClaims, readPastedToken, TokenRefusal } from './pasted-token.ts';
import { AUDIENCE, ISSUER, testToken } from './test-tokens.ts';

const NOW = 1_800_000_000_000;
const expected = { issuer: ISSUER, audience: AUDIENCE, now: NOW };

function refusal(run: () => unknown): TokenRefusal {
  try {
    run();
  } catch (error) {
    if (error instanceof TokenRefusal) return error;
    throw error;
  }
  throw new Error('expected a TokenRefusal');
}

describe('readPastedToken', () => {
  it('takes a raw JWT, trimmed', () => {
    const token = testToken();
    expect(readPastedToken(`  ${token}\n`)).toEqual({ accessToken: token });
  });

  it('takes the CLI JSON with refresh token and expiry in ms', () => {
    const token = testToken();
    const text = JSON.stringify({ access_token: token, refresh_token: 'r1', expires_at: NOW });
    expect(readPastedToken(text)).toEqual({
      accessToken: token,
      refreshToken: 'r1',
      expiresAt: NOW,
    });
  });

  it('reads expires_at in seconds as seconds', () => {
    const text = JSON.stringify({ access_token: testToken(), expires_at: NOW / 1000 });
    expect(readPastedToken(text).expiresAt).toBe(NOW);
  });

  it('takes the one token set of a file keyed by hub', () => {
    const token = testToken();
    const text = JSON.stringify({ 'https://hub.example': { access_token: token } });
    expect(readPastedToken(text).accessToken).toBe(token);
  });

  it.each([
    ['plain words', 'hello there'],
    ['two parts', 'abc.def'],
    ['broken JSON', '{"access_token": '],
    ['JSON without a token', '{"refresh_token": "r"}'],
    ['JSON whose token is no JWT', '{"access_token": "opaque"}'],
  ])('refuses %s as not_a_jwt', (_name, text) => {
    expect(refusal(() => readPastedToken(text)).problem).toBe('not_a_jwt');
  });
});

describe('checkClaims', () => {
  it('passes a token for this hub and returns its claims', () => {
    expect(checkClaims(testToken({}, NOW), expected).sub).toBe('owner');
  });

  it('refuses an expired token, allowing the hub’s 30 s of drift', () => {
    const exp = Math.floor(NOW / 1000) - 31;
    expect(refusal(() => checkClaims(testToken({ exp }), expected)).problem).toBe('expired');
    const justNow = Math.floor(NOW / 1000) - 29;
    expect(checkClaims(testToken({ exp: justNow }), expected).exp).toBe(justNow);
  });

  it('refuses another audience and names both', () => {
    const error = refusal(() => checkClaims(testToken({ aud: 'other' }), expected));
    expect(error.problem).toBe('wrong_audience');
    expect(error.data).toEqual({ aud: ['other'] });
  });

  it('accepts the audience inside a list', () => {
    expect(checkClaims(testToken({ aud: ['x', AUDIENCE] }), expected).sub).toBe('owner');
  });

  it('refuses another issuer, trailing slash included', () => {
    const error = refusal(() =>
      checkClaims(testToken({ iss: ISSUER.replace(/\/$/, '') }), expected),
    );
    expect(error.problem).toBe('wrong_issuer');
  });

  it('refuses a token without a subject', () => {
    expect(refusal(() => checkClaims(testToken({ sub: undefined }), expected)).problem).toBe(
      'no_subject',
    );
  });

  it('skips the checks the hub’s config leaves open', () => {
    const open = { issuer: null, audience: null, now: NOW };
    expect(checkClaims(testToken({ aud: 'other', iss: 'x' }), open).sub).toBe('owner');
  });
});
