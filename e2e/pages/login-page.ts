/** `/login`: username, password, one button; a problem shows as an alert in the form. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Account } from '../support/accounts.ts';

export class LoginPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  /** Why the last attempt failed (Next's route announcer is an alert too, outside main). */
  readonly problem: Locator;

  constructor(page: Page) {
    this.page = page;
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1, name: 'Sign in' });
    this.username = main.getByLabel('Username');
    this.password = main.getByLabel('Password');
    this.submit = main.getByRole('button', { name: /^Sign(ing)? in/ });
    this.problem = main.getByRole('alert');
  }

  async goto(): Promise<void> {
    await this.page.goto('/login');
    await expect(this.heading).toBeVisible();
  }

  async fill(account: Pick<Account, 'username' | 'password'>): Promise<void> {
    await this.username.fill(account.username);
    await this.password.fill(account.password);
  }

  /** Signs in through the form and waits to leave /login. */
  async signIn(account: Pick<Account, 'username' | 'password'>): Promise<void> {
    await this.fill(account);
    await this.submit.click();
    await this.page.waitForURL((url) => url.pathname !== '/login');
  }
}
