/**
 * Structured logs: one JSON line per request (method, path, status, duration,
 * request id), plus the hub's own start and stop lines. Headers are never
 * logged, so an Authorization header or a token cannot reach the log; the
 * query string is dropped too, since it is the other place a secret could ride.
 */
import type { MiddlewareHandler } from 'hono';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

export function createLogger(destination?: DestinationStream, level = 'info'): Logger {
  const options = { base: { service: 'hephd' }, level };
  return destination ? pino(options, destination) : pino(options);
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function createRequestLog(
  logger: Logger,
  options: { now: () => number; newRequestId: () => string },
): MiddlewareHandler {
  return async (c, next) => {
    const started = options.now();
    const offered = c.req.header('x-request-id');
    const requestId =
      offered && REQUEST_ID_PATTERN.test(offered) ? offered : options.newRequestId();

    await next();

    c.header('X-Request-Id', requestId);
    const status = c.res.status;
    const line = {
      reqId: requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      ms: options.now() - started,
    };
    if (status >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
  };
}
