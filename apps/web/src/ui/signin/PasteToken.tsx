/**
 * Signing in with a token from elsewhere (the CLI's file, the provider's
 * admin page): checked locally, then against the hub, and stored only when
 * the hub accepted it.
 */
import { type FormEvent, useState } from 'react';
import { hubAuthFor } from '../../auth/browser-session.ts';
import { readPastedToken, TokenRefusal } from '../../auth/pasted-token.ts';
import { tokenStore } from '../../auth/token-store.ts';

type PasteState =
  | { step: 'editing' }
  | { step: 'checking' }
  | { step: 'refused'; problem: string; message: string };

export function PasteToken({
  hubUrl,
  onSignedIn,
}: {
  hubUrl: string;
  onSignedIn: (subject: string) => void;
}) {
  const [text, setText] = useState('');
  const [state, setState] = useState<PasteState>({ step: 'editing' });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setState({ step: 'checking' });
    try {
      const hub = hubAuthFor(hubUrl);
      const { tokens, subject } = await hub.checkPastedTokens(readPastedToken(text));
      const config = await hub.config();
      await tokenStore.set({ ...tokens, ...(config.issuer ? { issuer: config.issuer } : {}) });
      setText('');
      setState({ step: 'editing' });
      onSignedIn(subject);
    } catch (error) {
      if (!(error instanceof TokenRefusal)) throw error;
      setState({ step: 'refused', problem: error.problem, message: error.message });
    }
  }

  return (
    <form className="paste-token" onSubmit={submit}>
      <label htmlFor="pasted-token">Access token</label>
      <textarea
        id="pasted-token"
        rows={5}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        placeholder="eyJhbGciOi… or the JSON from the heph CLI"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      <p className="hint">
        A raw access token, or the CLI’s JSON with access_token and, for staying signed in,
        refresh_token.
      </p>
      <button
        type="submit"
        className="primary"
        disabled={text.trim() === '' || state.step === 'checking'}
      >
        {state.step === 'checking' ? 'Checking…' : 'Check and save'}
      </button>
      {state.step === 'refused' && (
        <p role="alert" data-testid="signin-error" data-failure={state.problem}>
          {state.message}
        </p>
      )}
    </form>
  );
}
