/** Swipes on a touch screen: right is done, left is skip for a recurring task; both offer Undo. */
import { expect, test } from '../fixtures/test.ts';
import { CapturePage } from '../pages/capture-page.ts';

test('[CAPTURE-SWIPE] swipe right is done, swipe left skips a recurring task', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await CapturePage.open(profile.context, hub.url);
  await app.add('Feed the cat');
  await app.add('Take the bins out yesterday every week');

  await app.swipe('Feed the cat', 'right');
  await expect(app.toast).toContainText('Done “Feed the cat”');
  await expect(app.row('Feed the cat')).toHaveCount(0);

  await app.swipe('Take the bins out', 'left');
  await expect(app.toast).toContainText('Skipped “Take the bins out”; next on');
  await expect(app.row('Take the bins out')).toHaveCount(0);
  await app.undo();
  await expect(app.row('Take the bins out')).toBeVisible();
});
