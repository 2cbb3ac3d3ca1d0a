/** `/users` (admins): the accounts table and the Create user dialog. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Account } from '../support/accounts.ts';
import { escapeRegExp, exactly } from './text.ts';

export class UsersPage {
  readonly page: Page;
  readonly main: Locator;
  readonly heading: Locator;
  readonly table: Locator;
  readonly createButton: Locator;
  readonly createDialog: Locator;
  /** What non-admins get instead of the page. */
  readonly refusal: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1, name: 'Users' });
    this.table = this.main.getByRole('region', { name: 'All users' }).getByRole('table');
    this.createButton = this.main.getByRole('button', { name: 'Create user' });
    this.createDialog = page.getByRole('dialog', { name: 'Create a user' });
    this.refusal = this.main.getByRole('alert').filter({ hasText: 'You need the admin role' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/users');
    await expect(this.heading).toBeVisible();
  }

  row(username: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByText(exactly(username)) });
  }

  /** A row's action (Make admin, Remove admin, Disable, Enable), confirmed in its dialog. */
  async change(username: string, action: 'Make admin' | 'Remove admin' | 'Disable' | 'Enable'): Promise<void> {
    const name = action === 'Make admin' || action === 'Remove admin' ? `${action}: ${username}` : `${action} ${username}`;
    await this.row(username).getByRole('button', { name, exact: true }).click();
    const dialog = this.page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: /^(Make admin|Remove admin role|Disable user|Enable user)$/ }).click();
    await expect(dialog).toBeHidden();
  }

  resetDialog(username: string): Locator {
    return this.page.getByRole('dialog', { name: `Reset password for ${username}` });
  }

  /** A field of the create dialog by its label (which may go on with "(optional)"). */
  field(label: string): Locator {
    return this.createDialog.getByLabel(new RegExp(`^${escapeRegExp(label)}( \\(optional\\))?$`));
  }

  /** Opens the dialog and submits it; leaves the dialog open (for errors) or closed (success). */
  async submitCreate(account: Account, { admin = false } = {}): Promise<void> {
    if (!(await this.createDialog.isVisible())) await this.createButton.click();
    await this.field('Username').fill(account.username);
    await this.field('Display name').fill(account.displayName);
    await this.field('Password').fill(account.password);
    if (admin) await this.field('Organization admin').check();
    await this.createDialog.getByRole('button', { name: 'Create user' }).click();
  }
}
