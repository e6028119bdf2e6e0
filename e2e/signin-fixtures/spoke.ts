/**
 * A spoke for the sign-in tests: one browser profile with the PWA open on
 * the world's hub, signed out, and the steps a sign-in scenario is told in
 * (start a device login, approve it, paste a token, look at what is stored).
 * Every wait is on something the page or the hub shows.
 */
import { join } from 'node:path';
import type { TokenSet } from '@heph/test-issuer';
import { expect } from '@playwright/test';
import type { Profile, ProfileOptions } from '../fixtures/browser.ts';
import { HephApp } from '../fixtures/heph-app.ts';
import { SCREENSHOTS } from '../fixtures/paths.ts';
import { approveOnIssuerPages, readTokens, SignInScreen, storeTokens } from './sign-in-page.ts';
import { OWNER, type SignInWorld } from './world.ts';

export class SignInSpoke {
  readonly signIn: SignInScreen;

  constructor(
    readonly profile: Profile,
    readonly app: HephApp,
    readonly world: SignInWorld,
  ) {
    this.signIn = new SignInScreen(app.page);
  }

  static async open(
    profiles: { launch(options?: ProfileOptions): Promise<Profile> },
    world: SignInWorld,
    options?: ProfileOptions,
  ): Promise<SignInSpoke> {
    const profile = await profiles.launch(options);
    const app = await HephApp.open(profile.context, world.hub.url);
    return new SignInSpoke(profile, app, world);
  }

  /** The app in another tab of the same profile (same tokens, same store). */
  async openTab(): Promise<SignInSpoke> {
    const app = await HephApp.open(this.profile.context, this.world.hub.url);
    return new SignInSpoke(this.profile, app, this.world);
  }

  async screenshot(name: string): Promise<void> {
    await this.app.page.screenshot({ path: join(SCREENSHOTS, name) });
  }

  /** Opens the sign-in screen from the banner and returns the device code it shows. */
  async startDeviceLogin(): Promise<string> {
    await this.signIn.openFromBanner();
    return this.signIn.waitForCode();
  }

  /** Approves the shown code on the issuer's own pages, in a new tab, as `sub`. */
  async approveOnIssuerPages(sub: string): Promise<void> {
    const issuerPage = await this.profile.context.newPage();
    await approveOnIssuerPages(issuerPage, await this.signIn.verificationLink(), sub);
  }

  /** Signs in by pasting `text` (a token or the CLI's JSON) and closes the screen. */
  async signInWithPaste(text: string, subject = OWNER): Promise<void> {
    await this.signIn.openFromBanner();
    await this.signIn.paste(text);
    await this.signIn.expectSignedIn(subject);
    await this.signIn.done();
  }

  /** Signs in with the token pair of a device login, pasted as the heph CLI keeps it. */
  async signInWithCliTokens(tokens: TokenSet): Promise<void> {
    await this.signInWithPaste(cliJson(tokens));
  }

  /** Pastes `text` on the open screen and expects it refused for `failure`. */
  async expectPasteRefused(text: string, failure: string, words: RegExp): Promise<void> {
    await this.signIn.paste(text);
    await this.signIn.expectFailure(failure, words);
  }

  async expectStartAgainOffered(): Promise<void> {
    await expect(this.signIn.dialog.getByRole('button', { name: 'Start again' })).toBeVisible();
  }

  storedTokens(): Promise<Record<string, unknown> | null> {
    return readTokens(this.app.page);
  }

  async expectNothingStored(): Promise<void> {
    expect(await this.storedTokens()).toBeNull();
  }

  storeTokens(tokens: Record<string, unknown>): Promise<void> {
    return storeTokens(this.app.page, tokens);
  }

  /** Waits until the stored access token, which lived `accessTtlS`, is in its last half. */
  async waitForRefreshWindow(accessTtlS: number): Promise<void> {
    const expiresAt = Number((await this.storedTokens())?.expiresAt);
    await expect
      .poll(() => Date.now() >= expiresAt - (accessTtlS * 1000) / 2, { timeout: 20_000 })
      .toBe(true);
  }

  /** Asks the app's sync client for a round now, as a tab coming back into view does. */
  syncNow(): Promise<void> {
    return this.app.page.evaluate(() =>
      (
        window as unknown as { __heph: { client: { syncNow(): Promise<void> } } }
      ).__heph.client.syncNow(),
    );
  }
}

/** The JSON the heph CLI keeps, as the owner would paste it. */
export function cliJson(tokens: TokenSet): string {
  return JSON.stringify({
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    expires_at: Date.now() + tokens.expires_in * 1000,
  });
}
