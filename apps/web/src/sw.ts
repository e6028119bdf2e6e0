/**
 * The service worker: precaches the shell, the worker bundles and the
 * SQLite wasm, answers every navigation with the cached index.html (so the
 * app opens offline and on any deep link), and takes control of the page on
 * the very first visit. A new version waits until the page asks it to take
 * over ("A new version is ready: Reload"), so an open tab never runs a mix of
 * old and new code. Sync, RPC and auth requests are never answered from cache.
 */
/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
};

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [
      /^\/sync\//,
      /^\/rpc/,
      /^\/config/,
      /^\/auth/,
      /^\/contract\.html/,
      /^\/bench\.html/,
    ],
  }),
);

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});

clientsClaim();
