/**
 * A small Hono app with the auth middleware in front of one route and the device relay
 * mounted, the way the hub mounts them, plus a logger that keeps what it is given.
 */
import { Hono } from 'hono';
import {
  type AuthConfig,
  type AuthEnv,
  type AuthLogger,
  type AuthOptions,
  createAuthMiddleware,
  createDeviceRelay,
} from '../../src/auth/index.ts';

export function authConfig(issuer: string | null, overrides: Partial<AuthConfig> = {}) {
  return { issuer, audience: 'heph', clientId: 'heph', authorizedSubs: [], ...overrides };
}

export function createGuardedApp(config: AuthConfig, options: AuthOptions = {}) {
  const app = new Hono<AuthEnv>();
  app.route('/', createDeviceRelay(config, options));
  app.use('/rpc', createAuthMiddleware(config, options));
  app.post('/rpc', (c) => c.json({ subject: c.get('subject') ?? null }));
  return app;
}

export interface LogLine {
  level: 'debug' | 'warn';
  fields: Record<string, unknown>;
  message: string;
}

export function createMemoryLogger(): AuthLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    debug: (fields, message) => lines.push({ level: 'debug', fields, message }),
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
  };
}

export function bearer(token: string): RequestInit {
  return { method: 'POST', headers: { authorization: `Bearer ${token}` } };
}

export async function errorOf(response: Response) {
  const body = (await response.json()) as {
    error: { code: string; message: string; data?: Record<string, unknown> };
  };
  return { status: response.status, ...body.error };
}
