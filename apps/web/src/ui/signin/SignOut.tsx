/** Sign out: forget the tokens, keep every task on this device, and say so. */
import { useState } from 'react';
import { tokenStore } from '../../auth/token-store.ts';
import { useSpokeStatus } from '../../client/react.ts';

export function SignOutButton() {
  const [done, setDone] = useState(false);
  const status = useSpokeStatus();
  if (done) return <SignedOutNotice pending={status?.pending ?? 0} />;
  return (
    <button
      type="button"
      onClick={() => {
        void tokenStore.clear().then(() => setDone(true));
      }}
    >
      Sign out
    </button>
  );
}

export function SignedOutNotice({ pending }: { pending: number }) {
  const waiting =
    pending === 0
      ? ''
      : ` ${pending} ${pending === 1 ? 'change waits' : 'changes wait'} for the hub.`;
  return (
    <p role="status" data-testid="signed-out-notice">
      Signed out. Your tasks stay on this device and keep working offline.{waiting}
    </p>
  );
}
