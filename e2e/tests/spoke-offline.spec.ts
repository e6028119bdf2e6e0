/**
 * Offline first: the shell and the replica survive a missing hub and a
 * closed browser, and everything made meanwhile reaches the hub and a
 * second device once the hub is back.
 */
import { HephApp } from '../fixtures/heph-app.ts';
import { expect, test } from '../fixtures/test.ts';

test('[SPOKE-OFFLINE] works offline after the first visit, keeps tasks across a relaunch, then syncs them to a second profile', async ({
  hub,
  profiles,
}) => {
  const phone = await profiles.launch();
  let app = await HephApp.open(phone.context, hub.url);
  await app.waitForServiceWorker();
  await app.expectSynced();

  await hub.stop();
  await app.reload();
  await expect(app.syncState).toHaveText('Offline');
  await app.addTask('Buy lamp oil');
  await app.addTask('Call the plumber');
  await app.expectTasks(['Buy lamp oil', 'Call the plumber']);
  await app.expectPending(2);

  await phone.relaunch();
  app = await HephApp.open(phone.context, hub.url);
  await app.expectTasks(['Buy lamp oil', 'Call the plumber']);
  await app.expectPending(2);

  await hub.start();
  await app.page.evaluate(() => window.dispatchEvent(new Event('online')));
  await app.expectSynced();
  const onHub = await hub.rpc<{ tasks: Array<{ title: string }> }>('task.list', {});
  expect(onHub.tasks.map((task) => task.title).sort()).toEqual([
    'Buy lamp oil',
    'Call the plumber',
  ]);

  const laptop = await profiles.launch();
  const second = await HephApp.open(laptop.context, hub.url);
  await second.expectTasks(['Buy lamp oil', 'Call the plumber']);
  await second.expectSynced();
});

test('[SPOKE-KILL] a write made offline right before the page closes reaches the hub on the next online visit', async ({
  hub,
  profiles,
}) => {
  const phone = await profiles.launch();
  let app = await HephApp.open(phone.context, hub.url);
  await app.waitForServiceWorker();
  await app.expectSynced();

  await hub.stop();
  await app.addTask('Written just before closing');
  await phone.close();

  await hub.start();
  await phone.relaunch();
  app = await HephApp.open(phone.context, hub.url);
  await app.expectSynced();
  const onHub = await hub.rpc<{ tasks: Array<{ title: string }> }>('task.list', {});
  expect(onHub.tasks.map((task) => task.title)).toContain('Written just before closing');
});
