/** `/tokens`: one team's API tokens; create (the secret is shown once) and revoke. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Role } from './teams-page.ts';
import { exactly } from './text.ts';

export class TokensPage {
  readonly page: Page;
  readonly main: Locator;
  readonly heading: Locator;
  readonly teamPicker: Locator;
  readonly tokens: Locator;
  readonly createButton: Locator;
  readonly createDialog: Locator;
  readonly secretDialog: Locator;
  readonly secret: Locator;
  readonly copyButton: Locator;
  readonly revokeDialog: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1, name: 'API tokens' });
    this.teamPicker = this.main.getByLabel('Team');
    this.tokens = this.main.getByRole('region', { name: /^Tokens of / });
    this.createButton = this.tokens.getByRole('button', { name: 'Create token' });
    this.createDialog = page.getByRole('dialog', { name: /^Create an API token for / });
    this.secretDialog = page.getByRole('dialog', { name: /^Token .+ created$/ });
    this.secret = this.secretDialog.getByLabel('Secret');
    this.copyButton = this.secretDialog.getByRole('button', { name: 'Copy' });
    this.revokeDialog = page.getByRole('dialog', { name: /^Revoke token / });
  }

  async goto(): Promise<void> {
    await this.page.goto('/tokens');
    await expect(this.heading).toBeVisible();
  }

  row(name: string): Locator {
    return this.tokens.getByRole('row').filter({ has: this.page.getByRole('cell', { name: exactly(name) }) });
  }

  /** Fills and submits the create dialog; the secret dialog is open afterwards. */
  async create(token: { name: string; role: Role; days: number }): Promise<void> {
    await this.createButton.click();
    await this.createDialog.getByLabel('Name').fill(token.name);
    await this.createDialog.getByLabel('Role').selectOption(token.role);
    await this.createDialog.getByLabel('Expiry').fill(String(token.days));
    await this.createDialog.getByRole('button', { name: 'Create token' }).click();
    await expect(this.secretDialog).toBeVisible();
  }

  async closeSecret(): Promise<void> {
    await this.secretDialog.getByRole('button', { name: 'I have stored it' }).click();
    await expect(this.secretDialog).toBeHidden();
  }

  async revoke(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: `Revoke token ${name}` }).click();
    await expect(this.revokeDialog).toBeVisible();
    await this.revokeDialog.getByRole('button', { name: 'Revoke token' }).click();
    await expect(this.revokeDialog).toBeHidden();
  }
}
