/**
 * Signing in by pasting a token: checked locally (shape, expiry, audience,
 * issuer) and then by the hub before it is stored; every refusal names its
 * reason and stores nothing.
 */
import { expect, PHONE_390, test } from '../signin-fixtures/test.ts';
import { OWNER } from '../signin-fixtures/world.ts';

test('[SIGNIN-PASTE] a valid pasted token is checked with the hub, stored, and sync starts', async ({
  world,
  spokes,
}) => {
  const spoke = await spokes.open({ viewport: PHONE_390 });
  const { app, signIn } = spoke;
  await app.addTask('Pasted my way in');

  await signIn.openFromBanner();
  await signIn.choosePaste();
  await spoke.screenshot('signin-paste.png');
  await signIn.paste(await world.token());

  await signIn.expectSignedIn(OWNER);
  await signIn.done();
  await app.expectSynced();
  await world.expectOnHub('Pasted my way in');
});

test('[SIGNIN-PASTE-REFUSED] expired, other-audience, forged and non-JWT tokens are refused with their reason', async ({
  world,
  spokes,
}) => {
  const spoke = await spokes.open({ viewport: PHONE_390 });
  await spoke.signIn.openFromBanner();

  const expired = await world.issuer.signToken({ sub: OWNER }, { ttl: -3600 });
  await spoke.expectPasteRefused(expired, 'expired', /This token expired/);
  await spoke.screenshot('signin-paste-expired.png');

  const otherAudience = await world.issuer.signToken({ sub: OWNER, aud: 'another-app' });
  await spoke.expectPasteRefused(
    otherAudience,
    'wrong_audience',
    /another audience \(another-app\).*expects “heph”/,
  );

  const forged = await world.issuer.signToken({ sub: OWNER }, { key: 'forged' });
  await spoke.expectPasteRefused(
    forged,
    'rejected',
    /The hub refused this token \(bad_signature\)/,
  );

  await spoke.expectPasteRefused('not a token at all', 'not_a_jwt', /not an access token/);

  await spoke.expectNothingStored();
});

test('[SIGNIN-PASTE-ISSUER] a token from another issuer is refused as such', async ({
  world,
  spokes,
}) => {
  const spoke = await spokes.open();
  await spoke.signIn.openFromBanner();

  const elsewhere = await world.issuer.signToken({ sub: OWNER, iss: 'https://id.example/' });
  await spoke.expectPasteRefused(
    elsewhere,
    'wrong_issuer',
    /another issuer \(https:\/\/id\.example\/\)/,
  );
  await spoke.expectNothingStored();
});

test.describe('with an owner-only hub', () => {
  test.use({ worldOptions: { authorizedSubs: [OWNER] } });

  test('[SIGNIN-PASTE-FORBIDDEN] a valid token for an unlisted account is not allowed on this hub', async ({
    world,
    spokes,
  }) => {
    const spoke = await spokes.open();
    await spoke.signIn.openFromBanner();

    const stranger = await world.token('stranger@heph.test');
    await spoke.expectPasteRefused(stranger, 'forbidden', /not allowed on this hub/);
    await spoke.expectNothingStored();
  });

  test('[SIGNIN-FORBIDDEN-SYNC] a stored token the hub answers 403 shows the not-allowed banner', async ({
    world,
    spokes,
  }) => {
    const spoke = await spokes.open({ viewport: PHONE_390 });
    const { app, signIn } = spoke;

    await spoke.storeTokens({ accessToken: await world.token('stranger@heph.test') });
    await app.addTask('Kept locally');

    await expect(signIn.banner).toHaveAttribute('data-reason', 'forbidden');
    await expect(signIn.banner).toContainText(
      'Signed in as stranger@heph.test, which is not allowed on this hub.',
    );
    await expect(app.page.getByTestId('status-error')).toHaveText(
      'This account is not allowed on this hub.',
    );
    await spoke.screenshot('signin-forbidden-banner.png');
    await signIn.openFromBanner();
    await expect(signIn.dialog.getByTestId('signin-subject')).toHaveText('stranger@heph.test');
  });
});
