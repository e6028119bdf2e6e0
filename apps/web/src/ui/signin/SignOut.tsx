/** Sign out: forget the tokens, keep every task on this device, and say so. */
import { useSyncExternalStore } from 'react';
import { tokenStore } from '../../auth/token-store.ts';
import { useSpokeStatus } from '../../client/react.ts';

// Whether this tab signed out since it last saw tokens: the notice outlives
// the button that was pressed, which disappears with the tokens.
let signedOut = false;
const listeners = new Set<() => void>();

function setSignedOut(value: boolean): void {
  signedOut = value;
  for (const listener of listeners) listener();
}

/** Forgets the tokens; local data and pending edits stay. */
export async function signOut(): Promise<void> {
  await tokenStore.clear();
  setSignedOut(true);
}

/** Call when tokens are stored again. */
export function forgetSignOut(): void {
  if (signedOut) setSignedOut(false);
}

function useSignedOut(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => signedOut,
  );
}

export function SignOutButton() {
  return (
    <button type="button" onClick={() => void signOut()}>
      Sign out
    </button>
  );
}

/** "Signed out. Your tasks stay on this device…", shown after a sign-out in this tab. */
export function SignedOutNotice() {
  const status = useSpokeStatus();
  if (!useSignedOut()) return null;
  const pending = status?.pending ?? 0;
  const waiting =
    pending === 0
      ? ''
      : ` ${pending} ${pending === 1 ? 'change waits' : 'changes wait'} to sync after you sign in again.`;
  return (
    <p role="status" data-testid="signed-out-notice">
      Signed out. Your tasks stay on this device and keep working offline.{waiting}
    </p>
  );
}
