/**
 * The session as tabs and database workers use it: the IndexedDB token
 * store, the origin-wide Web Lock, and the hub relay found from the URL each
 * request goes to (the hub URL can change in settings).
 */
import { HubAuth } from './hub-auth.ts';
import { AuthSession } from './session.ts';
import { tokenStore } from './token-store.ts';

const hubs = new Map<string, HubAuth>();

/** One HubAuth per hub origin, so /config is read once per hub. */
export function hubAuthFor(hubUrl: string): HubAuth {
  const origin = new URL(hubUrl).origin;
  let hub = hubs.get(origin);
  if (!hub) {
    hub = new HubAuth({ hubUrl: origin });
    hubs.set(origin, hub);
  }
  return hub;
}

export function createBrowserSession(): AuthSession {
  return new AuthSession({
    store: tokenStore,
    refresh: (hubUrl, tokens) => hubAuthFor(hubUrl).refresh(tokens),
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    withLock: (name, work) => navigator.locks.request(name, work),
  });
}
