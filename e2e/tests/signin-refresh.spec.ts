/**
 * Staying signed in with short-lived access tokens: the worker refreshes
 * through the hub's relay before expiry and after a 401, one tab at a time
 * (the issuer revokes the whole login when a rotated refresh token is
 * presented twice), and sync goes on. Signing out keeps the data, edits
 * queue behind a banner, and sync resumes by itself after signing in again.
 */
import { join } from 'node:path';
import type { TokenSet } from '@heph/test-issuer';
import type { Page } from '@playwright/test';
import { HephApp } from '../fixtures/heph-app.ts';
import { SCREENSHOTS } from '../fixtures/paths.ts';
import { readTokens, SignInScreen, storeTokens } from '../signin-fixtures/sign-in-page.ts';
import { expect, PHONE_390, test } from '../signin-fixtures/test.ts';
import { OWNER } from '../signin-fixtures/world.ts';

/** Access tokens live 10 s: the session refreshes in the last half of that. */
const ACCESS_TTL_S = 10;
test.use({ worldOptions: { issuer: { accessTokenTtl: ACCESS_TTL_S } } });

/** The JSON the heph CLI keeps, as the owner would paste it. */
function cliJson(tokens: TokenSet): string {
  return JSON.stringify({
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    expires_at: Date.now() + tokens.expires_in * 1000,
  });
}

async function pasteSignIn(app: HephApp, tokens: TokenSet): Promise<void> {
  const signIn = new SignInScreen(app.page);
  await signIn.openFromBanner();
  await signIn.paste(cliJson(tokens));
  await signIn.expectSignedIn(OWNER);
  await signIn.done();
}

/** Waits until the stored access token is within its refresh window (its last half). */
async function waitForRefreshWindow(page: Page): Promise<void> {
  const stored = await readTokens(page);
  const expiresAt = Number(stored?.expiresAt);
  await expect
    .poll(() => Date.now() >= expiresAt - (ACCESS_TTL_S * 1000) / 2, { timeout: 20_000 })
    .toBe(true);
}

function syncNow(page: Page): Promise<void> {
  return page.evaluate(() =>
    (
      window as unknown as { __heph: { client: { syncNow(): Promise<void> } } }
    ).__heph.client.syncNow(),
  );
}

test('[SIGNIN-REFRESH] an expiring access token is refreshed through the relay and sync goes on', async ({
  world,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await HephApp.open(profile.context, world.hub.url);
  const tokens = await world.issuer.deviceLogin(OWNER);
  await pasteSignIn(app, tokens);
  await app.addTask('Before the refresh');
  await app.expectSynced();
  expect(world.refreshCount()).toBe(0);

  await waitForRefreshWindow(app.page);
  await app.addTask('After the refresh');
  // The hub holding the task proves the push went out, with the refreshed token.
  await expect.poll(() => world.hubTitles()).toContain('After the refresh');
  await app.expectSynced();

  expect(world.refreshCount()).toBe(1);
  const stored = await readTokens(app.page);
  expect(stored?.refreshToken).not.toBe(tokens.refresh_token);
  expect(stored?.accessToken).not.toBe(tokens.access_token);
  expect(await world.hubTitles()).toContain('Before the refresh');
});

test('[SIGNIN-REFRESH-TABS] two tabs syncing at once refresh once, and the login survives', async ({
  world,
  profiles,
}) => {
  const profile = await profiles.launch();
  const first = await HephApp.open(profile.context, world.hub.url);
  await pasteSignIn(first, await world.issuer.deviceLogin(OWNER));
  const second = await HephApp.open(profile.context, world.hub.url);
  await first.expectSynced();
  await second.expectSynced();

  for (const round of [1, 2]) {
    await waitForRefreshWindow(first.page);
    await Promise.all([
      first.addTask(`First tab, round ${round}`),
      second.addTask(`Second tab, round ${round}`),
      syncNow(first.page),
      syncNow(second.page),
    ]);
    await expect
      .poll(() => world.hubTitles())
      .toEqual(expect.arrayContaining([`First tab, round ${round}`, `Second tab, round ${round}`]));
    await first.expectSynced();
    await second.expectSynced();
    // One refresh per round: the other tab found the new pair already stored.
    expect(world.refreshCount()).toBe(round);
  }
});

test('[SIGNIN-401] a token the hub refuses is refreshed once and the sync retried', async ({
  world,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await HephApp.open(profile.context, world.hub.url);
  const tokens = await world.issuer.deviceLogin(OWNER);

  // A token the hub refuses (signed by a key the issuer never published) next
  // to a good refresh token: the first push gets a 401.
  const refusedToken = await world.issuer.signToken({ sub: OWNER }, { key: 'unknown-kid' });
  await storeTokens(app.page, {
    accessToken: refusedToken,
    refreshToken: tokens.refresh_token,
    expiresAt: Date.now() + 3_600_000,
    issuer: world.issuer.issuer,
  });
  await app.addTask('Pushed after a 401');

  await expect.poll(() => world.hubTitles()).toContain('Pushed after a 401');
  await app.expectSynced();
  expect(world.refreshCount()).toBe(1);
  expect((await readTokens(app.page))?.accessToken).not.toBe(refusedToken);
});

test('[SIGNIN-SIGNOUT] sign out keeps the data, edits wait behind a banner, sync resumes after signing in', async ({
  world,
  profiles,
}) => {
  const profile = await profiles.launch({ viewport: PHONE_390 });
  const app = await HephApp.open(profile.context, world.hub.url);
  const signIn = new SignInScreen(app.page);
  await pasteSignIn(app, await world.issuer.deviceLogin(OWNER));
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
  await app.page.screenshot({ path: join(SCREENSHOTS, 'signin-signed-out.png') });
  expect(await readTokens(app.page)).toBeNull();

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

  await pasteSignIn(app, await world.issuer.deviceLogin(OWNER));
  await expect
    .poll(() => world.hubTitles())
    .toEqual(expect.arrayContaining(['Written while signed out', 'Also written while signed out']));
  await app.expectSynced();
  await expect(signIn.banner).toBeHidden();
});
