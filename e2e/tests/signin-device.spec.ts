/**
 * Device-code login in the browser against the real issuer behind the hub's
 * relay: approval on the issuer's own pages, then a sync; and every way it
 * can end badly, each said in words with "Start again".
 */
import { expect, PHONE_390, test } from '../signin-fixtures/test.ts';
import { OWNER } from '../signin-fixtures/world.ts';

test.describe('with an owner-only hub', () => {
  test.use({ worldOptions: { authorizedSubs: [OWNER] } });

  test('[SIGNIN-DEVICE] a device login approved on the issuer’s pages, then edits made signed out sync', async ({
    world,
    spokes,
  }) => {
    const spoke = await spokes.open({ viewport: PHONE_390 });
    const { app, signIn } = spoke;

    await app.addTask('Written before signing in');
    await expect(signIn.banner).toContainText('Signed out: 1 change waiting');
    await spoke.screenshot('signin-banner.png');

    const code = await spoke.startDeviceLogin();
    expect(code).toMatch(/\w{4}-?\w{4}/);
    await spoke.screenshot('signin-device-code.png');

    const link = await signIn.verificationLink();
    expect(new URL(link).origin).toBe(new URL(world.issuer.issuer).origin);
    await spoke.approveOnIssuerPages(OWNER);

    await signIn.expectSignedIn(OWNER);
    await spoke.screenshot('signin-success.png');
    await signIn.done();

    await app.expectSynced();
    await expect(signIn.banner).toBeHidden();
    await world.expectOnHub('Written before signing in');
  });

  test('[SIGNIN-FORBIDDEN] an account the hub does not list is told it is not allowed', async ({
    world,
    spokes,
  }) => {
    const spoke = await spokes.open({ viewport: PHONE_390 });

    const code = await spoke.startDeviceLogin();
    await world.issuer.approveUserCode(code, 'stranger@heph.test');

    await spoke.signIn.expectFailure('forbidden', /stranger@heph\.test.*not allowed on this hub/);
    await spoke.screenshot('signin-forbidden.png');
    await spoke.expectStartAgainOffered();
  });
});

test('[SIGNIN-EXPIRED] an expired code says so, and Start again gives a new one', async ({
  world,
  spokes,
}) => {
  const spoke = await spokes.open({ viewport: PHONE_390 });

  const code = await spoke.startDeviceLogin();
  world.issuer.expireDeviceCode(code);

  await spoke.signIn.expectFailure('expired_token', /code expired/);
  await spoke.screenshot('signin-expired.png');

  await spoke.signIn.startAgain();
  const second = await spoke.signIn.waitForCode();
  expect(second).not.toBe(code);
});

test('[SIGNIN-DENIED] a request denied on the issuer’s page says so', async ({ world, spokes }) => {
  const spoke = await spokes.open();

  const code = await spoke.startDeviceLogin();
  await world.issuer.denyUserCode(code);

  await spoke.signIn.expectFailure('access_denied', /denied/);
  await spoke.expectStartAgainOffered();
});

test('[SIGNIN-SLOW-DOWN] slow_down answers make it wait longer, and the login still ends', async ({
  world,
  spokes,
}) => {
  const spoke = await spokes.open();

  const code = await spoke.startDeviceLogin();
  const polls = () => world.issuer.received.filter((entry) => entry.form.device_code);
  await expect.poll(() => polls().length).toBeGreaterThan(0);
  world.issuer.slowDown(String(polls()[0]?.form.device_code), 1);

  // The next poll is answered slow_down; the one after it is still pending.
  await expect.poll(() => polls().length, { timeout: 30_000 }).toBeGreaterThan(2);
  await world.issuer.approveUserCode(code, OWNER);
  await spoke.signIn.expectSignedIn(OWNER);
  await expect(spoke.app.syncState).toHaveText('Synced');
});

test.describe('with an issuer without the device flow', () => {
  test.use({ worldOptions: { issuer: { deviceFlow: false } } });

  test('[SIGNIN-404] the provider’s 404 is told as "device login not set up"', async ({
    spokes,
  }) => {
    const spoke = await spokes.open({ viewport: PHONE_390 });

    await spoke.signIn.openFromBanner();
    await spoke.signIn.expectFailure('device_flow_unavailable', /404.*not set up/);
    await spoke.screenshot('signin-no-device-flow.png');
  });
});

test('[SIGNIN-UNREACHABLE] an issuer the hub cannot reach is told as such', async ({
  world,
  spokes,
}) => {
  const spoke = await spokes.open();
  await world.stopIssuer();

  await spoke.signIn.openFromBanner();
  await spoke.signIn.expectFailure('issuer_unreachable', /cannot reach the sign-in provider/);
});
