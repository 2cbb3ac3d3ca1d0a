/**
 * The draft editor's text ↔ the document sent to `authorization.preview` and `resources.put`.
 *
 *   text ──parseDraft (YAML or JSON, the resource API's own parser)──▶ document + lineOf(path)
 *        └─ a 400's issues (`document.spec.rules.0…`) ──draftIssues──▶ field, line, message
 *
 * The draft never leaves the browser until Preview or Apply: nothing here talks to the API.
 */
import type { FieldIssue } from '@weft/contracts';
import { parseDocuments } from '@weft/contracts/resources';

export type PolicyMode = 'enforce' | 'audit';

/** What the editor holds when it first opens: a DENY of /admin, in audit mode, for `namespace`. */
export function exampleDraft(namespace: string): string {
  return `apiVersion: weft.dev/v1alpha1
kind: AuthorizationPolicy
metadata:
  name: deny-admin
  namespace: ${namespace}
spec:
  # Without targetRef the policy protects every service of the namespace; for one service:
  # targetRef: {kind: Service, name: payments}
  action: DENY
  mode: audit
  rules:
    - to:
        - paths: ["/admin", "/admin/*"]
`;
}

export type ParsedDraft =
  | {
      ok: true;
      document: Record<string, unknown>;
      /** `metadata.name`, when the draft has one (needed to apply it). */
      name: string | null;
      /** The 1-based line of a dotted path in the text (`spec.rules.0`), or of its nearest ancestor. */
      lineOf: (path: string) => number | undefined;
    }
  | { ok: false; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One YAML or JSON document, as the resource API would read it; what is wrong with the text otherwise. */
export function parseDraft(text: string): ParsedDraft {
  const parsed = parseDocuments(text);
  const error = parsed.errors[0];
  if (error) {
    const where = error.line === undefined ? '' : `Line ${error.line}${error.column === undefined ? '' : `, column ${error.column}`}: `;
    return { ok: false, message: `${where}${error.path ? `${error.path}: ` : ''}${error.message}` };
  }
  if (parsed.documents.length === 0) return { ok: false, message: 'The draft is empty: write one AuthorizationPolicy document.' };
  if (parsed.documents.length > 1) return { ok: false, message: `The draft holds ${parsed.documents.length} documents: preview one AuthorizationPolicy at a time.` };
  const document = parsed.documents[0];
  const source = parsed.sources[0]!;
  if (!isRecord(document)) return { ok: false, message: 'The draft must be a mapping (apiVersion, kind, metadata, spec).' };
  const metadata = document.metadata;
  const name = isRecord(metadata) && typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : null;
  return { ok: true, document, name, lineOf: (path) => source.lineOf(path) };
}

/** The document with `spec.mode` set: what "Apply in audit mode" and "Apply and enforce" send. */
export function withMode(document: Record<string, unknown>, mode: PolicyMode): Record<string, unknown> {
  const spec = isRecord(document.spec) ? document.spec : {};
  return { ...document, spec: { ...spec, mode } };
}

export interface DraftIssue {
  /** Inside the document (`spec.rules.0.to.0.paths.0`); '' for the document itself. */
  path: string;
  line: number | undefined;
  message: string;
}

/**
 * The field issues of a rejected draft, as paths inside the document with their lines. Preview
 * names fields `document.…`, resources.put names them from the document's root; issues about other
 * inputs (`window`, `namespace`) are not the editor's and are left out.
 */
export function draftIssues(issues: readonly FieldIssue[], lineOf: ((path: string) => number | undefined) | null): DraftIssue[] {
  const out: DraftIssue[] = [];
  for (const issue of issues) {
    let path: string;
    if (issue.path === 'document') path = '';
    else if (issue.path.startsWith('document.')) path = issue.path.slice('document.'.length);
    else if (/^(apiVersion|kind|metadata|spec)(\.|$)/.test(issue.path)) path = issue.path;
    else continue;
    out.push({ path, line: lineOf ? lineOf(path) : undefined, message: issue.message });
  }
  return out;
}

/** `spec.rules.0.to.0.paths.0 (line 13): must start with '/'`. */
export function issueText(issue: DraftIssue): string {
  const field = issue.path || 'The document';
  return `${field}${issue.line === undefined ? '' : ` (line ${issue.line})`}: ${issue.message}`;
}
