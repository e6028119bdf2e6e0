/** The account part of Settings: who is signed in to the hub, with Sign in and Sign out. */
import { useSpokeStatus } from '../../client/react.ts';
import { SignOutButton } from './SignOut.tsx';
import { signInScreen, useAccount, useHubConfig } from './sign-in-state.ts';

export function AccountSection() {
  const status = useSpokeStatus();
  const config = useHubConfig(status?.hubUrl);
  const account = useAccount();

  return (
    <section className="account" aria-label="Account" data-testid="account">
      <h3>Account</h3>
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
          <p>{account.loaded ? 'Not signed in: changes stay on this device.' : '…'}</p>
          <button type="button" className="primary" onClick={signInScreen.open}>
            Sign in
          </button>
        </>
      )}
    </section>
  );
}
