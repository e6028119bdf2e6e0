/**
 * What the sign-in UI shares across the shell: whether the sign-in screen is
 * open (any banner or button may open it), whether tokens are stored (any
 * tab's sign-in or sign-out changes that), and the hub's /config.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { hubAuthFor } from '../../auth/browser-session.ts';
import type { HubConfig } from '../../auth/hub-auth.ts';
import { decodeClaims } from '../../auth/pasted-token.ts';
import { type StoredTokens, tokenStore } from '../../auth/token-store.ts';
import { forgetSignOut } from './SignOut.tsx';

let screenOpen = false;
const screenListeners = new Set<() => void>();

function setScreen(open: boolean): void {
  screenOpen = open;
  for (const listener of screenListeners) listener();
}

/** `#/signin` opens the screen too, so a link or a bookmark can. */
export const SIGN_IN_HASH = '#/signin';

export const signInScreen = {
  open: () => setScreen(true),
  close: () => {
    if (window.location.hash === SIGN_IN_HASH) window.location.hash = '#/';
    setScreen(false);
  },
};

export function useSignInScreenOpen(): boolean {
  useEffect(() => {
    const onHash = () => window.location.hash === SIGN_IN_HASH && setScreen(true);
    onHash();
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return useSyncExternalStore(subscribeScreen, () => screenOpen);
}

function subscribeScreen(listener: () => void): () => void {
  screenListeners.add(listener);
  return () => screenListeners.delete(listener);
}

export interface Account {
  /** False until the token store has answered. */
  loaded: boolean;
  tokens: StoredTokens | null;
  /** The access token's `sub`, when it has one. */
  subject: string | null;
}

export function useAccount(): Account {
  const [account, setAccount] = useState<Account>({ loaded: false, tokens: null, subject: null });
  useEffect(() => {
    let active = true;
    const load = () =>
      void tokenStore.get().then((tokens) => {
        if (tokens) forgetSignOut();
        if (active) setAccount({ loaded: true, tokens, subject: subjectOf(tokens) });
      });
    load();
    const stop = tokenStore.subscribe(load);
    return () => {
      active = false;
      stop();
    };
  }, []);
  return account;
}

/** The hub's /config, or null while unknown or unreachable. */
export function useHubConfig(hubUrl: string | undefined): HubConfig | null {
  const [config, setConfig] = useState<HubConfig | null>(null);
  useEffect(() => {
    if (!hubUrl) return;
    let active = true;
    hubAuthFor(hubUrl)
      .config()
      .then(
        (value) => active && setConfig(value),
        () => active && setConfig(null),
      );
    return () => {
      active = false;
    };
  }, [hubUrl]);
  return config;
}

function subjectOf(tokens: StoredTokens | null): string | null {
  if (!tokens) return null;
  try {
    const sub = decodeClaims(tokens.accessToken).sub;
    return typeof sub === 'string' ? sub : null;
  } catch {
    return null;
  }
}
