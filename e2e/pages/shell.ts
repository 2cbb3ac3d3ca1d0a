/**
 * The frame around every page: the banner with the account menu (or "Sign in"), and the primary
 * navigation. Locators go by role and accessible name.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Account } from '../support/accounts.ts';

export class Shell {
  readonly page: Page;
  readonly banner: Locator;
  readonly nav: Locator;
  readonly main: Locator;
  /** The button opening the account menu: "Account: <display name> [Admin]". */
  readonly accountButton: Locator;
  readonly accountMenu: Locator;
  readonly signInLink: Locator;

  constructor(page: Page) {
    this.page = page;
    this.banner = page.getByRole('banner');
    this.nav = page.getByRole('navigation', { name: 'Primary' });
    this.main = page.getByRole('main');
    this.accountButton = this.banner.getByRole('button', { name: /^Account:/ });
    this.accountMenu = page.getByRole('navigation', { name: 'Account' });
    this.signInLink = this.banner.getByRole('link', { name: 'Sign in' });
  }

  navLink(area: string): Locator {
    return this.nav.getByRole('link', { name: area, exact: true });
  }

  /** The account button shows who is signed in, and whether they are an admin. */
  async expectSignedInAs(account: Account, { admin }: { admin: boolean }): Promise<void> {
    await expect(this.accountButton).toHaveAccessibleName(`Account: ${account.displayName}${admin ? ' Admin' : ''}`);
  }

  async openAccountMenu(): Promise<void> {
    if (await this.accountMenu.isVisible()) return;
    await this.accountButton.click();
    await expect(this.accountMenu).toBeVisible();
  }

  /** Account menu → Sign out; the console reloads on /login. */
  async signOut(): Promise<void> {
    await this.openAccountMenu();
    await this.accountMenu.getByRole('button', { name: 'Sign out' }).click();
    await this.page.waitForURL((url) => url.pathname === '/login');
    await expect(this.signInLink.or(this.page.getByRole('heading', { name: 'Sign in', level: 1 }))).toBeVisible();
  }
}
