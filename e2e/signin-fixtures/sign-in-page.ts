/**
 * Page models for signing in: the PWA's sign-in screen and banner, and the
 * issuer's own device pages (oidc-provider's: confirm the device, log in
 * with any name, which becomes `sub`, then consent). Roles and test ids
 * only; every wait is on something the page shows.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export class SignInScreen {
  readonly dialog: Locator;
  readonly userCode: Locator;
  readonly openLink: Locator;
  readonly qr: Locator;
  readonly timeLeft: Locator;
  readonly error: Locator;
  readonly success: Locator;
  readonly banner: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole('dialog', { name: 'Sign in' });
    this.userCode = page.getByTestId('user-code');
    this.openLink = page.getByRole('link', { name: 'Open the sign-in page' });
    this.qr = page.getByRole('img', { name: 'QR code of the sign-in link' });
    this.timeLeft = page.getByTestId('signin-time-left');
    this.error = page.getByTestId('signin-error');
    this.success = page.getByTestId('signin-success');
    this.banner = page.getByTestId('signin-banner');
  }

  /** Opens the screen from the "Signed out" banner. */
  async openFromBanner(): Promise<void> {
    await this.banner.getByRole('button').click();
    await expect(this.dialog).toBeVisible();
  }

  /** Waits for a device code and returns it. */
  async waitForCode(): Promise<string> {
    await expect(this.userCode).toBeVisible();
    await expect(this.qr).toBeVisible();
    await expect(this.timeLeft).toContainText('code expires in');
    return (await this.userCode.textContent()) ?? '';
  }

  async verificationLink(): Promise<string> {
    return (await this.openLink.getAttribute('href')) ?? '';
  }

  async choosePaste(): Promise<void> {
    await this.dialog.getByRole('tab', { name: 'Paste a token' }).click();
  }

  async paste(text: string): Promise<void> {
    await this.choosePaste();
    await this.dialog.getByRole('textbox', { name: 'Access token' }).fill(text);
    await this.dialog.getByRole('button', { name: 'Check and save' }).click();
  }

  async expectFailure(failure: string, words: RegExp): Promise<void> {
    await expect(this.error).toHaveAttribute('data-failure', failure);
    await expect(this.error).toHaveText(words);
  }

  async expectSignedIn(subject: string): Promise<void> {
    await expect(this.success).toContainText(`Signed in as ${subject}`);
  }

  async startAgain(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Start again' }).click();
  }

  async done(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Done' }).click();
    await expect(this.dialog).toBeHidden();
  }
}

/** Approves a device login on the issuer's pages, opened at verification_uri_complete. */
export async function approveOnIssuerPages(page: Page, link: string, sub: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Confirm Device' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByPlaceholder('Enter any login').fill(sub);
  await page.getByPlaceholder('and password').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();

  await expect(page.getByRole('button', { name: 'Continue' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Sign-in Success' })).toBeVisible();
}

/** Writes tokens where the PWA's token store keeps them and tells every tab, as a sign-in does. */
export async function storeTokens(page: Page, tokens: Record<string, unknown>): Promise<void> {
  await page.evaluate(async (value) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('heph-auth', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('tokens');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise<void>((resolve, reject) => {
      const transaction = db.transaction('tokens', 'readwrite');
      transaction.objectStore('tokens').put(value, 'hub');
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
    });
    db.close();
    const channel = new BroadcastChannel('heph-auth');
    channel.postMessage({ kind: 'tokens-changed' });
    channel.close();
  }, tokens);
}

/** The stored tokens as the PWA keeps them, or null. */
export async function readTokens(page: Page): Promise<Record<string, unknown> | null> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('heph-auth', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('tokens');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const value = await new Promise<unknown>((resolve, reject) => {
      const request = db.transaction('tokens').objectStore('tokens').get('hub');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return (value as Record<string, unknown> | undefined) ?? null;
  });
}
