/**
 * A reload while another tab of the profile keeps writing: the reloaded tab
 * paints the saved Next list at once, opens the store every time (a reload
 * once left it unopenable: the old worker's access handles outlived its
 * lock), and then shows what the other tab wrote meanwhile.
 */
import { HephApp } from '../fixtures/heph-app.ts';
import { expect, test } from '../fixtures/test.ts';

const RELOADS = 6;

test('[SPOKE-RELOAD] a tab reloaded while another writes opens its store and catches up', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const writer = await HephApp.open(profile.context, hub.url);
  const reloaded = await HephApp.open(profile.context, hub.url);
  await writer.addTask('Written before the reloads');
  await expect(reloaded.task('Written before the reloads')).toBeVisible();

  for (let round = 0; round < RELOADS; round += 1) {
    // The write and the reload race on purpose: the store is busy while the page goes away.
    const written = writer.addTask(`Written during reload ${round}`);
    await reloaded.page.reload();
    await written;
    await expect(reloaded.task('Written before the reloads')).toBeVisible();
    await reloaded.ready();
    await expect(reloaded.task(`Written during reload ${round}`)).toBeVisible();
  }
});
