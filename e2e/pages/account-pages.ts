/** The signed-in user's own pages: `/account/sessions` and `/account/password`. */
import { expect, type Locator, type Page } from '@playwright/test';

export class SessionsPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly rows: Locator;
  readonly current: Locator;
  readonly confirmDialog: Locator;

  constructor(page: Page) {
    this.page = page;
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1, name: 'My sessions' });
    this.rows = main.getByRole('region', { name: 'Active sessions' }).getByRole('row').filter({ has: page.getByRole('cell') });
    this.current = this.rows.filter({ hasText: 'This session' });
    this.confirmDialog = page.getByRole('dialog', { name: 'Sign out this session?' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/account/sessions');
    await expect(this.heading).toBeVisible();
  }
}

export class PasswordPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly current: Locator;
  readonly next: Locator;
  readonly confirm: Locator;
  readonly submit: Locator;

  constructor(page: Page) {
    this.page = page;
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1, name: 'Change password' });
    this.current = main.getByLabel('Current password');
    this.next = main.getByLabel('New password', { exact: true });
    this.confirm = main.getByLabel('Confirm new password');
    this.submit = main.getByRole('button', { name: /^Chang(e|ing) password/ });
  }

  async goto(): Promise<void> {
    await this.page.goto('/account/password');
    await expect(this.heading).toBeVisible();
  }
}

export class AccountPages {
  readonly sessions: SessionsPage;
  readonly password: PasswordPage;

  constructor(page: Page) {
    this.sessions = new SessionsPage(page);
    this.password = new PasswordPage(page);
  }
}
