/**
 * Tolerant readers for the plain value of a document the user is typing: any field may be
 * missing or of the wrong type, and the form shows what it can instead of failing.
 */
import type { YamlPath } from './yaml-edits';

export type PlainRecord = Record<string, unknown>;

export function asRecord(value: unknown): PlainRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as PlainRecord) : undefined;
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The strings of a list, other items left out. */
export function asStrings(value: unknown): string[] {
  return asList(value).filter((v): v is string => typeof v === 'string');
}

/** The value at `path`, or undefined where the path does not lead anywhere. */
export function valueAt(document: unknown, path: YamlPath): unknown {
  let node = document;
  for (const key of path) {
    if (Array.isArray(node) && typeof key === 'number') node = node[key];
    else {
      const record = asRecord(node);
      if (record === undefined || typeof key !== 'string' || !Object.hasOwn(record, key)) return undefined;
      node = record[key];
    }
  }
  return node;
}
