/**
 * A policy as the editor holds it — YAML text — and what the editor reads from it.
 *
 *   stored resource ──editableYaml──▶ text (server-only metadata dropped; resourceVersion kept,
 *                                      so a stale apply is refused with 409, not a lost update)
 *   text ──parsePolicyText──▶ document, kind, name, namespace, resourceVersion, lineOf(path)
 *   API findings (diagnostics of a dry run, issues of a 400) ──findingsOf──▶ field, line, message
 */
import type { FieldIssue } from '@weft/contracts';
import { isResourceKind, parseDocuments, type Diagnostic, type ResourceKind, type StoredResource } from '@weft/contracts/resources';
import { parseDocument, stringify } from 'yaml';
import { draftIssues } from '../authorization/draft';

/** The stored resource as a document to edit and apply again. */
export function editableYaml(resource: StoredResource): string {
  const { name, namespace, labels, annotations, resourceVersion } = resource.metadata;
  const metadata = {
    name,
    ...(namespace ? { namespace } : {}),
    ...(labels && Object.keys(labels).length ? { labels } : {}),
    ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
    resourceVersion,
  };
  return stringify({ apiVersion: resource.apiVersion, kind: resource.kind, metadata, spec: resource.spec }, { lineWidth: 0 });
}

/** The same without `resourceVersion`: what an export or a diff of specs shows. */
export function portableYaml(resource: StoredResource): string {
  const text = editableYaml(resource);
  const doc = parseDocument(text);
  doc.deleteIn(['metadata', 'resourceVersion']);
  return doc.toString({ lineWidth: 0 });
}

export type ParsedPolicy =
  | {
      ok: true;
      document: Record<string, unknown>;
      kind: ResourceKind | null;
      name: string | null;
      namespace: string | null;
      resourceVersion: string | null;
      /** The 1-based line of a dotted path (`spec.rules.0`), or of its nearest ancestor. */
      lineOf: (path: string) => number | undefined;
    }
  | { ok: false; message: string; line: number | undefined };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** One YAML or JSON document, read as the resource API reads it. */
export function parsePolicyText(source: string): ParsedPolicy {
  const parsed = parseDocuments(source);
  const error = parsed.errors[0];
  if (error) {
    const where = error.line === undefined ? '' : `Line ${error.line}${error.column === undefined ? '' : `, column ${error.column}`}: `;
    return { ok: false, message: `${where}${error.path ? `${error.path}: ` : ''}${error.message}`, line: error.line };
  }
  if (parsed.documents.length !== 1) {
    return { ok: false, message: parsed.documents.length === 0 ? 'The editor is empty: write one document (apiVersion, kind, metadata, spec).' : `The editor holds ${parsed.documents.length} documents: edit one at a time (Import takes several).`, line: undefined };
  }
  const document = parsed.documents[0];
  if (!isRecord(document)) return { ok: false, message: 'The document must be a mapping (apiVersion, kind, metadata, spec).', line: 1 };
  const metadata = isRecord(document.metadata) ? document.metadata : {};
  const kind = typeof document.kind === 'string' && isResourceKind(document.kind) ? document.kind : null;
  const lineSource = parsed.sources[0]!;
  return { ok: true, document, kind, name: text(metadata.name), namespace: text(metadata.namespace), resourceVersion: text(metadata.resourceVersion), lineOf: (path) => lineSource.lineOf(path) };
}

/** The text with `metadata.resourceVersion` set (a rebase on the stored version after a conflict). */
export function withResourceVersion(source: string, resourceVersion: string): string {
  const doc = parseDocument(source);
  doc.setIn(['metadata', 'resourceVersion'], resourceVersion);
  return doc.toString({ lineWidth: 0 });
}

/** A finding shown beside the editor and at its line. */
export interface Finding {
  severity: 'error' | 'warning';
  /** The field (`spec.rules.0.backendRefs.1.weight`); '' for the document. */
  path: string;
  line: number | undefined;
  message: string;
  code?: string;
}

/**
 * The findings of a dry run: its diagnostics (warnings, and errors of a preview), or the field
 * issues of a refused one (400), each placed at its line in the text.
 */
export function findingsOf(input: { diagnostics?: readonly Diagnostic[]; issues?: readonly FieldIssue[] }, lineOf: ((path: string) => number | undefined) | null): Finding[] {
  const fromDiagnostics: Finding[] = (input.diagnostics ?? []).map((d) => ({ severity: d.severity, path: d.path, line: lineOf?.(d.path), message: d.message, code: d.code }));
  const fromIssues: Finding[] = draftIssues(input.issues ?? [], lineOf).map((i) => ({ severity: 'error', path: i.path, line: i.line, message: i.message }));
  return [...fromIssues, ...fromDiagnostics];
}

/** `spec.retries.attempts (line 9): must be at most 10`. */
export function findingText(f: Finding): string {
  return `${f.path || 'The document'}${f.line === undefined ? '' : ` (line ${f.line})`}: ${f.message}`;
}
