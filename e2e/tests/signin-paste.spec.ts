/**
 * Signing in by pasting a token: checked locally (shape, expiry, audience,
 * issuer) and then by the hub before it is stored; every refusal names its
 * reason and stores nothing.
 */
import { join } from 'node:path';
import { HephApp } from '../fixtures/heph-app.ts';
import { SCREENSHOTS } from '../fixtures/paths.ts';
import { readTokens, SignInScreen, storeTokens } from '../signin-fixtures/sign-in-page.ts';
import { expect, PHONE_390, test } from '../signin-fixtures/test.ts';
import { OWNER } from '../signin-fixtures/world.ts';

test('[SIGNIN-PASTE] a valid pasted token is checked with the hub, stored, and sync starts', async ({
  world,
  profiles,
}) => {
  const profile = await profiles.launch({ viewport: PHONE_390 });
  const app = await HephApp.open(profile.context, world.hub.url);
  const signIn = new SignInScreen(app.page);
  await app.addTask('Pasted my way in');

  await signIn.openFromBanner();
  await signIn.choosePaste();
  await app.page.screenshot({ path: join(SCREENSHOTS, 'signin-paste.png') });
  await signIn.paste(await world.token());

  await signIn.expectSignedIn(OWNER);
  await signIn.done();
  await app.expectSynced();
  await expect.poll(() => world.hubTitles()).toContain('Pasted my way in');
});

test('[SIGNIN-PASTE-REFUSED] expired, other-audience, forged and non-JWT tokens are refused with their reason', async ({
  world,
  profiles,
}) => {
  const profile = await profiles.launch({ viewport: PHONE_390 });
  const app = await HephApp.open(profile.context, world.hub.url);
  const signIn = new SignInScreen(app.page);
  await signIn.openFromBanner();

  const expired = await world.issuer.signToken({ sub: OWNER }, { ttl: -3600 });
  await signIn.paste(expired);
  await signIn.expectFailure('expired', /This token expired/);
  await app.page.screenshot({ path: join(SCREENSHOTS, 'signin-paste-expired.png') });

  const otherAudience = await world.issuer.signToken({ sub: OWNER, aud: 'another-app' });
  await signIn.paste(otherAudience);
  await signIn.expectFailure('wrong_audience', /another audience \(another-app\).*expects “heph”/);

  const forged = await world.issuer.signToken({ sub: OWNER }, { key: 'forged' });
  await signIn.paste(forged);
  await signIn.expectFailure('rejected', /The hub refused this token \(bad_signature\)/);

  await signIn.paste('not a token at all');
  await signIn.expectFailure('not_a_jwt', /not an access token/);

  expect(await readTokens(app.page)).toBeNull();
});

test('[SIGNIN-PASTE-ISSUER] a token from another issuer is refused as such', async ({
  world,
  profiles,
}) => {
  const profile = await profiles.launch();
  const app = await HephApp.open(profile.context, world.hub.url);
  const signIn = new SignInScreen(app.page);
  await signIn.openFromBanner();

  const elsewhere = await world.issuer.signToken({ sub: OWNER, iss: 'https://id.example/' });
  await signIn.paste(elsewhere);
  await signIn.expectFailure('wrong_issuer', /another issuer \(https:\/\/id\.example\/\)/);
  expect(await readTokens(app.page)).toBeNull();
});

test.describe('with an owner-only hub', () => {
  test.use({ worldOptions: { authorizedSubs: [OWNER] } });

  test('[SIGNIN-PASTE-FORBIDDEN] a valid token for an unlisted account is not allowed on this hub', async ({
    world,
    profiles,
  }) => {
    const profile = await profiles.launch();
    const app = await HephApp.open(profile.context, world.hub.url);
    const signIn = new SignInScreen(app.page);
    await signIn.openFromBanner();

    await signIn.paste(await world.token('stranger@heph.test'));
    await signIn.expectFailure('forbidden', /not allowed on this hub/);
    expect(await readTokens(app.page)).toBeNull();
  });

  test('[SIGNIN-FORBIDDEN-SYNC] a stored token the hub answers 403 shows the not-allowed banner', async ({
    world,
    profiles,
  }) => {
    const profile = await profiles.launch({ viewport: PHONE_390 });
    const app = await HephApp.open(profile.context, world.hub.url);
    const signIn = new SignInScreen(app.page);

    await storeTokens(app.page, { accessToken: await world.token('stranger@heph.test') });
    await app.addTask('Kept locally');

    await expect(signIn.banner).toHaveAttribute('data-reason', 'forbidden');
    await expect(signIn.banner).toContainText(
      'Signed in as stranger@heph.test, which is not allowed on this hub.',
    );
    await expect(app.page.getByTestId('status-error')).toHaveText(
      'This account is not allowed on this hub.',
    );
    await app.page.screenshot({ path: join(SCREENSHOTS, 'signin-forbidden-banner.png') });
    await signIn.openFromBanner();
    await expect(signIn.dialog.getByTestId('signin-subject')).toHaveText('stranger@heph.test');
  });
});
