/**
 * Builds the PWA: the app shell (index.html), the contract and benchmark
 * pages the e2e suite drives in Chromium, the database worker (ES module),
 * and the service worker (injectManifest, src/sw.ts) precaching the shell and
 * the wasm. HEPH_BUILD_ID and HEPH_APP_VERSION let the e2e suite build a
 * second, distinguishable version.
 */
import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const manifestVersion = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'))
  .version as string;
const version = process.env.HEPH_APP_VERSION ?? manifestVersion;
const buildId = process.env.HEPH_BUILD_ID ?? new Date().toISOString().replace(/[-:.TZ]/g, '');

const THEME = '#1f2933';
const BACKGROUND = '#f7f7f5';

export default defineConfig({
  define: {
    __HEPH_VERSION__: JSON.stringify(version),
    __HEPH_BUILD_ID__: JSON.stringify(buildId),
  },
  plugins: [
    react(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifestFilename: 'manifest.webmanifest',
      includeManifestIcons: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,wasm,png,webmanifest}'],
        globIgnores: ['contract.html', 'bench.html', 'assets/contract*', 'assets/bench*'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
      manifest: {
        id: '/',
        name: 'heph',
        short_name: 'heph',
        description: 'Tasks and context, offline first.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: THEME,
        background_color: BACKGROUND,
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: '/icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
        // The Android share target: shared text or links open `/?share-*=…`,
        // which the UI turns into a task (src/ui/capture/share.ts).
        share_target: {
          action: '/',
          method: 'GET',
          enctype: 'application/x-www-form-urlencoded',
          params: { title: 'share-title', text: 'share-text', url: 'share-url' },
        },
        shortcuts: [
          {
            name: 'New task',
            short_name: 'New',
            url: '/?capture=text',
            icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
          },
          {
            name: 'Voice capture',
            short_name: 'Voice',
            url: '/?capture=voice',
            icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
          },
        ],
      },
    }),
  ],
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@journeyapps/wa-sqlite'] },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: {
        index: new URL('./index.html', import.meta.url).pathname,
        contract: new URL('./contract.html', import.meta.url).pathname,
        bench: new URL('./bench.html', import.meta.url).pathname,
      },
    },
  },
});
