/** The account part of Settings: who is signed in to the hub, with Sign in and Sign out. */
import { useSpokeStatus } from '../../client/react.ts';
import { SignedOutNotice, SignOutButton } from './SignOut.tsx';
import { signInScreen, useAccount, useHubConfig } from './sign-in-state.ts';

export function AccountSection() {
  const status = useSpokeStatus();
  const config = useHubConfig(status?.hubUrl);
  const account = useAccount();

  return (
    <section className="account" aria-label="Account" data-testid="account">
      <h3>Account</h3>
      <SignedOutNotice />
      {config && !config.authRequired && !account.tokens ? (
        <p>This hub needs no sign-in.</p>
      ) : account.tokens ? (
        <>
          <p>
            Signed in as{' '}
            <strong data-testid="account-subject">{account.subject ?? 'unknown'}</strong>.
          </p>
          <SignOutButton />
        </>
      ) : (
        <>
          <p>{account.loaded ? 'Sign in to sync this device with the hub.' : '…'}</p>
          <button type="button" className="primary" onClick={signInScreen.open}>
            Sign in
          </button>
        </>
      )}
    </section>
  );
}
