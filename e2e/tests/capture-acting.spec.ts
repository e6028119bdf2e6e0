/**
 * Acting on tasks: a recurring task's done moves it to its next occurrence,
 * skip moves it on without doing it, and Undo brings back what was there,
 * for plain and recurring tasks alike. Today lists late tasks first.
 */
import { expect, test } from '../fixtures/test.ts';
import { CapturePage } from '../pages/capture-page.ts';

test('[CAPTURE-RECUR] done shows the next occurrence, skip moves on, undo restores the occurrence', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await CapturePage.open(profile.context, hub.url);
  await app.add('Water the plants yesterday 8am every 3 days');
  await app.openTask('Water the plants');
  await expect(app.field('Do date')).toHaveValue(await app.localInput(-1, 8));

  await app.detail.getByRole('button', { name: 'Done', exact: true }).click();
  await expect(app.toast).toContainText('Done “Water the plants”; next on');
  await expect(app.field('Do date')).toHaveValue(await app.localInput(2, 8));
  await expect(app.detail).toHaveAttribute('data-state', 'outstanding');

  await app.detail.getByRole('button', { name: 'Skip', exact: true }).click();
  await expect(app.toast).toContainText('Skipped “Water the plants”');
  await expect(app.field('Do date')).toHaveValue(await app.localInput(5, 8));

  await app.undo();
  await expect(app.field('Do date')).toHaveValue(await app.localInput(2, 8));

  await app.detail.getByRole('button', { name: 'Done', exact: true }).click();
  await expect(app.field('Do date')).toHaveValue(await app.localInput(5, 8));
  await app.undo();
  await expect(app.field('Do date')).toHaveValue(await app.localInput(2, 8));
  await app.synced();
});

test('[CAPTURE-UNDO] undo brings a done or dropped task back where it was', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await CapturePage.open(profile.context, hub.url);
  await app.add('Renew the passport');
  await app.add('Return the library books');

  await app.done('Renew the passport');
  await expect(app.row('Renew the passport')).toHaveCount(0);
  const logbook = await app.show('Logbook');
  await expect(app.row('Renew the passport')).toContainText('Done');
  await app.undo();
  await expect(logbook.getByTestId('logbook-empty')).toBeVisible();
  await app.show('Next');
  await expect(app.row('Renew the passport')).toBeVisible();

  await app.rowAction('Return the library books', 'Drop');
  await expect(app.toast).toContainText('Dropped “Return the library books”');
  await expect(app.row('Return the library books')).toHaveCount(0);
  await app.undo();
  await expect(app.row('Return the library books')).toBeVisible();
  await app.synced();
  const onHub = await hub.rpc<{ tasks: Array<{ title: string }> }>('task.list', {});
  expect(onHub.tasks.map((task) => task.title).sort()).toEqual([
    'Renew the passport',
    'Return the library books',
  ]);
});

test('[CAPTURE-TODAY] Today lists late tasks first, marked late', async ({ hub, profiles }) => {
  const profile = await profiles.launch();
  const app = await CapturePage.open(profile.context, hub.url);
  await app.add('Sort the post today');
  await app.add('Pay the rent late yesterday');

  const today = await app.show('Today');
  const rows = today.getByTestId('task-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Pay the rent');
  await expect(rows.first().getByTestId('late-mark')).toHaveText('Late');
  await expect(rows.nth(1).getByTestId('late-mark')).toHaveCount(0);
});
