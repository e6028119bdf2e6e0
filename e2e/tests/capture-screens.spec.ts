/**
 * Screenshots of every view, phone-sized (390x844) and laptop-sized
 * (1280x800), saved to e2e/screenshots/capture-<size>-<view>.png to be
 * looked at. Each step first waits for what the view must show.
 */
import { join } from 'node:path';
import { SCREENSHOTS } from '../fixtures/paths.ts';
import { expect, test } from '../fixtures/test.ts';
import { CapturePage, VIEW_LABELS } from '../pages/capture-page.ts';
import { withoutSpeech } from '../pages/fake-speech.ts';

const SIZES = {
  phone: { width: 390, height: 844 },
  laptop: { width: 1280, height: 800 },
} as const;

const TASKS = [
  'Call the plumber tomorrow 9am #home !red every 3 months',
  'Pay the rent late yesterday #home',
  'Water the tomatoes today every 2 days @garden',
  'Renew the passport in 5 days #admin !orange',
  'Draft the quarterly report next monday #work @writing',
  'Buy oat milk @errands',
  'Read about sourdough !blue',
  'Return the library books',
];

for (const [size, viewport] of Object.entries(SIZES)) {
  test(`[CAPTURE-SCREENS] ${size}-sized screenshots of every view`, async ({ hub, profiles }) => {
    const profile = await profiles.launch({ viewport });
    await withoutSpeech(profile.context);
    const app = await CapturePage.open(profile.context, hub.url);
    for (const text of TASKS) await app.add(text);
    await app.done('Return the library books');
    const shot = (name: string) =>
      app.page.screenshot({ path: join(SCREENSHOTS, `capture-${size}-${name}.png`) });

    for (const view of VIEW_LABELS) {
      const region = await app.show(view);
      if (view === 'Search') {
        await region.getByRole('searchbox', { name: 'Search' }).fill('the');
        await expect(region.getByTestId('search-hit').first()).toBeVisible();
      } else if (view === 'Settings') {
        await expect(app.page.getByTestId('storage-usage')).not.toHaveText('…');
      } else {
        await expect(region.getByTestId('task-row').first()).toBeVisible();
      }
      await shot(view.toLowerCase());
    }

    await app.type('Call Ann tomorrow 9am #home @phone !red every week');
    await expect(app.token('recurrence')).toBeVisible();
    await shot('typing');
    await app.quickAdd.fill('');

    await app.show('Upcoming');
    await app.openTask('Call the plumber');
    await app.setContext('Ask about the **boiler** too.\n\n- tap in the kitchen\n- radiator valve');
    await app.addLog('Left a message');
    await app.history('Title');
    await shot('detail');

    await app.mic.click();
    await expect(app.dictation).toBeFocused();
    await shot('voice-fallback');
    await app.page.getByRole('button', { name: 'Close', exact: true }).click();

    await app.page.keyboard.press('Escape');
    await app.page.keyboard.press('?');
    await expect(app.page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await shot('keys');
    await app.page.keyboard.press('Escape');

    await app.page.emulateMedia({ colorScheme: 'dark' });
    await app.show('Next');
    await shot('dark-next');
    await app.show('Upcoming');
    await app.openTask('Call the plumber');
    await shot('dark-detail');

    // 200% zoom is half the CSS pixels: nothing may need sideways scrolling.
    await app.page.emulateMedia({ colorScheme: 'light' });
    await app.page.setViewportSize({ width: viewport.width / 2, height: viewport.height / 2 });
    await app.show('Next');
    await shot('zoom200-next');
    const overflow = await app.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
}
