/**
 * Capture by typing: the quick-add bar highlights the tokens it reads and a
 * saved task carries them as fields. The app shortcuts and the share target
 * open straight into capture.
 */
import { expect, test } from '../fixtures/test.ts';
import { CapturePage } from '../pages/capture-page.ts';

test('[CAPTURE-TYPED] "Call the plumber tomorrow 9am #home !red every 3 months" gives the right fields', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await CapturePage.open(profile.context, hub.url);

  await app.type('Call the plumber tomorrow 9am #home !red every 3 months');
  for (const kind of ['date', 'project', 'attention', 'recurrence']) {
    await expect(app.token(kind)).toBeVisible();
  }
  await expect(app.token('project')).toContainText('home');
  await expect(app.token('recurrence')).toContainText('every 3 months');
  await app.quickAdd.press('Enter');
  await expect(app.quickAdd).toHaveValue('');
  await expect(app.quickAdd).toBeFocused();

  // Due tomorrow, so it is in Upcoming (Next holds only what can be done now).
  const upcoming = await app.show('Upcoming');
  await expect(upcoming.getByTestId('list-header').first()).toHaveText('Tomorrow');
  await app.openTask('Call the plumber');
  await expect(app.field('Attention')).toHaveValue('red');
  await expect(app.field('Project')).toHaveValue('home');
  await expect(app.field('Do date')).toHaveValue(await app.localInput(1, 9));
  await expect(app.field('Repeats')).toHaveValue('every 3 months');
  await expect(app.detail.getByTestId('recurrence-summary')).toContainText(
    'Repeats every 3 months',
  );
  await app.back();

  const projects = await app.show('Projects');
  await expect(projects.getByTestId('list-header').filter({ hasText: 'home' })).toContainText('1');
});

test('[CAPTURE-SHORTCUT] ?capture=text opens with the quick-add bar focused', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await CapturePage.open(profile.context, `${hub.url}/?capture=text`);
  await expect(app.quickAdd).toBeFocused();
  await app.page.keyboard.type('Typed straight away');
  await app.page.keyboard.press('Enter');
  await expect(app.row('Typed straight away')).toBeVisible();
});

test('[CAPTURE-SHARE] a shared link becomes a task with the link in its context', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = new CapturePage(await profile.context.newPage());
  const query = new URLSearchParams({
    'share-title': 'Sourdough guide',
    'share-text': 'Worth reading https://bread.example/sourdough',
  });
  await app.goto(`${hub.url}/?${query}`);

  await expect(app.detail).toBeVisible();
  await expect(app.field('Title')).toHaveValue('Sourdough guide');
  const link = app.detail.getByTestId('context-rendered').getByRole('link');
  await expect(link).toHaveAttribute('href', 'https://bread.example/sourdough');
  await expect(app.detail.getByTestId('context-rendered')).toContainText('Worth reading');
  expect(app.page.url()).not.toContain('share-');
});
