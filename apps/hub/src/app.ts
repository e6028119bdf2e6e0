/**
 * The hub's HTTP surface as one Hono app, built from injected parts so that
 * tests drive it in-process with `app.request()` and the server only adds a
 * socket. Order matters: the request log wraps everything; the body limit
 * runs before a body is read; auth guards /sync and /rpc but not /config,
 * /healthz, the device relay or the PWA shell.
 */

import type { CommandContext } from '@heph/oplog';
import { MAX_BODY_BYTES, PROTOCOL_VERSION, RPC_ERRORS } from '@heph/oplog';
import { type Context, Hono, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AuthMount } from './auth-mount.ts';
import type { AuthConfig } from './config.ts';
import { type Hub, stamp } from './hub.ts';
import { createRequestLog, type Logger } from './log.ts';
import { createRpcRoutes } from './rpc.ts';
import { createStaticHandler } from './static.ts';
import { createSyncRoutes, SyncError, syncErrorResponse } from './sync.ts';

export interface HubAppOptions {
  hub: Hub;
  auth: AuthMount;
  authConfig: AuthConfig;
  webRoot: string;
  logger: Logger;
  version: string;
  timeZone: string;
  newId: () => string;
  newRequestId: () => string;
  /** Largest body read; MAX_BODY_BYTES unless a test lowers it. */
  maxBodyBytes?: number;
}

export function createHubApp(options: HubAppOptions): Hono {
  const { hub, auth, logger } = options;
  const app = new Hono();
  const maxSize = options.maxBodyBytes ?? MAX_BODY_BYTES;

  app.use('*', createRequestLog(logger, { now: hub.now, newRequestId: options.newRequestId }));

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/config', (c) =>
    c.json({
      issuer: options.authConfig.issuer,
      clientId: options.authConfig.clientId,
      audience: options.authConfig.audience,
      authRequired: auth.required,
      hubVersion: options.version,
      protocol: PROTOCOL_VERSION,
    }),
  );
  app.route('/', auth.relay);

  app.use('/sync/*', stampErrors(hub), auth.middleware);
  app.use(
    '/sync/*',
    bodyLimit({
      maxSize,
      onError: (c) => {
        const message = `the body is larger than ${maxSize} bytes`;
        return syncErrorResponse(hub, c, new SyncError('body_too_large', 413, message));
      },
    }),
  );
  app.route('/sync', createSyncRoutes(hub, logger));

  app.use('/rpc', auth.middleware, rpcBodyLimit(maxSize));
  app.route('/rpc', createRpcRoutes({ context: () => commandContext(options), logger }));

  app.all('*', createStaticHandler(options.webRoot));
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json({ error: { code: 'internal', message: 'the hub failed' } }, 500);
  });
  return app;
}

/** The /rpc routes alone, for the owner-only Unix socket (no token there). */
export function createSocketApp(options: HubAppOptions): Hono {
  const app = new Hono();
  const maxSize = options.maxBodyBytes ?? MAX_BODY_BYTES;
  app.use(
    '*',
    createRequestLog(options.logger, {
      now: options.hub.now,
      newRequestId: options.newRequestId,
    }),
  );
  app.use('/rpc', rpcBodyLimit(maxSize));
  app.route(
    '/rpc',
    createRpcRoutes({ context: () => commandContext(options), logger: options.logger }),
  );
  app.all('*', (c) =>
    c.json({ error: { code: 'not_found', message: 'only /rpc is served here' } }, 404),
  );
  return app;
}

function commandContext(options: HubAppOptions): CommandContext {
  return {
    replica: options.hub.replica,
    now: options.hub.now,
    timeZone: options.timeZone,
    newId: options.newId,
  };
}

function rpcBodyLimit(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      c.json(
        {
          jsonrpc: '2.0',
          id: null,
          error: {
            code: RPC_ERRORS.invalid_request,
            message: `the body is larger than ${maxSize} bytes`,
            data: { code: 'body_too_large', maxBytes: maxSize },
          },
        },
        413,
      ),
  });
}

/**
 * [SYNC-2] Answers that other layers write (401 and 403 from auth) get the
 * HubStamp fields too, so every /sync response carries them.
 */
function stampErrors(hub: Hub) {
  return async (c: Context, next: Next) => {
    await next();
    const response = c.res;
    if (response.status < 400) return;
    if (!(response.headers.get('content-type') ?? '').includes('application/json')) return;

    const body = (await response.clone().json()) as Record<string, unknown>;
    if (typeof body.hubId === 'string') return;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    c.res = new Response(JSON.stringify({ ...stamp(hub), ...body }), {
      status: response.status,
      headers,
    });
  };
}
