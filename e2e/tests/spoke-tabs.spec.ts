/** Two tabs of one profile share one OPFS replica and update each other live. */
import { HephApp } from '../fixtures/heph-app.ts';
import { expect, test } from '../fixtures/test.ts';

test('[SPOKE-TABS] an edit in one tab appears in the other without a reload', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const first = await HephApp.open(profile.context, hub.url);
  const second = await HephApp.open(profile.context, hub.url);

  await first.addTask('Seen in both tabs');
  await expect(second.task('Seen in both tabs')).toBeVisible();

  await second.markDone('Seen in both tabs');
  await expect(first.task('Seen in both tabs')).toHaveCount(0);

  await first.expectSynced();
  await second.expectSynced();
});
