/**
 * The shapes the hub's auth shares with the rest of the hub: its configuration (filled from
 * --oidc-issuer, --oidc-audience and --authorized-sub) and what a verified request carries.
 */

export interface AuthConfig {
  /** The issuer identifier exactly as tokens carry it (Authentik's ends with '/'). */
  issuer: string | null;
  /** The `aud` access tokens must carry; the client id when null. */
  audience: string | null;
  /** The public client used for device login; the audience when null. */
  clientId: string | null;
  /** When not empty, only these subjects are let in. */
  authorizedSubs: string[];
}

/** Hono variables set by the auth middleware on a verified request. */
export interface AuthVariables {
  subject: string;
}

export interface AuthEnv {
  Variables: AuthVariables;
}

/** The part of a pino logger auth uses. Tokens never reach it. */
export interface AuthLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface AuthOptions {
  logger?: AuthLogger;
  /** The clock tokens are checked against, in epoch milliseconds. Default Date.now. */
  now?: () => number;
  /** Per request to the issuer (discovery, key set, device and token endpoints). Default 5000. */
  timeoutMs?: number;
}
