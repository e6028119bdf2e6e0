/** Phone-sized screenshots of the spoke's main screens, saved under e2e/screenshots/. */
import { join } from 'node:path';
import { HephApp } from '../fixtures/heph-app.ts';
import { SCREENSHOTS } from '../fixtures/paths.ts';
import { expect, test } from '../fixtures/test.ts';

test('[SPOKE-SCREENS] phone-sized screenshots of Next, Settings and the offline state', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await HephApp.open(profile.context, hub.url);
  await app.waitForServiceWorker();
  await app.page.screenshot({ path: join(SCREENSHOTS, 'spoke-next-empty.png') });

  for (const text of ['Call the plumber', 'Renew the passport', 'Water the tomatoes']) {
    await app.addTask(text);
  }
  await app.expectSynced();
  await app.page.screenshot({ path: join(SCREENSHOTS, 'spoke-next.png') });

  await app.openSettings();
  await expect(app.page.getByTestId('storage-usage')).not.toHaveText('…');
  await app.page.screenshot({ path: join(SCREENSHOTS, 'spoke-settings.png') });

  await hub.stop();
  await app.openNext();
  await app.addTask('Written offline');
  await app.page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(app.syncState).toHaveText('Offline');
  await app.page.screenshot({ path: join(SCREENSHOTS, 'spoke-offline.png') });
});
