/**
 * Updates: a new build served by the hub is offered to the open page, and
 * Reload brings it in once. The second build differs only in version and
 * build id, which the settings show.
 */
import { rmSync } from 'node:fs';
import { buildWeb } from '../fixtures/build-web.ts';
import { HephApp } from '../fixtures/heph-app.ts';
import { expect, test } from '../fixtures/test.ts';

test('[SPOKE-UPDATE] a new version is offered, Reload activates it, and settings show it', async ({
  hub,
  profiles,
}) => {
  test.setTimeout(180_000);
  const second = await buildWeb({ buildId: 'e2e-second', version: '9.9.9' });
  try {
    const profile = await profiles.launch();
    const app = await HephApp.open(profile.context, hub.url);
    await app.waitForServiceWorker();
    await app.openSettings();
    await expect(app.buildId()).not.toHaveText('e2e-second');
    await expect(app.updateBanner).toHaveCount(0);

    await hub.stop();
    await hub.start({ webRoot: second });
    await app.page.getByRole('button', { name: 'Check for updates' }).click();
    await expect(app.updateBanner).toContainText('A new version is ready');

    await app.updateBanner.getByRole('button', { name: 'Reload' }).click();
    await app.page.waitForEvent('load');
    await app.ready();
    await app.openSettings();
    await expect(app.buildId()).toHaveText('e2e-second');
    await expect(app.version()).toHaveText('9.9.9');
    await expect(app.updateBanner).toHaveCount(0);
  } finally {
    rmSync(second, { recursive: true, force: true });
  }
});
