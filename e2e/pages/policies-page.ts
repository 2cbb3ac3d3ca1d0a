/**
 * The Policies area: the list (`/policies`, filters and a table), a policy's page (delivery,
 * current spec, history with revert), the editor (`…/edit`, `/policies/new`: YAML in CodeMirror,
 * live findings, Review), the review step (findings, side-by-side diff, blast radius, change
 * message, Apply) and the conflict view.
 */
import type { Locator, Page } from '@playwright/test';
import { editorText, replaceEditorText } from '../support/code-editor.ts';

export class PoliciesPage {
  readonly page: Page;
  readonly main: Locator;
  readonly filters: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  /** The CodeMirror content element (a textbox named "Policy YAML"). */
  readonly yaml: Locator;
  readonly validation: Locator;
  readonly problems: Locator;
  readonly review: Locator;
  readonly message: Locator;
  readonly history: Locator;
  readonly delivery: Locator;
  readonly blastRadius: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.filters = this.main.getByRole('form', { name: 'Policy filters' });
    this.table = this.main.getByRole('table', { name: 'Policies' });
    this.rows = this.table.locator('tbody tr');
    this.yaml = this.main.getByRole('textbox', { name: 'Policy YAML' });
    this.validation = this.main.locator('#validation-status');
    this.problems = this.main.getByRole('list', { name: 'Problems' });
    this.review = this.main.getByRole('button', { name: 'Review changes' });
    this.message = this.main.getByRole('textbox', { name: 'Change message' });
    this.history = this.main.getByRole('list', { name: 'Revisions, newest first' });
    this.delivery = this.main.getByRole('region', { name: 'Delivery' });
    this.blastRadius = this.main.getByRole('region', { name: 'Proxies it reaches' });
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(query ? `/policies?${query}` : '/policies');
  }

  async open(namespace: string, plural: string, name: string, page: 'view' | 'edit' = 'view'): Promise<void> {
    await this.page.goto(`/policies/${namespace}/${plural}/${name}${page === 'edit' ? '/edit' : ''}`);
  }

  /** Replaces the editor's text (as typing would: CodeMirror sees an input). */
  setYaml(text: string): Promise<void> {
    return replaceEditorText(this.yaml, text);
  }

  /** The editor's current text. */
  yamlText(): Promise<string> {
    return editorText(this.yaml);
  }

  /** A line of the editor marked with a finding (CodeMirror's lint marks). */
  markedLines(): Locator {
    return this.main.locator('.cm-lint-marker-error');
  }

  revision(n: number): Locator {
    return this.history.getByRole('listitem', { name: `Revision ${n}` });
  }
}
