/**
 * The device-code login: the user code in large type, a button to the
 * provider's page with the code filled in, a QR of that link for approving
 * on another device, and the time left, while it polls the hub's relay.
 */
import { useEffect, useState } from 'react';
import { hubAuthFor } from '../../auth/browser-session.ts';
import { abortableWait, type DeviceLoginState, runDeviceLogin } from '../../auth/device-login.ts';
import { tokenStore } from '../../auth/token-store.ts';
import { deviceFailureMessage, formatTimeLeft } from './messages.ts';
import { QrCode } from './QrCode.tsx';

export function DeviceLogin({
  hubUrl,
  onSignedIn,
}: {
  hubUrl: string;
  onSignedIn: (subject: string) => void;
}) {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<DeviceLoginState>({ step: 'starting' });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` restarts the login; onSignedIn may change identity
  useEffect(() => {
    const controller = new AbortController();
    void runDeviceLogin({
      hub: hubAuthFor(hubUrl),
      save: (tokens) => tokenStore.set(tokens),
      onState: (next) => {
        setState(next);
        if (next.step === 'signed-in') onSignedIn(next.subject);
      },
      now: () => Date.now(),
      wait: abortableWait,
      signal: controller.signal,
    }).catch(() => setState({ step: 'failed', failure: 'bad_response' }));
    return () => controller.abort();
  }, [hubUrl, attempt]);

  const startAgain = () => setAttempt((value) => value + 1);

  switch (state.step) {
    case 'starting':
      return <p data-testid="signin-progress">Asking the hub for a sign-in code…</p>;
    case 'checking':
      return <p data-testid="signin-progress">Approved. Checking the account with the hub…</p>;
    case 'signed-in':
      return null;
    case 'failed':
      return (
        <div className="signin-result">
          <p role="alert" data-testid="signin-error" data-failure={state.failure}>
            {state.message ?? deviceFailureMessage(state.failure)}
          </p>
          {state.failure === 'forbidden' && (
            <p className="hint">
              Sign in with another account, or have the hub’s owner add this one (hephd
              --authorized-sub).
            </p>
          )}
          <button type="button" className="primary" onClick={startAgain}>
            Start again
          </button>
        </div>
      );
    case 'waiting':
      return <WaitingForApproval state={state} />;
  }
}

function WaitingForApproval({ state }: { state: Extract<DeviceLoginState, { step: 'waiting' }> }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  return (
    <div className="device-login">
      <p className="hint">Approve this code with your sign-in provider:</p>
      <output className="user-code" data-testid="user-code" aria-label="Sign-in code">
        {state.userCode}
      </output>
      <a
        className="button primary"
        href={state.verificationUriComplete}
        target="_blank"
        rel="noopener noreferrer"
        data-testid="signin-open"
      >
        Open the sign-in page
      </a>
      <QrCode text={state.verificationUriComplete} label="QR code of the sign-in link" />
      <p className="hint">
        Or scan this on your phone, or go to <span className="uri">{state.verificationUri}</span>{' '}
        and type the code.
      </p>
      <p className="time-left" data-testid="signin-time-left">
        Waiting for approval · code expires in {formatTimeLeft(state.expiresAt - now)}
      </p>
    </div>
  );
}
