/** `/audit` (admins): filters, the entries table with Load more, and Verify chain. */
import { expect, type Locator, type Page } from '@playwright/test';
import { exactly } from './text.ts';

export class AuditPage {
  readonly page: Page;
  readonly main: Locator;
  readonly heading: Locator;
  readonly entries: Locator;
  readonly rows: Locator;
  readonly filters: Locator;
  readonly verifyButton: Locator;
  readonly loadMore: Locator;
  /** "Showing the newest 50 entries" / "Showing all 63 entries". */
  readonly shown: Locator;
  readonly refusal: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1, name: 'Audit log' });
    this.entries = this.main.getByRole('region', { name: 'Entries' });
    this.rows = this.entries.getByRole('row').filter({ has: page.getByRole('cell') });
    this.filters = this.main.getByRole('form', { name: 'Audit log filters' });
    this.verifyButton = this.main.getByRole('button', { name: /^Verify(ing)? chain/ });
    this.loadMore = this.entries.getByRole('button', { name: 'Load more' });
    this.shown = this.entries.getByRole('status').filter({ hasText: /^Showing / });
    this.refusal = this.main.getByRole('alert').filter({ hasText: 'You need the admin role' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/audit');
    await expect(this.heading).toBeVisible();
  }

  /** Rows whose Action cell is exactly `action`. */
  rowsFor(action: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('cell', { name: exactly(action) }) });
  }

  async filter(filters: { actor?: string; action?: string; outcome?: '' | 'success' | 'denied' | 'failure' }): Promise<void> {
    if (filters.actor !== undefined) await this.filters.getByLabel('Actor').fill(filters.actor);
    if (filters.action !== undefined) await this.filters.getByLabel('Action').fill(filters.action);
    if (filters.outcome !== undefined) await this.filters.getByLabel('Outcome').selectOption(filters.outcome);
    await this.filters.getByRole('button', { name: 'Apply filters' }).click();
  }

  async clearFilters(): Promise<void> {
    await this.filters.getByRole('button', { name: 'Clear' }).click();
  }
}
