/**
 * Parsing resource files: YAML streams (documents separated by `---`) and JSON (a JSON document is
 * a YAML document), with the limits that keep a hostile file cheap to reject.
 *
 *   text ─▶ total size ─▶ nesting pre-scan ─▶ yaml (YAML 1.2 core schema, no merge keys)
 *        ─▶ per document: syntax errors ─▶ source size ─▶ mapping? string keys? unique keys? depth
 *        ─▶ toJS (alias count capped) ─▶ expanded size ─▶ value
 *
 * YAML 1.2 core schema: `yes`, `on` and `2001-01-01` are strings, not booleans or dates; `!tags`
 * and `<<` merge keys are not resolved (a tag is an error, `<<` an unknown field).
 * Errors carry the 0-based position of the document among the non-empty documents of the stream,
 * a dotted path when one is known, and 1-based line and column.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type YAMLError } from 'yaml';
import { API_VERSION, MAX_DOCUMENT_BYTES, MAX_NESTING_DEPTH } from './common.ts';
import { formatPath, parsePath, type PathSegment } from './issues.ts';
import type { Resource } from './kinds.ts';
import { utf8ByteLength, validateResource, type ValidateOptions } from './validate.ts';

/** Largest input accepted by default, in UTF-8 bytes (several documents). */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;
/** Most documents accepted in one input by default. */
export const MAX_DOCUMENTS = 500;
export { MAX_NESTING_DEPTH };
/** Alias expansions allowed per document (the yaml library's count): stops "billion laughs". */
export const MAX_ALIAS_COUNT = 100;
/** Errors reported per document before giving up on it. */
const MAX_ERRORS_PER_DOCUMENT = 20;

export interface ParseOptions {
  maxDocumentBytes?: number;
  maxTotalBytes?: number;
  maxDocuments?: number;
  maxAliasCount?: number;
  maxDepth?: number;
}

