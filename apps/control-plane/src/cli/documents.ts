/**
 * Reading resource documents from `-f` arguments: files, directories (recursively: *.yaml, *.yml,
 * *.json, sorted, hidden entries skipped) and `-` (standard input).
 *
 *   -f args ─▶ files (sorted) ─▶ text ─▶ parseResources (contracts: same rules as the server,
 *            line numbers) ─▶ namespace checks, duplicates across files ─▶ LocalResource[]
 *
 * Errors are collected for every file before anything is sent, formatted `file:line: path: message`,
 * so a bad file is reported whole and nothing of it is applied.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseDocuments, parseResources, type DocumentSource, type Resource } from '@weft/contracts/resources';
import { CliError, ExitCode, usageError } from './errors.ts';
import { isNamespaced, refOf, type ResourceAddress } from './resources.ts';

const EXTENSIONS = ['.yaml', '.yml', '.json'];
export const STDIN = '-';

export interface LocalResource {
  resource: Resource;
  address: ResourceAddress;
  /** The file as the user named it (`manifests/routes.yaml`, `<stdin>`). */
  file: string;
  /** 1-based line where the document starts. */
  line: number;
  /** The line of a field (`spec.rules.0.matches` or `spec.rules[0].matches`), or of its nearest ancestor. */
  lineOf(fieldPath: string): number | undefined;
}

export interface LoadOptions {
  cwd: string;
  /** For documents without metadata.namespace. */
  namespace: string | undefined;
  /** -n was given on the command line: a document in another namespace is an error. */
  namespaceFromFlag: boolean;
  readStdin(): Promise<string>;
}

export interface LoadResult {
  resources: LocalResource[];
  /** Formatted problems (`routes.yaml:21: spec.rules.0.matchs: unknown field…`); apply nothing when any. */
  errors: string[];
}

/** The files named by `-f` arguments, in order; directories expanded recursively and sorted. */
export async function collectFiles(inputs: readonly string[], cwd: string): Promise<string[]> {
  if (inputs.length === 0) throw usageError('no input: pass -f FILE, -f DIRECTORY or -f - (standard input)');
  if (inputs.filter((i) => i === STDIN).length > 1) throw usageError('-f - (standard input) can be given only once');
  const files: string[] = [];
  for (const input of inputs) {
    if (input === STDIN) {
      files.push(STDIN);
      continue;
    }
    const stat = await fs.stat(path.resolve(cwd, input)).catch((err: NodeJS.ErrnoException) => {
      throw usageError(`${input}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}`);
    });
    if (stat.isDirectory()) {
      const found = (await walk(path.resolve(cwd, input))).sort(byCodePoint).map((rel) => path.join(input, rel));
      if (found.length === 0) throw usageError(`${input}: no ${EXTENSIONS.map((e) => `*${e}`).join(', ')} files in this directory`);
      files.push(...found);
    } else files.push(input);
  }
  return files;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Relative paths (with `/`) of the resource files under `dir`. Follows symlinks; skips hidden entries. */
async function walk(dir: string, prefix = '', depth = 0): Promise<string[]> {
  if (depth > 32) throw new CliError(ExitCode.FAILED, `${dir}: directories nested more than 32 levels deep (a symlink loop?)`);
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await fs.stat(full).catch(() => undefined))?.isDirectory() === true);
    if (isDir) out.push(...(await walk(full, rel, depth + 1)));
    else if (EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) out.push(rel);
  }
  return out;
}

/** Reads, parses and validates every document of the `-f` inputs. */
export async function loadResources(inputs: readonly string[], opts: LoadOptions): Promise<LoadResult> {
  const out: LoadResult = { resources: [], errors: [] };
  const seen = new Map<string, string>();
  for (const file of await collectFiles(inputs, opts.cwd)) {
    const label = file === STDIN ? '<stdin>' : file;
    let text: string;
    try {
      text = file === STDIN ? await opts.readStdin() : await fs.readFile(path.resolve(opts.cwd, file), 'utf8');
    } catch (err) {
      throw usageError(`${label}: ${(err as Error).message}`);
    }
    const parsed = parseResources(text, opts.namespace ? { defaultNamespace: opts.namespace } : {});
    for (const e of parsed.errors) {
      const hint = e.path === 'metadata.namespace' && e.message === 'required' ? ': write it in the document, or pass -n NAMESPACE' : '';
      out.errors.push(formatLocation(label, e.line, e.document) + `${e.path ? `${e.path}: ` : ''}${e.message}${hint}`);
    }
    if (parsed.errors.length > 0) continue;
    // Every document validated, so resources[i] is documents[i]: the sources give lines for the
    // server's findings too.
    const sources = parseDocuments(text).sources;
    parsed.resources.forEach((resource, i) => {
      const source = sources[i]!;
      const namespace = isNamespaced(resource.kind) ? ((resource.metadata as { namespace?: string }).namespace ?? null) : null;
      const address: ResourceAddress = { kind: resource.kind, namespace, name: resource.metadata.name };
      const local: LocalResource = { resource, address, file: label, line: source.line, lineOf: (p) => lineOf(source, p) };
      if (opts.namespaceFromFlag && namespace !== null && namespace !== opts.namespace) {
        out.errors.push(`${label}:${local.lineOf('metadata.namespace') ?? source.line}: metadata.namespace: '${namespace}' does not match -n ${opts.namespace}`);
        return;
      }
      const ref = refOf(address);
      const first = seen.get(ref);
      if (first !== undefined) {
        out.errors.push(`${label}:${local.lineOf('metadata.name') ?? source.line}: ${ref} is also defined at ${first}`);
        return;
      }
      seen.set(ref, `${label}:${source.line}`);
      out.resources.push(local);
    });
  }
  return out;
}

/** `file:line: ` when the line is known, else `file (document N): ` (1-based). */
function formatLocation(file: string, line: number | undefined, document: number): string {
  return line !== undefined ? `${file}:${line}: ` : `${file} (document ${document + 1}): `;
}

/** Issue paths come dotted (`spec.rules.0.x`) from the schema and bracketed (`spec.rules[0].x`) from the mesh validation. */
export function toDottedPath(fieldPath: string): string {
  return fieldPath.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

function lineOf(source: DocumentSource, fieldPath: string): number | undefined {
  return source.lineOf(toDottedPath(fieldPath));
}

/** `routes.yaml:14` for a field of a local document. */
export function locate(local: LocalResource, fieldPath?: string): string {
  const line = fieldPath ? (local.lineOf(fieldPath) ?? local.line) : local.line;
  return `${local.file}:${line}`;
}
