/** `/teams` (the list, with create and delete for admins) and `/teams/<id>` (members, namespaces). */
import { expect, type Locator, type Page } from '@playwright/test';
import { exactly } from './text.ts';

export type Role = 'viewer' | 'editor' | 'owner';

export class TeamsPage {
  readonly page: Page;
  readonly heading: Locator;
  readonly list: Locator;
  readonly createButton: Locator;
  readonly createDialog: Locator;
  readonly deleteDialog: Locator;

  constructor(page: Page) {
    this.page = page;
    const main = page.getByRole('main');
    this.heading = main.getByRole('heading', { level: 1, name: 'Teams' });
    this.list = main.getByRole('region', { name: /^(All teams|Your teams)$/ });
    this.createButton = main.getByRole('button', { name: 'Create team' });
    this.createDialog = page.getByRole('dialog', { name: 'Create a team' });
    this.deleteDialog = page.getByRole('dialog', { name: /^Delete team / });
  }

  async goto(): Promise<void> {
    await this.page.goto('/teams');
    await expect(this.heading).toBeVisible();
  }

  /** The table row of a team, by its name (e.g. payments-team). */
  row(name: string): Locator {
    return this.list.getByRole('row').filter({ has: this.page.getByText(exactly(name)) });
  }

  /** Admins: Create team → the form → the new team's page. */
  async createTeam(team: { name: string; displayName?: string; owner?: string }): Promise<void> {
    await this.createButton.click();
    await expect(this.createDialog).toBeVisible();
    await this.createDialog.getByLabel('Name', { exact: true }).fill(team.name);
    if (team.displayName) await this.createDialog.getByLabel('Display name').fill(team.displayName);
    if (team.owner) await this.createDialog.getByLabel('Owner').selectOption(team.owner);
    await this.createDialog.getByRole('button', { name: 'Create team' }).click();
    await this.page.waitForURL(/\/teams\/[0-9a-f-]{36}$/);
  }

  /** Admins: Delete on the team's row, then confirm; the dialog stays open when the server refuses. */
  async delete(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: `Delete team ${name}` }).click();
    await expect(this.deleteDialog).toBeVisible();
    await this.deleteDialog.getByRole('button', { name: 'Delete team' }).click();
  }

  async open(name: string): Promise<void> {
    await this.row(name).getByRole('link').click();
    await this.page.waitForURL(/\/teams\/[0-9a-f-]{36}$/);
  }
}

export class TeamPage {
  readonly page: Page;
  readonly main: Locator;
  readonly members: Locator;
  readonly namespaces: Locator;
  readonly addMemberButton: Locator;
  readonly addMemberDialog: Locator;
  readonly namespaceInput: Locator;
  readonly assignButton: Locator;
  /** "You are a viewer of this team, so this page is read-only…" */
  readonly readOnlyNote: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.members = this.main.getByRole('region', { name: 'Members' });
    this.namespaces = this.main.getByRole('region', { name: 'Namespaces' });
    this.addMemberButton = this.members.getByRole('button', { name: 'Add member' });
    this.addMemberDialog = page.getByRole('dialog', { name: /^Add a member to / });
    this.namespaceInput = this.namespaces.getByRole('textbox', { name: 'Namespace' });
    this.assignButton = this.namespaces.getByRole('button', { name: /Assign namespace|Move to this team/ });
    this.readOnlyNote = this.main.getByRole('status').filter({ hasText: 'this page is read-only' });
  }

  heading(title: string): Locator {
    return this.main.getByRole('heading', { level: 1, name: title });
  }

  memberRow(username: string): Locator {
    return this.members.getByRole('row').filter({ has: this.page.getByText(exactly(username)) });
  }

  namespace(name: string): Locator {
    return this.namespaces.getByRole('listitem').filter({ hasText: exactly(name) });
  }

  /** Every control on the page that would change the team: buttons, inputs and selects. */
  editControls(): Locator {
    return this.members.getByRole('button').or(this.namespaces.getByRole('button')).or(this.namespaces.getByRole('textbox'));
  }

  async addMember(username: string, role: Role): Promise<void> {
    await this.addMemberButton.click();
    await expect(this.addMemberDialog).toBeVisible();
    await this.addMemberDialog.getByLabel('User').selectOption(username);
    await this.addMemberDialog.getByLabel('Role').selectOption(role);
    await this.addMemberDialog.getByRole('button', { name: 'Add member' }).click();
    await expect(this.addMemberDialog).toBeHidden();
  }

  async changeRole(username: string, role: Role): Promise<void> {
    await this.memberRow(username).getByRole('button', { name: `Change role of ${username}` }).click();
    const dialog = this.page.getByRole('dialog', { name: `Change role of ${username}` });
    await dialog.getByLabel('Role').selectOption(role);
    await dialog.getByRole('button', { name: 'Save role' }).click();
    await expect(dialog).toBeHidden();
  }

  async assignNamespace(name: string): Promise<void> {
    await this.namespaceInput.fill(name);
    await this.assignButton.click();
    await expect(this.namespaces.getByRole('status')).toContainText(`${name} now belongs to`);
  }
}
