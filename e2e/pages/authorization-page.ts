/**
 * `/policies/authorization`: namespace and window pickers, the policies in effect (table with
 * requests per rule), the draft editor with Preview and Apply, and the preview's result.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { exactly } from './text.ts';
import { editorText, replaceEditorText } from '../support/code-editor.ts';

export class AuthorizationPage {
  readonly page: Page;
  readonly main: Locator;
  readonly heading: Locator;
  readonly namespacePicker: Locator;
  readonly windowPicker: Locator;
  /** The card "Policies in effect in <namespace>". */
  readonly policies: Locator;
  readonly draft: Locator;
  /** The draft's textarea; its accessible description carries the field errors. */
  readonly editor: Locator;
  readonly previewButton: Locator;
  readonly applyAuditButton: Locator;
  readonly enforceButton: Locator;
  readonly enforceDialog: Locator;
  readonly result: Locator;
  /** "Would deny N of M requests in the last hour". */
  readonly headline: Locator;
  readonly applied: Locator;

  constructor(page: Page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = this.main.getByRole('heading', { level: 1, name: 'Authorization' });
    this.namespacePicker = this.main.getByLabel('Namespace');
    this.windowPicker = this.main.getByLabel('Window');
    this.policies = this.main.getByRole('region', { name: /^Policies in effect in / });
    this.draft = this.main.getByRole('region', { name: 'Draft a policy' });
    this.editor = this.draft.getByRole('textbox', { name: 'Draft AuthorizationPolicy (YAML or JSON)' });
    this.previewButton = this.draft.getByRole('button', { name: /^Preview(ing…)?$/ });
    this.applyAuditButton = this.draft.getByRole('button', { name: 'Apply in audit mode' });
    this.enforceButton = this.draft.getByRole('button', { name: 'Apply and enforce' });
    this.enforceDialog = page.getByRole('dialog', { name: /^Enforce / });
    this.result = this.draft.getByRole('group', { name: 'Preview result' });
    this.headline = this.result.getByRole('status').locator('p').first();
    this.applied = this.draft.getByRole('status').filter({ hasText: /(created|updated|was already applied) (in audit mode|and enforced)/ });
  }

  async goto(query = ''): Promise<void> {
    await this.page.goto(`/policies/authorization${query}`);
    await expect(this.heading).toBeVisible();
  }

  /** A policy's row in the table, by name. */
  policy(name: string): Locator {
    return this.policies.getByRole('row').filter({ has: this.page.getByRole('cell', { name: exactly(name) }) });
  }

  /** A table of the preview's result ("Top sources it would deny", "Sample requests it would deny"). */
  resultTable(name: string): Locator {
    return this.result.getByRole('table', { name });
  }

  /** Replaces the draft's text (as typing would: CodeMirror sees an input). */
  setDraft(text: string): Promise<void> {
    return replaceEditorText(this.editor, text);
  }

  /** The draft's current text. */
  draftText(): Promise<string> {
    return editorText(this.editor);
  }

  async preview(draft?: string): Promise<void> {
    if (draft !== undefined) await this.setDraft(draft);
    await this.previewButton.click();
    await expect(this.previewButton).toHaveText('Preview');
  }
}
