/**
 * A page model of heph's daily screens: capture, the views, a task's detail
 * and acting on tasks. Tests act only through it; it finds elements by role,
 * label or test id and waits on what the app shows, never on time.
 */
import { type BrowserContext, expect, type Locator, type Page } from '@playwright/test';

export const VIEW_LABELS = [
  'Next',
  'Today',
  'Upcoming',
  'Inbox',
  'Projects',
  'Tags',
  'Logbook',
  'Search',
  'Settings',
] as const;
export type ViewLabel = (typeof VIEW_LABELS)[number];

export class CapturePage {
  readonly quickAdd: Locator;
  readonly mic: Locator;
  readonly dictation: Locator;
  readonly voiceMessage: Locator;
  readonly toast: Locator;
  readonly detail: Locator;

  constructor(readonly page: Page) {
    this.quickAdd = page.getByRole('textbox', { name: 'New task' });
    this.mic = page.getByRole('button', { name: 'Voice capture' });
    this.dictation = page.getByRole('textbox', { name: 'Dictate a task' });
    this.voiceMessage = page.getByTestId('voice-message');
    this.toast = page.getByTestId('toast');
    this.detail = page.getByTestId('task-detail');
  }

  static async open(context: BrowserContext, url: string): Promise<CapturePage> {
    const page = await context.newPage();
    const app = new CapturePage(page);
    await app.goto(url);
    return app;
  }

  /** Opens `url` and waits until the store is open and the first view has answered. */
  async goto(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.quickAdd).toBeVisible();
  }

  /** Nothing pending and the last sync complete; a large first pull may need a longer `timeout`. */
  async synced(timeout?: number): Promise<void> {
    await expect(this.page.getByTestId('status-pending')).toHaveAttribute('data-count', '0');
    await expect(this.page.getByTestId('status-sync')).toHaveText('Synced', { timeout });
  }

  /**
   * Tells the app the network is back (as the browser would) until it has
   * pushed everything: a sync that was backing off while the hub was away
   * may need more than one nudge.
   */
  async syncAfterReconnect(): Promise<void> {
    await expect(async () => {
      await this.page.evaluate(() => window.dispatchEvent(new Event('online')));
      await expect(this.page.getByTestId('status-pending')).toHaveAttribute('data-count', '0', {
        timeout: 5_000,
      });
    }).toPass({ timeout: 60_000 });
    await this.synced();
  }

  /** The chip under the bar for a token the parser found ('date', 'project', …). */
  token(kind: string): Locator {
    return this.page.getByTestId(`qa-token-${kind}`);
  }

  async type(text: string): Promise<void> {
    await this.quickAdd.fill(text);
  }

  async add(text: string): Promise<void> {
    await this.quickAdd.fill(text);
    await this.quickAdd.press('Enter');
    await expect(this.quickAdd).toHaveValue('');
  }

  async show(view: ViewLabel): Promise<Locator> {
    await this.page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('button', { name: view, exact: true })
      .click();
    const region = this.page.getByRole('region', { name: view, exact: true });
    await expect(region).toBeVisible();
    return region;
  }

  row(title: string): Locator {
    return this.page.getByTestId('task-row').filter({ hasText: title });
  }

  async done(title: string): Promise<void> {
    await this.page.getByRole('button', { name: `Done: ${title}`, exact: true }).click();
  }

  async rowAction(title: string, action: 'Skip' | 'Drop'): Promise<void> {
    await this.page.getByRole('button', { name: `More actions: ${title}`, exact: true }).click();
    await this.row(title).getByRole('button', { name: action, exact: true }).click();
  }

  /** A touch swipe across a row, as pointer events with pointerType touch. */
  async swipe(title: string, direction: 'left' | 'right'): Promise<void> {
    const row = this.row(title);
    const box = await row.boundingBox();
    if (!box) throw new Error(`row ${title} is not on screen`);
    const y = box.y + box.height / 2;
    const from = box.x + box.width / 2;
    const to = from + (direction === 'right' ? 120 : -120);
    const touch = { pointerType: 'touch', pointerId: 7, isPrimary: true, clientY: y };
    await row.dispatchEvent('pointerdown', { ...touch, clientX: from });
    await row.dispatchEvent('pointermove', { ...touch, clientX: (from + to) / 2 });
    await row.dispatchEvent('pointermove', { ...touch, clientX: to });
    await row.dispatchEvent('pointerup', { ...touch, clientX: to });
  }

  async undo(): Promise<void> {
    await this.toast.getByRole('button', { name: 'Undo' }).click();
    await expect(this.toast).toHaveCount(0);
  }

  async openTask(title: string): Promise<void> {
    await this.row(title).getByRole('link').click();
    await expect(this.detail).toBeVisible();
    await expect(this.field('Title')).toHaveValue(title);
  }

  field(label: string): Locator {
    return this.detail.getByLabel(label, { exact: true });
  }

  async setField(label: string, value: string): Promise<void> {
    const input = this.field(label);
    await input.fill(value);
    await input.press('Enter');
  }

  async history(label: string): Promise<Locator> {
    await this.detail.getByRole('button', { name: `History of ${label}` }).click();
    const region = this.detail.getByRole('region', { name: `History of ${label}` });
    await expect(region).toBeVisible();
    return region;
  }

  async setContext(text: string): Promise<void> {
    await this.detail.getByRole('button', { name: 'Edit context' }).click();
    await this.detail.getByRole('textbox', { name: 'Context (Markdown)' }).fill(text);
    await this.detail.getByRole('button', { name: 'Save context' }).click();
    await expect(this.detail.getByTestId('context-rendered')).toBeVisible();
  }

  async addLog(text: string): Promise<void> {
    await this.detail.getByRole('textbox', { name: 'New log entry' }).fill(text);
    await this.detail.getByRole('button', { name: 'Add to log' }).click();
    await expect(this.detail.getByTestId('log-entry').filter({ hasText: text })).toBeVisible();
  }

  async linkTo(search: string, title: string): Promise<void> {
    await this.detail.getByRole('searchbox', { name: 'Find a task or note to link' }).fill(search);
    await this.detail.getByRole('button', { name: `Link to ${title}` }).click();
    await expect(this.detail.getByTestId('link-out').filter({ hasText: title })).toBeVisible();
  }

  async back(): Promise<void> {
    await this.detail.getByRole('button', { name: '← Back' }).click();
    await expect(this.detail).toHaveCount(0);
  }

  async search(query: string): Promise<Locator> {
    const region = await this.show('Search');
    await region.getByRole('searchbox', { name: 'Search' }).fill(query);
    return region.getByTestId('search-hit');
  }

  /** The browser's own local date `days` from today at hh:mm, as a datetime-local value. */
  localInput(days: number, hours: number, minutes = 0): Promise<string> {
    return this.page.evaluate(
      ([d, h, m]) => {
        const date = new Date();
        date.setDate(date.getDate() + d);
        date.setHours(h, m, 0, 0);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
          date.getHours(),
        )}:${pad(date.getMinutes())}`;
      },
      [days, hours, minutes] as const,
    );
  }
}
