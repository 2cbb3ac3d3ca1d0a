/**
 * Import: a YAML (or JSON) stream of resources → the writes it takes, in an order the mesh
 * validation accepts one at a time (Services before the routes and policies that name them).
 */
import { KIND_NAMES, KINDS, parseDocuments, resolveKind, type ResourceKind } from '@weft/contracts/resources';

export interface ImportDocument {
  kind: ResourceKind;
  /** Null for cluster-scoped kinds. */
  namespace: string | null;
  name: string;
  document: Record<string, unknown>;
}

export type ImportPlan = { ok: true; documents: ImportDocument[] } | { ok: false; problems: string[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The documents of `text`, each named and with its namespace (`defaultNamespace` when it has none), or what is wrong with them. */
export function importPlan(text: string, defaultNamespace: string | null): ImportPlan {
  const parsed = parseDocuments(text);
  const problems = parsed.errors.map((e) => `Document ${e.document + 1}${e.line === undefined ? '' : `, line ${e.line}`}: ${e.path ? `${e.path}: ` : ''}${e.message}`);
  const documents: ImportDocument[] = [];
  parsed.documents.forEach((doc, i) => {
    const where = `Document ${i + 1} (line ${parsed.sources[i]!.line})`;
    if (!isRecord(doc)) return problems.push(`${where}: not a mapping`);
    const kind = typeof doc.kind === 'string' ? resolveKind(doc.kind) : undefined;
    if (!kind) return problems.push(`${where}: kind: '${String(doc.kind)}' is not a resource kind; one of ${KIND_NAMES.join(', ')}`);
    const metadata = isRecord(doc.metadata) ? doc.metadata : {};
    if (typeof metadata.name !== 'string' || metadata.name === '') return problems.push(`${where}: metadata.name: required`);
    const namespaced = KINDS[kind].namespaced;
    const namespace = namespaced ? (typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : defaultNamespace) : null;
    if (namespaced && namespace === null) return problems.push(`${where}: metadata.namespace: required (or pick a namespace for documents without one)`);
    documents.push({ kind, namespace, name: metadata.name, document: doc });
  });
  if (problems.length > 0) return { ok: false, problems };
  if (documents.length === 0) return { ok: false, problems: ['No documents: paste or choose a YAML file of resources (apiVersion, kind, metadata, spec).'] };
  const order = (d: ImportDocument) => KIND_NAMES.indexOf(d.kind);
  return { ok: true, documents: documents.map((d, i) => ({ d, i })).sort((a, b) => order(a.d) - order(b.d) || a.i - b.i).map(({ d }) => d) };
}
