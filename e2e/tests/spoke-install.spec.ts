/** Installability: the manifest parses, and Chromium reports no installability errors. */
import { HephApp } from '../fixtures/heph-app.ts';
import { expect, test } from '../fixtures/test.ts';

test('[SPOKE-INSTALL] the manifest has every field, icons and shortcuts, and Chromium finds it installable', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await HephApp.open(profile.context, hub.url);
  await app.waitForServiceWorker();

  const cdp = await profile.context.newCDPSession(app.page);
  const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; data?: string };
  expect(manifest.errors).toEqual([]);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
    installabilityErrors: unknown[];
  };
  expect(installabilityErrors).toEqual([]);

  const parsed = JSON.parse(manifest.data ?? '{}');
  expect(parsed).toMatchObject({
    id: '/',
    name: 'heph',
    short_name: 'heph',
    start_url: '/',
    scope: '/',
    display: 'standalone',
  });
  expect(parsed.theme_color).toBeTruthy();
  expect(parsed.background_color).toBeTruthy();
  const sizes = parsed.icons.map(
    (icon: { sizes: string; purpose?: string }) => `${icon.sizes} ${icon.purpose ?? 'any'}`,
  );
  expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
  expect(parsed.shortcuts.map((s: { name: string }) => s.name)).toEqual([
    'New task',
    'Voice capture',
  ]);

  const touchIcon = await app.page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  const response = await app.page.request.get(`${hub.url}${touchIcon}`);
  expect(response.headers()['content-type']).toBe('image/png');
  await expect(app.page.locator('meta[name="apple-mobile-web-app-capable"]')).toHaveAttribute(
    'content',
    'yes',
  );
});

test('[SPOKE-SHORTCUT] the "New task" shortcut opens with the quick-add field focused', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await HephApp.open(profile.context, `${hub.url}/?capture=text`);
  await expect(app.quickAdd).toBeFocused();
});
