/**
 * @heph/test-issuer: a real OpenID Connect issuer (oidc-provider) on a loopback port, with the
 * helpers tests need to log in through the device flow and to forge the tokens a hub must
 * refuse. See issuer.ts for the configuration and the provider's quirks.
 */
export {
  approveOnPages as approveUserCode,
  denyOnPages as denyUserCode,
} from './device-pages.ts';
export { TestIssuerError, type TestIssuerErrorCode } from './errors.ts';
export {
  type DeviceAuthorization,
  type ReceivedForm,
  startTestIssuer,
  type TestIssuer,
  type TestIssuerOptions,
  type TokenSet,
} from './issuer.ts';
export type { SigningKey, SignTokenOptions } from './sign.ts';
