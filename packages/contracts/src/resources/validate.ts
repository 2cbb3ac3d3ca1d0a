/**
 * validateResource: one document (already parsed from YAML or JSON) → a typed resource, or every
 * problem with it as `{path, message}`. Never throws.
 *
 *   document ──▶ object? ──▶ size ──▶ apiVersion + kind ──▶ namespace (default / drop) ──▶ schema of the kind
 *
 * A wrong apiVersion or an unknown kind stops there with one clear issue (and a suggestion when the
 * kind looks like a typo): the rest of the document cannot be judged against the wrong schema.
 */
import type { FieldIssue } from '../errors.ts';
import { API_VERSION, MAX_DOCUMENT_BYTES } from './common.ts';
import { resourceErrorMap, suggest, toFieldIssues } from './issues.ts';
import { isResourceKind, KIND_NAMES, KINDS, resolveKind, type Resource } from './kinds.ts';

export interface ValidateOptions {
  /**
   * The namespace of a namespaced resource whose document has none (the request path's namespace,
   * the CLI's `-n`). Without it, such a document gets `metadata.namespace: required`.
   */
  defaultNamespace?: string;
}

export type ValidationResult = { ok: true; resource: Resource } | { ok: false; issues: FieldIssue[] };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** UTF-8 length of a string, without encoding it. */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const fail = (path: string, message: string): ValidationResult => ({ ok: false, issues: [{ path, message }] });

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 64 ? `${value.slice(0, 64)}…` : value}'`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : String(value);
}

function kindIssue(kind: unknown): FieldIssue | undefined {
  const choices = KIND_NAMES.join(', ');
  if (kind === undefined) return { path: 'kind', message: `required; one of: ${choices}` };
  if (typeof kind !== 'string') return { path: 'kind', message: `must be a string, one of: ${choices}; got ${describe(kind)}` };
  if (isResourceKind(kind)) return undefined;
  const meant = resolveKind(kind) ?? suggest(kind, KIND_NAMES);
  return {
    path: 'kind',
    message: meant === undefined ? `unknown kind ${describe(kind)}; one of: ${choices}` : `unknown kind ${describe(kind)}; did you mean ${meant}?`,
  };
}

function apiVersionIssue(apiVersion: unknown): FieldIssue | undefined {
  if (apiVersion === API_VERSION) return undefined;
  if (apiVersion === undefined) return { path: 'apiVersion', message: `required; use ${API_VERSION}` };
  return { path: 'apiVersion', message: `must be ${API_VERSION}, got ${describe(apiVersion)}` };
}

/**
 * Validates one resource document. On success `resource` is a fresh copy, typed by its kind, with
 * nothing added (defaults are documented, not filled in) except `metadata.namespace` from
 * `defaultNamespace`; cluster-scoped kinds lose any `metadata.namespace` (as in Kubernetes).
 */
export function validateResource(doc: unknown, opts: ValidateOptions = {}): ValidationResult {
  try {
    return validate(doc, opts);
  } catch (error) {
    // Only reachable with values no parser produces (proxies, throwing getters).
    return fail('', `could not be validated: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function validate(doc: unknown, opts: ValidateOptions): ValidationResult {
  if (!isPlainObject(doc)) return fail('', `must be an object with apiVersion, kind, metadata and spec; got ${describe(doc)}`);

  let json: string | undefined;
  try {
    json = JSON.stringify(doc);
  } catch {
    return fail('', 'must be plain JSON data (no cycles, no big integers)');
  }
  const size = utf8ByteLength(json ?? '');
  if (size > MAX_DOCUMENT_BYTES) return fail('', `is too large: ${size} bytes as JSON; at most ${MAX_DOCUMENT_BYTES}`);

  const envelopeIssues = [apiVersionIssue(doc['apiVersion']), kindIssue(doc['kind'])].filter((i): i is FieldIssue => i !== undefined);
  if (envelopeIssues.length > 0) return { ok: false, issues: envelopeIssues };
  const kind = doc['kind'];
  if (!isResourceKind(kind)) return fail('kind', 'unknown kind');
  const info = KINDS[kind];

  let input: Record<string, unknown> = doc;
  const metadata = doc['metadata'];
  if (isPlainObject(metadata)) {
    if (info.namespaced && metadata['namespace'] === undefined && opts.defaultNamespace !== undefined) {
      input = { ...doc, metadata: { ...metadata, namespace: opts.defaultNamespace } };
    } else if (!info.namespaced && Object.hasOwn(metadata, 'namespace')) {
      const { namespace: _dropped, ...rest } = metadata;
      input = { ...doc, metadata: rest };
    }
  }

  const result = info.schema.safeParse(input, { error: resourceErrorMap });
  if (!result.success) return { ok: false, issues: toFieldIssues(result.error.issues) };
  return { ok: true, resource: result.data as Resource };
}
