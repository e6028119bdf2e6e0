/**
 * Where the hub plugs in authentication (apps/hub/src/auth, its own module).
 *
 * With an issuer configured, every /sync and /rpc request passes the auth
 * middleware and /auth/* relays device login to the issuer. Without one the
 * hub runs open, which main.ts allows only on a loopback address; /auth/*
 * then answers 404 with a reason, so a PWA can tell "no sign-in here" from a
 * broken relay.
 */
import type { MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import type { AuthConfig } from './config.ts';
import type { Logger } from './log.ts';

export interface AuthMount {
  required: boolean;
  middleware: MiddlewareHandler;
  relay: Hono;
}

export async function createAuthMount(config: AuthConfig, logger?: Logger): Promise<AuthMount> {
  if (config.issuer === null) return openMount();

  // Loaded only when needed: a hub without an issuer never touches jose.
  const auth = await import('./auth/index.ts');
  const options = logger ? { logger: logger.child({ component: 'auth' }) } : {};
  return {
    required: true,
    middleware: auth.createAuthMiddleware(config, options) as MiddlewareHandler,
    relay: auth.createDeviceRelay(config, options),
  };
}

function openMount(): AuthMount {
  const relay = new Hono();
  relay.all('/auth/*', (c) =>
    c.json({ error: 'auth_disabled', error_description: 'this hub runs without sign-in' }, 404),
  );
  return { required: false, middleware: async (_c, next) => next(), relay };
}
