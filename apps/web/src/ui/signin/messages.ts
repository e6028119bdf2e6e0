/** Each sign-in failure in plain words, by its stable code. */
import type { DeviceLoginFailure } from '../../auth/device-login.ts';

export function deviceFailureMessage(failure: DeviceLoginFailure): string {
  switch (failure) {
    case 'expired_token':
      return 'The code expired before it was approved.';
    case 'access_denied':
      return 'The sign-in was denied on the provider’s page.';
    case 'issuer_unreachable':
      return 'The hub cannot reach the sign-in provider right now.';
    case 'hub_unreachable':
      return 'Cannot reach the hub. Check the connection.';
    case 'device_flow_unavailable':
      return 'The sign-in provider answered 404: device login is not set up there. Paste a token instead.';
    case 'auth_disabled':
      return 'This hub runs without sign-in; there is nothing to sign in to.';
    case 'invalid_grant':
      return 'The sign-in provider refused the code.';
    case 'forbidden':
      return 'This account is not allowed on this hub.';
    case 'rejected':
      return 'The hub refused the new token.';
    case 'bad_response':
      return 'The sign-in provider gave an answer heph cannot read.';
  }
}

/** "9:05" for 545 s. */
export function formatTimeLeft(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
}
