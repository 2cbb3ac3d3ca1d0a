/**
 * The console's YAML editors (CodeMirror 6) from a test: a contenteditable with role textbox, whose
 * text is its `.cm-line`s. Shared by the page objects of the policy editor and the Authorization page.
 */
import type { Locator } from '@playwright/test';

/** Replaces the editor's text (as typing would: CodeMirror sees an input). */
export async function replaceEditorText(editor: Locator, text: string): Promise<void> {
  await editor.click();
  await editor.page().keyboard.press('ControlOrMeta+a');
  await editor.page().keyboard.press('Delete');
  await editor.fill(text);
}

/** The editor's current text. */
export function editorText(editor: Locator): Promise<string> {
  return editor.evaluate((el) => [...el.querySelectorAll('.cm-line')].map((line) => line.textContent ?? '').join('\n'));
}
