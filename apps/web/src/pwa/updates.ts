/**
 * Service worker registration and updates through workbox-window.
 *
 * `updateViaCache: 'none'` makes every update check fetch sw.js from the
 * network. Checks run on focus, when the page becomes visible and hourly,
 * because an iOS home-screen app is otherwise never asked to update.
 * When a new worker is waiting, listeners hear `ready`; `reload()` tells the
 * waiting worker to take over and reloads exactly once when it controls the
 * page (never on the first install, which also fires `controlling`).
 */
import { Workbox } from 'workbox-window';

export type UpdateListener = (state: { ready: boolean }) => void;

const CHECK_INTERVAL_MS = 60 * 60_000;

export class UpdateManager {
  #workbox: Workbox | null = null;
  #ready = false;
  #reloading = false;
  readonly #listeners = new Set<UpdateListener>();

  start(url = '/sw.js'): void {
    if (!('serviceWorker' in navigator)) return;
    const workbox = new Workbox(url, { scope: '/', updateViaCache: 'none' });
    this.#workbox = workbox;
    workbox.addEventListener('waiting', () => this.#setReady(true));
    void workbox.register();

    window.addEventListener('focus', () => void this.check());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.check();
    });
    setInterval(() => void this.check(), CHECK_INTERVAL_MS);
  }

  /** Asks the server whether sw.js changed. Offline, this fails quietly. */
  async check(): Promise<void> {
    try {
      await this.#workbox?.update();
    } catch {
      // Offline or the hub is down: the next focus or tick asks again.
    }
  }

  reload(): void {
    const workbox = this.#workbox;
    if (!workbox || this.#reloading) return;
    this.#reloading = true;
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), {
      once: true,
    });
    workbox.messageSkipWaiting();
  }

  subscribe(listener: UpdateListener): () => void {
    this.#listeners.add(listener);
    listener({ ready: this.#ready });
    return () => this.#listeners.delete(listener);
  }

  #setReady(ready: boolean): void {
    this.#ready = ready;
    for (const listener of this.#listeners) listener({ ready });
  }
}

export const updates = new UpdateManager();
