/**
 * The policy editor's text-sync core. The YAML text is the source of truth: the form reads it
 * (readDocument) and writes field edits back into it (applyEdits) through the `yaml` Document
 * API, so comments, key order, quoting and flow/block style of everything it did not touch stay
 * as the author wrote them.
 *
 *   text ──readDocument (the resource API's own parser)──▶ plain value ──form model──▶ form values
 *   text ◀──applyEdits (parseDocument → set/delete nodes → toString)──── edits ◀── control change
 *
 * Nothing here knows about resource kinds; the form models do.
 */
import { parseDocuments } from '@weft/contracts/resources';
import { isCollection, isMap, isScalar, isSeq, parseDocument, type Document, type ToStringOptions } from 'yaml';

/** Where a value sits in a document: mapping keys and sequence indexes, from the root. */
export type YamlPath = readonly (string | number)[];

/**
 * One change to a document: set the value at `path` (creating missing mappings on the way), or,
 * when `value` is undefined, delete it.
 */
export interface YamlEdit {
  path: YamlPath;
  value: unknown;
}

export type ReadResult = { ok: true; document: unknown } | { ok: false; message: string; line: number | undefined };

/**
 * The one document in `text`, read as the resource API reads it (YAML 1.2 core schema, no tags,
 * unique keys, size limits), or why the form cannot use it. Comments-only text counts as empty.
 */
export function readDocument(text: string): ReadResult {
  const parsed = parseDocuments(text);
  const error = parsed.errors[0];
  if (error !== undefined) {
    const where = error.path === '' ? '' : `${error.path}: `;
    return { ok: false, message: `${where}${error.message}`, line: error.line };
  }
  if (parsed.documents.length === 0) return { ok: false, message: 'The document is empty.', line: undefined };
  if (parsed.documents.length > 1) {
    return { ok: false, message: `The text holds ${parsed.documents.length} documents; the form edits one.`, line: parsed.sources[1]?.line };
  }
  return { ok: true, document: parsed.documents[0] };
}

/** The parser options of contracts' parseDocuments, so both read the text the same way. */
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: false, merge: false, schema: 'core', strict: true } as const;

/**
 * `text` with `edits` applied in order (an edit's path sees the earlier edits' result). Returns
 * `text` itself when it does not read as one document (readDocument says why): a broken text is
 * never rewritten by the form.
 *
 * - A scalar replacing a scalar keeps that node, so its quoting and comments survive.
 * - A list or mapping replacing one keeps the old one's flow or block style; a new list of
 *   scalars is written in flow style (`[GET, POST]`), as the docs' examples are.
 * - A path through a missing or scalar node turns it into a mapping (or a list, for an index).
 * - A deletion also removes the mapping values it leaves empty (`timeouts: {}` once its last field
 *   is cleared), up to the nearest list item: list items are removed only by an edit naming them.
 * - Lines the edits did not touch come back exactly as written (restoreUntouchedLines): the
 *   library's own spacing (before comments, around documents) is not imposed on them.
 */
export function applyEdits(text: string, edits: readonly YamlEdit[]): string {
  if (edits.length === 0 || !readDocument(text).ok) return text;
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0) return text;
  for (const edit of edits) {
    if (edit.path.length === 0) throw new Error('applyEdits: an edit needs a non-empty path');
    if (edit.value === undefined) deleteAt(doc, edit.path);
    else setAt(doc, edit.path, edit.value);
  }
  return restoreUntouchedLines(text, doc.toString(layoutOf(text)));
}

/** What YAMLMap and YAMLSeq have in common, as used here (keys: strings for maps, indexes for lists). */
type Container = { get(key: unknown, keepScalar: true): unknown; set(key: unknown, value: unknown): void; delete(key: unknown): boolean; items: unknown[] };

function isScalarValue(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

function isScalarList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every(isScalarValue);
}

/** A node for `value`, in the style of the node it replaces (if any). */
function nodeFor(doc: Document, value: unknown, previous: unknown): unknown {
  if (isScalarValue(value)) {
    if (isScalar(previous)) {
      previous.value = value;
      return previous;
    }
    return doc.createNode(value);
  }
  const node = doc.createNode(value);
  if (isCollection(node)) {
    if (isCollection(previous)) {
      node.flow = previous.flow ?? false;
      node.commentBefore = previous.commentBefore;
      node.comment = previous.comment;
    } else node.flow = isScalarList(value);
  }
  return node;
}

/** An empty mapping, or an empty list when the next key is an index. */
function emptyFor(doc: Document, nextKey: string | number): unknown {
  return doc.createNode(typeof nextKey === 'number' ? [] : {});
}

