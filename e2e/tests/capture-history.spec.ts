/**
 * A field edited on two devices while both were cut off from the hub: after
 * they sync, its history holds both values, the one that lost is marked as
 * a concurrent edit, and it can be restored.
 */
import { expect, test } from '../fixtures/test.ts';
import { CapturePage } from '../pages/capture-page.ts';

test('[CAPTURE-HISTORY] both offline edits of a title show in its history after sync', async ({
  hub,
  profiles,
}) => {
  const phone = await CapturePage.open((await profiles.launch()).context, hub.url);
  await phone.add('Book a venue');
  await phone.synced();
  const laptop = await CapturePage.open((await profiles.launch()).context, hub.url);
  await expect(laptop.row('Book a venue')).toBeVisible();
  await laptop.synced();

  await hub.stop();
  await phone.openTask('Book a venue');
  await phone.setField('Title', 'Book the village hall');
  await expect(phone.page.getByTestId('status-pending')).toHaveAttribute('data-count', '1');
  await laptop.openTask('Book a venue');
  await laptop.setField('Title', 'Book the barn');
  await expect(laptop.page.getByTestId('status-pending')).toHaveAttribute('data-count', '1');

  await hub.start();
  await phone.syncAfterReconnect();
  await laptop.syncAfterReconnect();
  await phone.page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(phone.field('Title')).toHaveValue('Book the barn');
  await expect(phone.detail.getByText('Edited on two devices')).toBeVisible();

  const history = await phone.history('Title');
  const values = history.getByTestId('history-value');
  await expect(values).toHaveText(['Book the barn', 'Book the village hall', 'Book a venue']);
  const lost = history.getByTestId('history-entry').filter({ hasText: 'Book the village hall' });
  await expect(lost.getByTestId('concurrent-mark')).toBeVisible();

  await lost.getByRole('button', { name: 'Restore this value' }).click();
  await expect(phone.field('Title')).toHaveValue('Book the village hall');
});
