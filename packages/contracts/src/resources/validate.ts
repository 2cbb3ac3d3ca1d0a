/**
 * validateResource: one document (already parsed from YAML or JSON) → a typed resource, or every
 * problem with it as `{path, message}`. Never throws.
 *
 *   document ──▶ object? ──▶ JSON? ──▶ depth, storable text ──▶ size ──▶ apiVersion + kind
 *            ──▶ namespace (default / drop) ──▶ schema of the kind
 *
 * A wrong apiVersion or an unknown kind stops there with one clear issue (and a suggestion when the
 * kind looks like a typo): the rest of the document cannot be judged against the wrong schema.
 */
import type { FieldIssue } from '../errors.ts';
import { API_VERSION, MAX_DOCUMENT_BYTES, MAX_NESTING_DEPTH } from './common.ts';
import { formatPath, resourceErrorMap, suggest, toFieldIssues, type PathSegment } from './issues.ts';
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

/**
 * Why `s` cannot be stored or passed on as text, if it cannot: a NUL character (PostgreSQL's text
 * and jsonb refuse it; C-string consumers cut at it) or half of a UTF-16 surrogate pair (not Unicode:
 * jsonb refuses it, UTF-8 encoders silently replace it).
 */
export function unstorableText(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return 'must not contain NUL characters (\\u0000)';
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(i + 1);
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    else return `must be valid Unicode: half a surrogate pair (\\u${c.toString(16)}) at character ${i}`;
  }
  return undefined;
}

/** Issues reported by unstorableIssues before giving up. */
const MAX_STRUCTURE_ISSUES = 20;

/** A path as a linked list from the leaf, so that walking a deep value costs no copying. */
type PathLink = { parent: PathLink | undefined; segment: PathSegment; depth: number } | undefined;

function pathOf(link: PathLink): string {
  const segments: PathSegment[] = [];
  for (let at = link; at !== undefined; at = at.parent) segments.push(at.segment);
  return formatPath(segments.reverse());
}

/**
 * What the schemas do not see, anywhere in a JSON-like value: keys or strings that cannot be
 * stored (unstorableText), and nesting deeper than `maxDepth` (default MAX_NESTING_DEPTH, as
 * parseDocuments refuses in YAML), at most 20 issues. Iterative, in time linear in the size of the
 * value: a hostile document can exhaust neither the stack nor the CPU. Usable on any API input.
 */
export function unstorableIssues(value: unknown, opts: { maxDepth?: number } = {}): FieldIssue[] {
  const maxDepth = opts.maxDepth ?? MAX_NESTING_DEPTH;
  const issues: FieldIssue[] = [];
  const stack: { value: unknown; path: PathLink }[] = [{ value, path: undefined }];
  while (stack.length > 0 && issues.length < MAX_STRUCTURE_ISSUES) {
    const { value: node, path } = stack.pop() as { value: unknown; path: PathLink };
    if (typeof node === 'string') {
      const problem = unstorableText(node);
      if (problem !== undefined) issues.push({ path: pathOf(path), message: problem });
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    const depth = path?.depth ?? 0;
    if (depth > maxDepth) {
      issues.push({ path: pathOf(path), message: `nested too deeply (more than ${maxDepth} levels)` });
      continue;
    }
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ value: node[i], path: { parent: path, segment: i, depth: depth + 1 } });
      continue;
    }
    for (const key of Object.keys(node).reverse()) {
      const link = { parent: path, segment: key, depth: depth + 1 };
      const problem = unstorableText(key);
      if (problem !== undefined) issues.push({ path: pathOf(link), message: `the key ${problem}` });
      else stack.push({ value: (node as Record<string, unknown>)[key], path: link });
    }
  }
  return issues;
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
  } catch (error) {
    // Deep enough to overflow the stack: say where, not that it is not JSON.
    const deep = error instanceof RangeError ? unstorableIssues(doc) : [];
    return deep.length > 0 ? { ok: false, issues: deep } : fail('', 'must be plain JSON data (no cycles, no big integers)');
  }
  const structure = unstorableIssues(doc);
  if (structure.length > 0) return { ok: false, issues: structure };
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
