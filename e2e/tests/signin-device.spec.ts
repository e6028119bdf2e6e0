/**
 * Device-code login in the browser against the real issuer behind the hub's
 * relay: approval on the issuer's own pages, then a sync; and every way it
 * can end badly, each said in words with "Start again".
 */
import { join } from 'node:path';
import { HephApp } from '../fixtures/heph-app.ts';
import { SCREENSHOTS } from '../fixtures/paths.ts';
import { approveOnIssuerPages, SignInScreen } from '../signin-fixtures/sign-in-page.ts';
import { expect, PHONE_390, test } from '../signin-fixtures/test.ts';
import { OWNER } from '../signin-fixtures/world.ts';

test.describe('with an owner-only hub', () => {
  test.use({ worldOptions: { authorizedSubs: [OWNER] } });

  test('[SIGNIN-DEVICE] a device login approved on the issuer’s pages, then edits made signed out sync', async ({
    world,
    profiles,
  }) => {
    const profile = await profiles.launch({ viewport: PHONE_390 });
    const app = await HephApp.open(profile.context, world.hub.url);
    const signIn = new SignInScreen(app.page);

    await app.addTask('Written before signing in');
    await expect(signIn.banner).toContainText('Signed out: 1 change waiting');
    await app.page.screenshot({ path: join(SCREENSHOTS, 'signin-banner.png') });

    await signIn.openFromBanner();
    const code = await signIn.waitForCode();
    expect(code).toMatch(/\w{4}-?\w{4}/);
    await app.page.screenshot({ path: join(SCREENSHOTS, 'signin-device-code.png') });

    const link = await signIn.verificationLink();
    expect(new URL(link).origin).toBe(new URL(world.issuer.issuer).origin);
    const issuerPage = await profile.context.newPage();
    await approveOnIssuerPages(issuerPage, link, OWNER);

    await signIn.expectSignedIn(OWNER);
    await app.page.screenshot({ path: join(SCREENSHOTS, 'signin-success.png') });
    await signIn.done();

    await app.expectSynced();
    await expect(signIn.banner).toBeHidden();
    await expect.poll(() => world.hubTitles()).toContain('Written before signing in');
  });

  test('[SIGNIN-FORBIDDEN] an account the hub does not list is told it is not allowed', async ({
    world,
    profiles,
  }) => {
    const profile = await profiles.launch({ viewport: PHONE_390 });
    const app = await HephApp.open(profile.context, world.hub.url);
    const signIn = new SignInScreen(app.page);

    await signIn.openFromBanner();
    const code = await signIn.waitForCode();
    await world.issuer.approveUserCode(code, 'stranger@heph.test');

    await signIn.expectFailure('forbidden', /stranger@heph\.test.*not allowed on this hub/);
    await app.page.screenshot({ path: join(SCREENSHOTS, 'signin-forbidden.png') });
    await expect(signIn.dialog.getByRole('button', { name: 'Start again' })).toBeVisible();
  });
});

test('[SIGNIN-EXPIRED] an expired code says so, and Start again gives a new one', async ({
  world,
  profiles,
}) => {
  const profile = await profiles.launch({ viewport: PHONE_390 });
  const app = await HephApp.open(profile.context, world.hub.url);
  const signIn = new SignInScreen(app.page);

  await signIn.openFromBanner();
  const code = await signIn.waitForCode();
  world.issuer.expireDeviceCode(code);

  await signIn.expectFailure('expired_token', /code expired/);
  await app.page.screenshot({ path: join(SCREENSHOTS, 'signin-expired.png') });

  await signIn.startAgain();
  const second = await signIn.waitForCode();
  expect(second).not.toBe(code);
});

test('[SIGNIN-DENIED] a request denied on the issuer’s page says so', async ({
  world,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await HephApp.open(profile.context, world.hub.url);
  const signIn = new SignInScreen(app.page);

  await signIn.openFromBanner();
  const code = await signIn.waitForCode();
  await world.issuer.denyUserCode(code);

  await signIn.expectFailure('access_denied', /denied/);
  await expect(signIn.dialog.getByRole('button', { name: 'Start again' })).toBeVisible();
});

test('[SIGNIN-SLOW-DOWN] slow_down answers make it wait longer, and the login still ends', async ({
  world,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await HephApp.open(profile.context, world.hub.url);
  const signIn = new SignInScreen(app.page);

  await signIn.openFromBanner();
  const code = await signIn.waitForCode();
  const polls = () => world.issuer.received.filter((entry) => entry.form.device_code);
  await expect.poll(() => polls().length).toBeGreaterThan(0);
  world.issuer.slowDown(String(polls()[0]?.form.device_code), 1);

  // The next poll is answered slow_down; the one after it is still pending.
  await expect.poll(() => polls().length, { timeout: 30_000 }).toBeGreaterThan(2);
  await world.issuer.approveUserCode(code, OWNER);
  await signIn.expectSignedIn(OWNER);
  await expect(app.syncState).toHaveText('Synced');
});

test.describe('with an issuer without the device flow', () => {
  test.use({ worldOptions: { issuer: { deviceFlow: false } } });

  test('[SIGNIN-404] the provider’s 404 is told as "device login not set up"', async ({
    world,
    profiles,
  }) => {
    const profile = await profiles.launch({ viewport: PHONE_390 });
    const app = await HephApp.open(profile.context, world.hub.url);
    const signIn = new SignInScreen(app.page);

    await signIn.openFromBanner();
    await signIn.expectFailure('device_flow_unavailable', /404.*not set up/);
    await app.page.screenshot({ path: join(SCREENSHOTS, 'signin-no-device-flow.png') });
  });
});

test('[SIGNIN-UNREACHABLE] an issuer the hub cannot reach is told as such', async ({
  world,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await HephApp.open(profile.context, world.hub.url);
  const signIn = new SignInScreen(app.page);
  await world.stopIssuer();

  await signIn.openFromBanner();
  await signIn.expectFailure('issuer_unreachable', /cannot reach the sign-in provider/);
});
