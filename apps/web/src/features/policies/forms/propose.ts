/**
 * The gate between a form control and the text: an edit goes through only if the document it
 * produces has no schema issue the text did not already have. A form therefore never makes a
 * valid document invalid, and never blames the user's own unfinished YAML on a control.
 */
import { validateResource } from '@weft/contracts/resources';
import { applyEdits, readDocument, type YamlEdit } from './yaml-edits';

export type Proposal = { ok: true; text: string } | { ok: false; problem: string };

function issueKeys(document: unknown): Map<string, string> {
  const result = validateResource(document);
  const keys = new Map<string, string>();
  if (result.ok) return keys;
  for (const issue of result.issues) keys.set(`${issue.path}\n${issue.message}`, issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`);
  return keys;
}

/**
 * `text` with `edits` applied, or the first schema issue the edits would introduce
 * (`spec.retries.attempts: must be at most 10`). Issues the text already had are not counted.
 */
export function propose(text: string, edits: readonly YamlEdit[]): Proposal {
  const before = readDocument(text);
  if (!before.ok) return { ok: false, problem: 'Fix the YAML to use the form.' };
  const next = applyEdits(text, edits);
  const after = readDocument(next);
  if (!after.ok) return { ok: false, problem: `The change would not read back: ${after.message}` };
  const known = issueKeys(before.document);
  for (const [key, text] of issueKeys(after.document)) {
    if (!known.has(key)) return { ok: false, problem: text };
  }
  return { ok: true, text: next };
}

