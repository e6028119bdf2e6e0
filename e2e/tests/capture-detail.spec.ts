/**
 * A task's detail: the context document rendered as safe Markdown and found
 * by search, the log with times, and links shown from both ends.
 */
import { expect, test } from '../fixtures/test.ts';
import { CapturePage } from '../pages/capture-page.ts';

test('[CAPTURE-CONTEXT] context renders as Markdown without raw HTML, and search finds its words', async ({
  hub,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await CapturePage.open(profile.context, hub.url);
  await app.add('Plan the garden');
  await app.openTask('Plan the garden');

  await app.setContext(
    'Order **seed potatoes** from the co-op.\n\n<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">\n\n[bad](javascript:alert(1))',
  );
  const rendered = app.detail.getByTestId('context-rendered');
  await expect(rendered.getByRole('strong')).toHaveText('seed potatoes');
  await expect(rendered).toContainText('<script>');
  await expect(rendered.locator('script, img')).toHaveCount(0);
  await expect(rendered.getByRole('link', { name: 'bad' })).not.toHaveAttribute(
    'href',
    /javascript/,
  );
  expect(await app.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

  await app.addLog('Called the co-op');
  await expect(app.detail.getByTestId('log-entry').getByRole('time')).toHaveAttribute(
    'datetime',
    /^\d{4}-\d\d-\d\dT/,
  );
  await app.back();

  const hits = await app.search('potatoes');
  await expect(hits).toHaveCount(1);
  await expect(hits.first()).toHaveAttribute('data-source', 'context');
  await expect(hits.first().getByTestId('match')).toHaveText('potatoes');
  await hits.first().getByRole('link').click();
  await expect(app.field('Title')).toHaveValue('Plan the garden');
});

test('[CAPTURE-LINKS] a link added by searching shows on both tasks', async ({ hub, profiles }) => {
  const profile = await profiles.launch();
  const app = await CapturePage.open(profile.context, hub.url);
  await app.add('Buy compost');
  await app.add('Plan the garden');

  await app.openTask('Plan the garden');
  await app.linkTo('compost', 'Buy compost');
  await app.detail.getByTestId('link-out').getByRole('link', { name: 'Buy compost' }).click();

  await expect(app.field('Title')).toHaveValue('Buy compost');
  const backlink = app.detail.getByTestId('link-in');
  await expect(backlink).toHaveText('Plan the garden');
  await expect(app.detail.getByTestId('link-out')).toHaveCount(0);
});