function setAt(doc: Document, path: YamlPath, value: unknown): void {
  if (!isCollection(doc.contents)) doc.contents = emptyFor(doc, path[0]!) as Document['contents'];
  let parent = doc.contents as unknown as Container;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    let child = parent.get(key, true);
    // A list index into a mapping (or a key into a list) cannot be followed: replace the node.
    const fits = typeof path[i + 1] === 'number' ? isSeq(child) : isMap(child);
    if (!fits) {
      child = emptyFor(doc, path[i + 1]!);
      parent.set(key, child);
    }
    parent = child as Container;
  }
  const last = path[path.length - 1]!;
  if (isSeq(parent) && typeof last === 'number' && last > parent.items.length) {
    throw new RangeError(`applyEdits: index ${last} is past the end of a list of ${parent.items.length} at ${path.slice(0, -1).join('.')}`);
  }
  const previous = parent.get(last, true);
  const node = nodeFor(doc, value, previous);
  if (node !== previous) parent.set(last, node);
}

function deleteAt(doc: Document, path: YamlPath): void {
  const chain: Container[] = [];
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length - 1; i++) {
    if (!isCollection(node)) return;
    chain.push(node as unknown as Container);
    node = (node as unknown as Container).get(path[i], true);
  }
  if (!isCollection(node)) return;
  (node as unknown as Container).delete(path[path.length - 1]);
  // Remove the mapping values the deletion emptied, deepest first. A list item is never removed
  // this way (that would shift its siblings, and `{}` can mean something, like a rule matching
  // everything), nor the root.
  for (let i = chain.length - 1; i >= 1; i--) {
    const child = chain[i]!.get(path[i], true);
    if (!isMap(chain[i]) || !isCollection(child) || child.items.length > 0) break;
    chain[i]!.delete(path[i]);
  }
}

/**
 * The layout the text already uses, for the lines toString rewrites: indentation width, whether
 * list items are indented under their key, spaces inside flow brackets. No line wrapping.
 */
export function layoutOf(text: string): ToStringOptions {
  const lines = text.split('\n');
  let indent = 2;
  let indentSeq = true;
  let seenIndent = false;
  let seenSeq = false;
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i]!;
    if (!/^\s*[^\s#-][^#]*:\s*(#.*)?$/.test(line)) continue;
    const own = line.length - line.trimStart().length;
    const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
    if (next === undefined) continue;
    const nested = next.length - next.trimStart().length;
    const isItem = /^\s*- /.test(next) || /^\s*-$/.test(next);
    if (!seenSeq && isItem) {
      indentSeq = nested > own;
      seenSeq = true;
    }
    if (!seenIndent && !isItem && nested > own) {
      indent = nested - own;
      seenIndent = true;
    }
    if (seenIndent && seenSeq) break;
  }
  const flowCollectionPadding = /[[{] [^\s\]}]/.test(text) && !/(?:^|[:,\s])[[{][^\s\]}]/m.test(text);
  return { indent, indentSeq, flowCollectionPadding, lineWidth: 0, minContentWidth: 0 };
}

/** Same content, whatever the indentation, the spacing after a list dash and before a comment. */
function lineKey(line: string): string {
  return line.trim().replace(/^-\s+/, '- ').replace(/\s+#/, ' #');
}

/** Above this many line pairs to align, the output is returned as the library wrote it. */
const MAX_ALIGNMENT_CELLS = 4_000_000;

/**
 * `output` with each line that matches a line of `original` (same content, in order: a longest
 * common subsequence) replaced by that original line, and blank lines the library added dropped.
 * The result is used only if it reads back to the same value as `output`, so a misalignment can
 * cost layout, never meaning.
 */
export function restoreUntouchedLines(original: string, output: string): string {
  const before = original.split('\n');
  const after = output.split('\n');
  let head = 0;
  while (head < before.length && head < after.length && lineKey(before[head]!) === lineKey(after[head]!)) head++;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    lineKey(before[before.length - 1 - tail]!) === lineKey(after[after.length - 1 - tail]!)
  ) {
    tail++;
  }
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  if (a.length * b.length > MAX_ALIGNMENT_CELLS) return output;
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..], by lineKey.
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = lineKey(a[i]!) === lineKey(b[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const middle: string[] = [];
  let i = 0;
  let j = 0;
  while (j < b.length) {
    if (i < a.length && lineKey(a[i]!) === lineKey(b[j]!)) {
      middle.push(a[i++]!);
      j++;
    } else if (i < a.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      i++;
    } else {
      if (b[j]!.trim() !== '') middle.push(b[j]!);
      j++;
    }
  }
  const restored = [...before.slice(0, head), ...middle, ...before.slice(before.length - tail)].join('\n');
  return sameValue(restored, output) ? restored : output;
}

function sameValue(a: string, b: string): boolean {
  const x = parseDocument(a, PARSE_OPTIONS);
  const y = parseDocument(b, PARSE_OPTIONS);
  return x.errors.length === 0 && JSON.stringify(x.toJS()) === JSON.stringify(y.toJS());
}
