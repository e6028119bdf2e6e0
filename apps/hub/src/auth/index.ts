/**
 * The hub's authentication: a bearer-token middleware for /sync and /rpc, verified against
 * the OIDC issuer's published keys, and a relay that lets the PWA run a device login through
 * the hub (the issuer's device endpoint sends no CORS headers).
 */
export {
  createIssuerDiscovery,
  DiscoveryError,
  type DiscoveryErrorCode,
  discoveryUrl,
  type IssuerDiscovery,
  type IssuerMetadata,
} from './discovery.ts';
export { bearerToken, createAuthMiddleware } from './middleware.ts';
export { createDeviceRelay, DEVICE_CODE_GRANT, DEVICE_SCOPES } from './relay.ts';
export type { AuthConfig, AuthEnv, AuthLogger, AuthOptions, AuthVariables } from './types.ts';
export {
  ALLOWED_ALGORITHMS,
  CLOCK_TOLERANCE_SECONDS,
  type TokenRejection,
  type VerifyUnavailable,
} from './verify.ts';
