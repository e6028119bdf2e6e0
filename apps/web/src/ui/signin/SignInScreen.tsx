/**
 * The sign-in screen, over the app: device-code login (the default: it
 * needs no terminal) or a pasted token, against the hub sync uses.
 */
import { useEffect, useRef, useState } from 'react';
import { useSpokeStatus } from '../../client/react.ts';
import { DeviceLogin } from './DeviceLogin.tsx';
import { PasteToken } from './PasteToken.tsx';
import { SignedOutNotice, SignOutButton } from './SignOut.tsx';
import { signInScreen, useAccount, useHubConfig } from './sign-in-state.ts';

type Mode = 'device' | 'paste';

export function SignInScreen() {
  const status = useSpokeStatus();
  const hubUrl = status?.hubUrl;
  const config = useHubConfig(hubUrl);
  const account = useAccount();
  const [mode, setMode] = useState<Mode>('device');
  const [signedInAs, setSignedInAs] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && signInScreen.close();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="signin-screen" role="dialog" aria-modal="true" aria-labelledby="signin-title">
      <div className="signin-panel">
        <header className="signin-header">
          <h2 id="signin-title" ref={heading} tabIndex={-1}>
            Sign in
          </h2>
          <button type="button" onClick={signInScreen.close}>
            Close
          </button>
        </header>
        {hubUrl && (
          <p className="hint" data-testid="signin-hub">
            Hub: {hubUrl}
          </p>
        )}
        {signedInAs !== null ? (
          <SignedIn subject={signedInAs} />
        ) : (
          <>
            <SignedOutNotice />
            {account.tokens && (
              <div className="signin-current">
                <p>
                  Signed in as{' '}
                  <strong data-testid="signin-subject">{account.subject ?? 'unknown'}</strong>.
                </p>
                <SignOutButton />
              </div>
            )}
            {config && !config.authRequired ? (
              <p role="status" data-testid="signin-not-needed">
                This hub runs without sign-in; there is nothing to sign in to.
              </p>
            ) : (
              hubUrl && (
                <>
                  <div className="signin-modes" role="tablist" aria-label="How to sign in">
                    <ModeTab mode="device" current={mode} onSelect={setMode}>
                      With a code
                    </ModeTab>
                    <ModeTab mode="paste" current={mode} onSelect={setMode}>
                      Paste a token
                    </ModeTab>
                  </div>
                  <div
                    role="tabpanel"
                    aria-label={mode === 'device' ? 'With a code' : 'Paste a token'}
                  >
                    {mode === 'device' ? (
                      <DeviceLogin hubUrl={hubUrl} onSignedIn={setSignedInAs} />
                    ) : (
                      <PasteToken hubUrl={hubUrl} onSignedIn={setSignedInAs} />
                    )}
                  </div>
                </>
              )
            )}
          </>
        )}
      </div>
    </div>
  );
}

function ModeTab({
  mode,
  current,
  onSelect,
  children,
}: {
  mode: Mode;
  current: Mode;
  onSelect: (mode: Mode) => void;
  children: string;
}) {
  return (
    <button
      type="button"
      role="tab"
      aria-selected={mode === current}
      className={mode === current ? 'selected' : undefined}
      onClick={() => onSelect(mode)}
    >
      {children}
    </button>
  );
}

function SignedIn({ subject }: { subject: string }) {
  return (
    <div className="signin-result" data-testid="signin-success">
      <p role="status">
        Signed in as <strong>{subject}</strong>. Syncing now.
      </p>
      <button type="button" className="primary" onClick={signInScreen.close}>
        Done
      </button>
    </div>
  );
}
