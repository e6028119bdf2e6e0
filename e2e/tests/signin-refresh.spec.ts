/**
 * Staying signed in with short-lived access tokens: the worker refreshes
 * through the hub's relay before expiry and after a 401, one tab at a time
 * (the issuer revokes the whole login when a rotated refresh token is
 * presented twice), and sync goes on. Signing out keeps the data, edits
 * queue behind a banner, and sync resumes by itself after signing in again.
 */
import { expect, PHONE_390, test } from '../signin-fixtures/test.ts';
import { OWNER } from '../signin-fixtures/world.ts';

/** Access tokens live 10 s: the session refreshes in the last half of that. */
const ACCESS_TTL_S = 10;
test.use({ worldOptions: { issuer: { accessTokenTtl: ACCESS_TTL_S } } });

test('[SIGNIN-REFRESH] an expiring access token is refreshed through the relay and sync goes on', async ({
  world,
  spokes,
}) => {
  const spoke = await spokes.open();
  const { app } = spoke;
  const tokens = await world.issuer.deviceLogin(OWNER);
  await spoke.signInWithCliTokens(tokens);
  await app.addTask('Before the refresh');
  await app.expectSynced();
  expect(world.refreshCount()).toBe(0);

  await spoke.waitForRefreshWindow(ACCESS_TTL_S);
  await app.addTask('After the refresh');
  // The hub holding the task proves the push went out, with the refreshed token.
  await world.expectOnHub('After the refresh');
  await app.expectSynced();

  expect(world.refreshCount()).toBe(1);
  const stored = await spoke.storedTokens();
  expect(stored?.refreshToken).not.toBe(tokens.refresh_token);
  expect(stored?.accessToken).not.toBe(tokens.access_token);
  expect(await world.hubTitles()).toContain('Before the refresh');
});

test('[SIGNIN-REFRESH-TABS] two tabs syncing at once refresh once, and the login survives', async ({
  world,
  spokes,
}) => {
  const first = await spokes.open();
  await first.signInWithCliTokens(await world.issuer.deviceLogin(OWNER));
  const second = await first.openTab();
  await first.app.expectSynced();
  await second.app.expectSynced();

  for (const round of [1, 2]) {
    await first.waitForRefreshWindow(ACCESS_TTL_S);
    await Promise.all([
      first.app.addTask(`First tab, round ${round}`),
      second.app.addTask(`Second tab, round ${round}`),
      first.syncNow(),
      second.syncNow(),
    ]);
    await world.expectOnHub(`First tab, round ${round}`, `Second tab, round ${round}`);
    await first.app.expectSynced();
    await second.app.expectSynced();
    // One refresh per round: the other tab found the new pair already stored.
    expect(world.refreshCount()).toBe(round);
  }
});

test('[SIGNIN-401] a token the hub refuses is refreshed once and the sync retried', async ({
  world,
  spokes,
}) => {
  const spoke = await spokes.open();
  const tokens = await world.issuer.deviceLogin(OWNER);

  // A token the hub refuses (signed by a key the issuer never published) next
  // to a good refresh token: the first push gets a 401.
  const refusedToken = await world.issuer.signToken({ sub: OWNER }, { key: 'unknown-kid' });
  await spoke.storeTokens({
    accessToken: refusedToken,
    refreshToken: tokens.refresh_token,
    expiresAt: Date.now() + 3_600_000,
    issuer: world.issuer.issuer,
  });
  await spoke.app.addTask('Pushed after a 401');

  await world.expectOnHub('Pushed after a 401');
  await spoke.app.expectSynced();
  expect(world.refreshCount()).toBe(1);
  expect((await spoke.storedTokens())?.accessToken).not.toBe(refusedToken);
});

test('[SIGNIN-SIGNOUT] sign out keeps the data, edits wait behind a banner, sync resumes after signing in', async ({
  world,
  spokes,
}) => {
  const spoke = await spokes.open({ viewport: PHONE_390 });
  const { app, signIn } = spoke;
  await spoke.signInWithCliTokens(await world.issuer.deviceLogin(OWNER));
  await app.addTask('Synced before signing out');
  await app.expectSynced();

  await app.openSettings();
  const account = app.page.getByRole('region', { name: 'Account' });
  await expect(account).toContainText(`Signed in as ${OWNER}`);
  await account.getByRole('button', { name: 'Sign out' }).click();
  await expect(app.page.getByTestId('signed-out-notice')).toContainText(
    'Your tasks stay on this device',
  );
  // Clear of the sticky header and the dock at the thumb.
  await account.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await spoke.screenshot('signin-signed-out.png');
  await spoke.expectNothingStored();

  await app.openNext();
  await app.expectTasks(['Synced before signing out']);
  await app.addTask('Written while signed out');
  await app.addTask('Also written while signed out');
  // The banner counts what the status counts: unpushed ops (one per new task here).
  await expect(async () => {
    const pending = Number(await app.pending.getAttribute('data-count'));
    expect(pending).toBeGreaterThanOrEqual(2);
    await expect(signIn.banner).toContainText(`Signed out: ${pending} changes waiting`, {
      timeout: 1000,
    });
  }).toPass();

  await spoke.signInWithCliTokens(await world.issuer.deviceLogin(OWNER));
  await world.expectOnHub('Written while signed out', 'Also written while signed out');
  await app.expectSynced();
  await expect(signIn.banner).toBeHidden();
});
