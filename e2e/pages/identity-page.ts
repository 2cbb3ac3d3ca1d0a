/**
 * `/identity`: the mesh identity card (trust domain, mTLS mode, CA generations, root rotation),
 * the namespace picker, services with their mTLS mode, certificates per proxy, and join tokens.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { escapeRegExp, exactly } from './text.ts';

export type RotationButton = 'Start rotation' | 'Activate new CA' | 'Finish rotation';

export class IdentityPage {
  readonly page: Page;
  readonly main: Locator;
  readonly heading: Locator;
  readonly mesh: Locator;
  readonly trustDomain: Locator;
  readonly meshMode: Locator;
  readonly generations: Locator;
  readonly rotation: Locator;
  /** The badge after "Phase". */
  readonly phase: Locator;
  readonly steps: Locator;
  readonly rotationDialog: Locator;
  readonly namespacePicker: Locator;
  readonly services: Locator;
  readonly certificates: Locator;
  readonly joinTokens: Locator;
  readonly createJoinTokenButton: Locator;
  readonly createDialog: Locator;
  readonly secretDialog: Locator;
  readonly secret: Locator;
  readonly revokeDialog: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1, name: 'Identity' });
    this.mesh = this.main.getByRole('region', { name: 'Mesh identity' });
    this.trustDomain = this.mesh.locator('dt', { hasText: 'Trust domain' }).locator('+ dd');
    this.meshMode = this.mesh.locator('dt', { hasText: 'Mesh mTLS mode' }).locator('+ dd');
    this.generations = this.mesh.getByRole('table', { name: 'CA generations' });
    this.rotation = this.mesh.getByRole('group', { name: 'Root rotation' });
    this.phase = this.rotation.getByText(/^(stable|started|activated)$/);
    this.steps = this.rotation.getByRole('list', { name: 'Rotation steps' });
    this.rotationDialog = page.getByRole('dialog', { name: /^(Start rotation|Activate new CA|Finish rotation)\?$/ });
    this.namespacePicker = this.main.getByLabel('Namespace');
    this.services = this.main.getByRole('region', { name: /^Services in / });
    this.certificates = this.main.getByRole('region', { name: /^Certificates in / });
    this.joinTokens = this.main.getByRole('region', { name: /^Join tokens in / });
    this.createJoinTokenButton = this.joinTokens.getByRole('button', { name: 'Create join token' });
    this.createDialog = page.getByRole('dialog', { name: /^Create a join token in / });
    this.secretDialog = page.getByRole('dialog', { name: /^Join token for .* created$/ });
    this.secret = this.secretDialog.getByLabel('Secret');
    this.revokeDialog = page.getByRole('dialog', { name: /^Revoke join token / });
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/identity${query}`);
    await expect(this.heading).toBeVisible();
  }

  /** The data rows of the generations table (without its header row). */
  generationRows(): Locator {
    return this.generations.locator('tbody tr');
  }

  /** A generation's state badges, top to bottom (ACTIVE first). */
  async generationStates(): Promise<string[]> {
    return (await this.generationRows().locator('td:first-child').allInnerTexts()).map((t) => t.trim());
  }

  rotationButton(name: RotationButton): Locator {
    return this.rotation.getByRole('button', { name });
  }

  /** Any rotation button, for checking that none is offered. */
  get anyRotationButton(): Locator {
    return this.rotation.getByRole('button');
  }

  /** Presses the step's button and confirms; the dialog closes when the control plane accepted it. */
  async rotate(step: RotationButton): Promise<void> {
    await this.rotationButton(step).click();
    await expect(this.rotationDialog).toHaveAccessibleName(`${step}?`);
    await this.rotationDialog.getByRole('button', { name: step }).click();
    await expect(this.rotationDialog).toBeHidden();
  }

  service(name: string): Locator {
    return this.services.getByRole('row').filter({ has: this.page.getByRole('cell', { name: exactly(name) }) });
  }

  certificate(proxyId: string): Locator {
    return this.certificates.locator('tbody tr').filter({ hasText: new RegExp(`^${escapeRegExp(proxyId)}`) });
  }

  joinToken(prefix: string): Locator {
    return this.joinTokens.locator('tbody tr').filter({ hasText: prefix });
  }

  async createJoinToken(token: { service: string; expiresIn: string; maxUses: number }): Promise<void> {
    await this.createJoinTokenButton.click();
    await expect(this.createDialog).toBeVisible();
    await this.createDialog.getByLabel('Service').fill(token.service);
    await this.createDialog.getByLabel('Expires in').fill(token.expiresIn);
    await this.createDialog.getByLabel('Max uses').fill(String(token.maxUses));
    await this.createDialog.getByRole('button', { name: 'Create join token' }).click();
    await expect(this.secretDialog).toBeVisible();
  }

  async closeSecret(): Promise<void> {
    await this.secretDialog.getByRole('button', { name: 'I have stored it' }).click();
    await expect(this.secretDialog).toBeHidden();
  }
}
