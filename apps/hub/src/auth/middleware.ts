/**
 * The bearer-token gate in front of /sync and /rpc. It answers in the hub's error shape
 * ({ error: { code, message, data } }) with RFC 6750's WWW-Authenticate header, and names the
 * reason in `data.reason` so a client can say what is wrong. The issuer being unreachable is
 * the hub's problem, not the caller's: that is a 503, never a 401 that would log people out.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { discoveryFor } from './discovery.ts';
import type { AuthConfig, AuthEnv, AuthOptions } from './types.ts';
import { createTokenVerifier, rejectionMessages, type TokenRejection } from './verify.ts';

export function createAuthMiddleware(
  config: AuthConfig,
  options: AuthOptions = {},
): MiddlewareHandler<AuthEnv> {
  const { issuer } = config;
  if (issuer === null) return async (_c, next) => next();

  const audience = config.audience ?? config.clientId;
  if (audience === null) throw new Error('auth needs an audience (or client id) with an issuer');

  const discovery = discoveryFor(config, issuer, options);
  const verifier = createTokenVerifier(discovery, { issuer, audience }, options.now);
  const authorized = new Set(config.authorizedSubs);
  const logger = options.logger;

  return async (c, next) => {
    const header = c.req.header('authorization');
    const token = bearerToken(header);
    if (token === null) {
      return unauthorized(c, /^Bearer\b/i.test(header ?? '') ? 'malformed_token' : 'missing_token');
    }

    const result = await verifier.verify(token);
    if (!result.ok && 'unavailable' in result) {
      logger?.warn({ reason: result.reason, detail: result.message }, 'cannot verify tokens');
      return c.json(
        {
          error: {
            code: result.reason,
            message: 'the hub cannot reach its issuer to check the token',
            data: { reason: result.reason },
          },
        },
        503,
      );
    }
    if (!result.ok) {
      logger?.debug({ reason: result.reason, path: c.req.path }, 'token refused');
      return unauthorized(c, result.reason);
    }

    if (authorized.size > 0 && !authorized.has(result.subject)) {
      logger?.debug({ sub: result.subject, path: c.req.path }, 'subject not authorized');
      const message = 'this account is not allowed on this hub';
      return c.json({ error: { code: 'forbidden', message, data: { sub: result.subject } } }, 403);
    }

    c.set('subject', result.subject);
    await next();
  };
}

/** The token of an `Authorization: Bearer <token>` header; null when there is none. */
export function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer[ ]+(\S+)[ ]*$/i);
  return match?.[1] ?? null;
}

function unauthorized(c: Context, reason: TokenRejection) {
  const message = rejectionMessages[reason];
  const error = reason === 'missing_token' ? 'invalid_request' : 'invalid_token';
  c.header(
    'WWW-Authenticate',
    `Bearer realm="heph", error="${error}", error_description="${message}"`,
  );
  return c.json({ error: { code: 'unauthorized', message, data: { reason } } }, 401);
}