export interface DocumentError {
  /** 0-based position among the stream's non-empty documents. */
  document: number;
  /** Dotted path inside the document (`spec.rules.0`); `''` for the document itself or unknown. */
  path: string;
  message: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

export interface DocumentSource {
  /** 0-based position among the stream's non-empty documents. */
  document: number;
  /** 1-based line where the document starts. */
  line: number;
  /** The line of the node at `path` (dotted, as in issues), or of its nearest existing ancestor. */
  lineOf(path: string): number | undefined;
}

export interface ParsedDocuments {
  /** The documents that parsed cleanly, in stream order (empty documents are skipped). */
  documents: unknown[];
  /** `sources[i]` describes `documents[i]`. */
  sources: DocumentSource[];
  errors: DocumentError[];
}

/**
 * Parses YAML (one or more `---`-separated documents) or JSON into plain values. Never throws.
 * A document with any error is left out of `documents`; its errors say why.
 */
export function parseDocuments(text: string, opts: ParseOptions = {}): ParsedDocuments {
  const limits = {
    maxDocumentBytes: opts.maxDocumentBytes ?? MAX_DOCUMENT_BYTES,
    maxTotalBytes: opts.maxTotalBytes ?? MAX_INPUT_BYTES,
    maxDocuments: opts.maxDocuments ?? MAX_DOCUMENTS,
    maxAliasCount: opts.maxAliasCount ?? MAX_ALIAS_COUNT,
    maxDepth: opts.maxDepth ?? MAX_NESTING_DEPTH,
  };
  const out: ParsedDocuments = { documents: [], sources: [], errors: [] };
  const inputError = (message: string, line?: number): ParsedDocuments => ({
    ...out,
    errors: [{ document: 0, path: '', message, ...(line === undefined ? {} : { line }) }],
  });
  if (typeof text !== 'string') return inputError('input must be text');
  const total = utf8ByteLength(text);
  if (total > limits.maxTotalBytes) return inputError(`input is too large: ${total} bytes; at most ${limits.maxTotalBytes}`);
  const deep = prescanNesting(text, limits.maxDepth * 4);
  if (deep !== undefined) return inputError(`input is nested too deeply (more than ${limits.maxDepth * 4} levels)`, deep);

  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = Array.from(
      parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: false, schema: 'core', strict: true }),
    );
  } catch (error) {
    return inputError(`could not be parsed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const position = (offset: number | undefined): { line?: number; column?: number } => {
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  let index = 0;
  for (const doc of docs) {
    if (isEmptyDocument(doc)) continue;
    const document = index++;
    if (document >= limits.maxDocuments) {
      out.errors.push({ document, path: '', message: `too many documents; at most ${limits.maxDocuments}`, ...position(doc.contents?.range?.[0] ?? doc.range[0]) });
      break;
    }
    const errors: DocumentError[] = [];
    const report = (path: readonly PathSegment[], message: string, offset: number | undefined): void => {
      if (errors.length < MAX_ERRORS_PER_DOCUMENT) errors.push({ document, path: formatPath(path), message, ...position(offset) });
    };
    for (const problem of [...doc.errors, ...doc.warnings]) report([], yamlMessage(problem), problem.pos[0]);
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    if (errors.length === 0) {
      const bytes = utf8ByteLength(text.slice(doc.range[0], doc.range[2]));
      if (bytes > limits.maxDocumentBytes) report([], `document is too large: ${bytes} bytes; at most ${limits.maxDocumentBytes}`, start);
    }
    if (errors.length === 0) checkStructure(doc, limits.maxDepth, report, (offset) => lineCounter.linePos(offset).line);
    let value: unknown;
    if (errors.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
        const bytes = utf8ByteLength(JSON.stringify(value) ?? '');
        if (bytes > limits.maxDocumentBytes) {
          report([], `document is too large once its aliases are expanded: ${bytes} bytes; at most ${limits.maxDocumentBytes}`, start);
        }
      } catch (error) {
        report([], aliasMessage(error), start);
      }
    }
    if (errors.length > 0) {
      out.errors.push(...errors);
      continue;
    }
    out.documents.push(value);
    out.sources.push({ document, line: position(start).line ?? 1, lineOf: (path) => lineOf(doc, lineCounter, path) });
  }
  return out;
}

/** Nothing but comments or markers: `---` alone, a trailing `---`, a comment block. */
function isEmptyDocument(doc: Document.Parsed): boolean {
  if (doc.errors.length > 0 || doc.warnings.length > 0) return false;
  const contents = doc.contents;
  if (contents === null) return true;
  return isScalar(contents) && contents.value === null && contents.tag === undefined && contents.range !== undefined && contents.range[0] === contents.range[1];
}

function yamlMessage(problem: YAMLError): string {
  if (problem.code === 'TAG_RESOLVE_FAILED') return `YAML tags are not supported: ${problem.message.replace(/^Unresolved tag: /, '')}`;
  return problem.message;
}

function aliasMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/excessive alias count/i.test(message)) return 'too many alias expansions (*alias): the document would expand exponentially';
  return message;
}

/**
 * A cheap upper bound on nesting, before the parser sees the text: flow brackets still open, and
 * compact block indicators on one line (`- - - x`). Returns the 1-based line where `limit` is
 * exceeded. Brackets inside strings count too; no real document comes near the limit.
 */
function prescanNesting(text: string, limit: number): number | undefined {
  let depth = 0;
  let line = 1;
  let atLineStart = true;
  let compact = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      atLineStart = true;
      compact = 0;
      continue;
    }
    if (atLineStart) {
      if (c === ' ') continue;
      if ((c === '-' || c === '?' || c === ':') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        if (++compact > limit) return line;
        i++;
        continue;
      }
      atLineStart = false;
    }
    if (c === '[' || c === '{') {
      if (++depth > limit) return line;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

type Report = (path: readonly PathSegment[], message: string, offset: number | undefined) => void;

/** The document is a mapping; keys are strings, unique in their mapping; no tags; nesting ≤ maxDepth. */
function checkStructure(doc: Document.Parsed, maxDepth: number, report: Report, lineAt: (offset: number) => number): void {
  const root = doc.contents;
  if (!isMap(root)) {
    const what = isSeq(root) ? 'a list' : isScalar(root) ? `a ${root.value === null ? 'null' : typeof root.value}` : 'not a mapping';
    report([], `document must be a mapping (apiVersion: ${API_VERSION}, kind: …), got ${what}`, root?.range?.[0]);
    return;
  }
  const stack: { node: unknown; path: PathSegment[] }[] = [{ node: root, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: PathSegment[] };
    if (path.length > maxDepth) {
      report(path, `nested too deeply (more than ${maxDepth} levels)`, (node as { range?: number[] }).range?.[0]);
      continue;
    }
    const tag = (node as { tag?: string } | null)?.tag;
    if (tag !== undefined) {
      report(path, `YAML tags are not supported: ${tag}`, (node as { range?: number[] }).range?.[0]);
      continue;
    }
    if (isMap(node)) {
      const seen = new Map<string, number>();
      node.items.forEach((pair) => {
        const key = pair.key;
        const offset = (key as { range?: [number, number, number] } | null)?.range?.[0];
        if (!isScalar(key) || typeof key.value !== 'string') {
          report(path, `keys must be strings, got ${isScalar(key) ? `${String(key.value)} (${key.value === null ? 'null' : typeof key.value})` : 'a collection or alias'}; quote the key`, offset);
          return;
        }
        const previous = seen.get(key.value);
        if (previous !== undefined) {
          report([...path, key.value], `duplicate key '${key.value}' (first on line ${previous})`, offset);
          return;
        }
        seen.set(key.value, offset === undefined ? 0 : lineAt(offset));
        stack.push({ node: pair.value, path: [...path, key.value] });
      });
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, path: [...path, i] }));
    }
  }
}

function lineOf(doc: Document.Parsed, lineCounter: LineCounter, path: string): number | undefined {
  const segments = parsePath(path) ?? [];
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: number[] } | null)?.range?.[0];
  for (const segment of segments) {
    if (isAlias(node)) break;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === String(segment));
      if (pair === undefined) break;
      offset = (pair.key as { range?: number[] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined || item === null) break;
      offset = (item as { range?: number[] }).range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

export interface ParsedResources {
  /** Valid resources, in stream order. */
  resources: Resource[];
  /** Parse errors and validation issues, with the document position and, where known, the line. */
  errors: DocumentError[];
}

/**
 * parseDocuments, then validateResource on each document, with issue lines looked up in the
 * source. Two documents for the same resource (kind, namespace, name) are an error on the second.
 * Callers that apply a file should apply nothing when `errors` is not empty.
 */
export function parseResources(text: string, opts: ParseOptions & ValidateOptions = {}): ParsedResources {
  const parsed = parseDocuments(text, opts);
  const out: ParsedResources = { resources: [], errors: [...parsed.errors] };
  const seen = new Map<string, number>();
  parsed.documents.forEach((value, i) => {
    const source = parsed.sources[i];
    if (source === undefined) return;
    const result = validateResource(value, opts);
    if (!result.ok) {
      for (const issue of result.issues) {
        const line = source.lineOf(issue.path);
        out.errors.push({ document: source.document, ...issue, ...(line === undefined ? {} : { line }) });
      }
      return;
    }
    const { kind, metadata } = result.resource;
    const key = `${kind}/${'namespace' in metadata ? metadata.namespace : ''}/${metadata.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      out.errors.push({ document: source.document, path: 'metadata.name', message: `duplicate resource: document ${first} is the same ${kind}`, line: source.lineOf('metadata.name') ?? source.line });
      return;
    }
    seen.set(key, source.document);
    out.resources.push(result.resource);
  });
  out.errors.sort((a, b) => a.document - b.document || (a.line ?? 0) - (b.line ?? 0));
  return out;
}
