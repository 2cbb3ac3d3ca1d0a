/**
 * Where the cursor is in a YAML document, for completion: the path of the mapping it is in (or
 * of the key whose value it is typing), and the keys already present there.
 *
 * The text around a cursor is usually half-typed, so it is not parsed as it is: the word being
 * typed is replaced by a marker (`__cursor__: 0` at a key, `__cursor__` at a value), the result
 * parsed with `yaml` (which recovers from most errors elsewhere), and the marker looked up.
 *
 *   spec:
 *     retries:
 *       ret|            → { at: 'key',   path: ['spec', 'retries'], siblings: [...] }
 *       retryOn: [gat|  → { at: 'value', path: ['spec', 'retries', 'retryOn', 0], key: 'retryOn' }
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';

export type YamlPath = Array<string | number>;

export interface YamlContext {
  /** At a key: the mapping's path. At a value: the value's path (ends with the key, or a list index). */
  path: YamlPath;
  at: 'key' | 'value';
  /** At a value: the key whose value it is. */
  key?: string;
  /** The word being typed, which a completion replaces. */
  prefix: string;
  /** At a key: the keys the mapping has already. */
  siblings: string[];
}

const MARK = '__cursor__';

/** Finds the marker: as a key (returns the mapping's path) or as a scalar value (its own path). */
function find(node: unknown, path: YamlPath): { path: YamlPath; siblings: string[]; asKey: boolean } | null {
  if (isMap(node)) {
    const keys = node.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : ''));
    if (keys.includes(MARK)) return { path, siblings: keys.filter((k) => k !== MARK && k !== ''), asKey: true };
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const found = find(pair.value, [...path, String(pair.key.value)]);
      if (found) return found;
    }
    return null;
  }
  if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const found = find(item, [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (isScalar(node) && node.value === MARK) return { path, siblings: [], asKey: false };
  return null;
}

/** The document of a multi-document text that holds `offset`, and `offset` inside it. */
function documentAround(text: string, offset: number): { text: string; offset: number } {
  const separators = [...text.matchAll(/^---[ \t]*$/gm)].map((m) => m.index);
  let start = 0;
  let end = text.length;
  for (const index of separators) {
    if (index < offset) start = text.indexOf('\n', index) + 1 || text.length;
    else {
      end = index;
      break;
    }
  }
  return { text: text.slice(start, end), offset: offset - start };
}

/**
 * Every reading of the cursor's place. After a bare `- ` the item may become a scalar (a value of
 * a list of names) or a mapping (its first key): both are returned, the value first, and the
 * caller offers what either one allows.
 */
export function yamlContextsAt(text: string, offset: number): YamlContext[] {
  const asValue = yamlContextAt(text, offset, 'value');
  const asKey = yamlContextAt(text, offset);
  const same = asValue !== null && asKey !== null && asValue.at === asKey.at && asValue.path.join('.') === asKey.path.join('.');
  return [asValue, same ? null : asKey].filter((c) => c !== null);
}

/** `dashItem`: how to read a bare list item `- |` — as the first key of a mapping (default) or as a scalar. */
export function yamlContextAt(fullText: string, fullOffset: number, dashItem: 'key' | 'value' = 'key'): YamlContext | null {
  const { text, offset } = documentAround(fullText, fullOffset);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset) === -1 ? text.length : text.indexOf('\n', offset);
  const before = text.slice(lineStart, offset);
  if (before.trimStart().startsWith('#')) return null;
  const prefix = /[\w./*-]*$/.exec(before)![0];
  const head = before.slice(0, before.length - prefix.length);
  // A value: after "key:" on the line, or in a flow list ("[a, b"), or after "- " under a key.
  const valueMatch = /^(\s*(?:-\s+)*)([^\s#:'"][^:#]*?|"[^"]*"|'[^']*')\s*:\s+(\[[^\]]*)?$/.exec(head);
  const bareItem = dashItem === 'value' && /^\s*(?:-\s+)+$/.test(head);
  const asValue = valueMatch !== null || bareItem;
  const marked = asValue ? `${head}${MARK}${valueMatch?.[3] ? ']' : ''}` : `${head}${MARK}: 0`;
  const replaced = `${text.slice(0, lineStart)}${marked}${text.slice(lineEnd)}`;
  const doc = parseDocument(replaced, { uniqueKeys: false, strict: false });
  const found = find(doc.contents as Node | null, []);
  if (!found) return null;
  if (found.asKey) return { path: found.path, at: 'key', prefix, siblings: found.siblings };
  const keyIndex = found.path.findLastIndex((p) => typeof p === 'string');
  return { path: found.path, at: 'value', key: String(found.path[keyIndex]), prefix, siblings: [] };
}
