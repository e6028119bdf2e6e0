/**
 * Says when sync stopped for want of a sign-in, and how many edits wait for
 * it ("Signed out: 3 changes waiting"), or that the hub does not allow this
 * account; either way one button opens the sign-in screen.
 */
import { useSpokeStatus } from '../../client/react.ts';
import { signInScreen, useAccount } from './sign-in-state.ts';

export function SignInBanner() {
  const status = useSpokeStatus();
  const account = useAccount();
  if (!status) return null;

  if (status.error?.code === 'forbidden' && status.phase === 'error') {
    return (
      <div
        className="signin-banner"
        role="alert"
        data-testid="signin-banner"
        data-reason="forbidden"
      >
        <span>
          {account.subject ? `Signed in as ${account.subject}, which` : 'This account'} is not
          allowed on this hub.
        </span>
        <button type="button" onClick={signInScreen.open}>
          Switch account
        </button>
      </div>
    );
  }
  if (status.phase !== 'sign-in-needed') return null;

  const count = status.pending;
  return (
    <div
      className="signin-banner"
      role="status"
      data-testid="signin-banner"
      data-reason="signed-out"
    >
      <span data-testid="signin-banner-text">
        Signed out: {count === 0 ? 'no' : count} {count === 1 ? 'change' : 'changes'} waiting
      </span>
      <button type="button" onClick={signInScreen.open}>
        Sign in
      </button>
    </div>
  );
}
