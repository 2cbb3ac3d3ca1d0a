/**
 * Mesh resources: apply (create or update), get, list, delete, history, diff and revert.
 *
 *   apply ─ validateResource ─▶ tx[ read ─ check resourceVersion ─ unchanged? ─ next version
 *                                   ─ guarded write (WHERE resourceVersion = read one) ─ revision ─ audit ]
 *
 * Concurrency: every write is guarded by the version it read, so of concurrent writers exactly
 * one wins and the others get ConflictError (409) — with or without a resourceVersion in the
 * document. A document WITH `metadata.resourceVersion` must match the stored one (409 otherwise,
 * naming the current one). A document WITHOUT it updates whatever is stored (Kubernetes `apply`
 * semantics: files from Git carry no version), but still never silently loses a write that
 * raced it.
 *
 * Deleting is soft: the row stays with `deletedAt`, its revisions stay, and applying the same
 * (kind, namespace, name) again brings it back as the next revision (operation `create`).
 * Who may call what (namespace viewer / editor, admin) is decided by the API's access rules.
 */
import type { FieldIssue } from '@weft/contracts';
import {
  API_VERSION,
  type BlastRadius,
  type Diagnostic,
  formatPath,
  KINDS,
  LabelKeySchema,
  LabelValueSchema,
  validateResource,
  type ResourceChange,
  type ResourceKind,
} from '@weft/contracts/resources';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { actorOf, type Caller } from '../access/caller.ts';
import { auditSuccess, type AuditWriter } from '../access/audit-writer.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.ts';
import { canonical, sameContent } from './content.ts';
import { createDocumentPreview } from './preview-documents.ts';
import type { TransactionRunner, Tx } from '../transactions.ts';
import type {
  Labels,
  MeshChange,
  MeshPreview,
  ResourceContent,
  ResourceKey,
  ResourceRecord,
  ResourcesRepo,
  RevisionOperation,
  RevisionRecord,
  Spec,
} from './ports.ts';

export const MAX_LIST_LIMIT = 500;
export const DEFAULT_LIST_LIMIT = 100;

export interface ApplyOutcome {
  record: ResourceRecord;
  result: 'created' | 'updated' | 'unchanged' | 'deleted';
  dryRun: boolean;
  /** Warnings (errors block the write), or everything for a revert (never blocked). */
  diagnostics: Diagnostic[];
  /** Dry runs only. */
  blastRadius?: BlastRadius;
}

export interface ListOptions {
  labelSelector?: string;
  limit?: number;
  cursor?: string;
}

export interface ResourceDiffResult {
  from: number;
  to: number;
  unified: string;
  changes: ResourceChange[];
}

/** `HTTPRoute ns-a/checkout`, `MeshConfig default`. */
export function describeKey(key: ResourceKey): string {
  return `${key.kind} ${key.namespace === null ? '' : `${key.namespace}/`}${key.name}`;
}


/**
 * `app=checkout,tier!=web` (also `==`). Equality and inequality only; `!=` also matches
 * resources without the label, as in Kubernetes.
 */
export function parseLabelSelector(selector: string): { equal: Labels; notEqual: Array<[key: string, value: string]> } {
  const equal: Labels = {};
  const notEqual: Array<[string, string]> = [];
  const bad = (message: string): never => {
    throw new InvalidInputError(`labelSelector: ${message}`, [{ path: 'labelSelector', message }]);
  };
  if (selector.length > 4096) bad('must be at most 4096 characters');
  for (const raw of selector.split(',')) {
    const term = raw.trim();
    if (term === '') continue;
    const m = /^([^=!\s]+)\s*(!=|==|=)\s*(.*)$/.exec(term) ?? bad(`'${term}': expected key=value or key!=value`);
    const key = m[1]!;
    const op = m[2]!;
    const value = m[3]!;
    if (!LabelKeySchema.safeParse(key).success) bad(`'${key}': not a valid label key`);
    if (!LabelValueSchema.safeParse(value).success) bad(`'${value}': not a valid label value`);
    if (op === '!=') notEqual.push([key, value]);
    else if (Object.hasOwn(equal, key) && equal[key] !== value) bad(`'${key}' cannot equal both '${equal[key]}' and '${value}'`);
    else equal[key] = value;
  }
  return { equal, notEqual };
}

function encodeCursor(r: ResourceRecord): string {
  return Buffer.from(JSON.stringify([r.namespace ?? '', r.name])).toString('base64url');
}

function decodeCursor(cursor: string): { namespace: string; name: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { namespace: value[0], name: value[1] };
    }
  } catch {
    // fall through
  }
  throw new InvalidInputError('cursor: not a cursor from a previous page', [{ path: 'cursor', message: 'not a cursor from a previous page' }]);
}

/** Structured differences between two documents, by dotted path. */
export function structuredChanges(before: unknown, after: unknown, path: Array<string | number> = []): ResourceChange[] {
  if (canonical(before) === canonical(after)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      if (!Object.hasOwn(after, k)) return [{ path: formatPath([...path, k]), before: before[k] }];
      if (!Object.hasOwn(before, k)) return [{ path: formatPath([...path, k]), after: after[k] }];
      return structuredChanges(before[k], after[k], [...path, k]);
    });
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => structuredChanges(b, after[i], [...path, i]));
  }
  return [{ path: formatPath(path), before, after }];
}

const contentOf = (c: ResourceContent): ResourceContent => ({ labels: c.labels, annotations: c.annotations, spec: c.spec });

/** The part of a revision that people edit, as a document. */
function editable(content: ResourceContent): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (Object.keys(content.labels).length > 0) metadata['labels'] = content.labels;
  if (Object.keys(content.annotations).length > 0) metadata['annotations'] = content.annotations;
  return { ...(Object.keys(metadata).length > 0 ? { metadata } : {}), spec: content.spec };
}

export function createResourceService(deps: { resources: ResourcesRepo; audit: AuditWriter; transactions: TransactionRunner; mesh: MeshPreview }) {
  const { resources: repo } = deps;
  const previewDocuments = createDocumentPreview({ resources: repo, mesh: deps.mesh });

  /**
   * The mesh validation of a change (and, for a dry run, its blast radius). Errors block the
   * write — a dry run answers exactly as the write would — unless `blocking` is false (revert).
   */
  function inspect(change: MeshChange, dryRun: boolean, blocking = true): { diagnostics: Diagnostic[]; blastRadius?: BlastRadius } {
    const result = dryRun ? deps.mesh.preview(change) : { diagnostics: deps.mesh.check(change) };
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (blocking && errors.length > 0) {
      // Findings about other resources (what this change would break) name that resource.
      const elsewhere = (d: Diagnostic) => d.resource && (d.resource.kind !== change.key.kind || d.resource.namespace !== change.key.namespace || d.resource.name !== change.key.name);
      const issues: FieldIssue[] = result.diagnostics.map((d) => ({
        path: elsewhere(d) ? `${describeKey(d.resource!)}: ${d.path}` : d.path,
        message: d.message,
        code: d.code,
        severity: d.severity,
      }));
      const first = errors[0]!;
      throw new InvalidInputError(
        `${describeKey(change.key)} would break the mesh: ${first.path}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
        issues,
      );
    }
    return result;
  }

  function conflictIfStale(key: ResourceKey, current: ResourceRecord | null, expected: string | undefined): void {
    if (expected === undefined) return;
    if (!current) throw new ConflictError(`${describeKey(key)} does not exist, so resourceVersion ${expected} cannot match; apply it without a resourceVersion to create it`);
    if (current.resourceVersion !== expected) {
      throw new ConflictError(
        `${describeKey(key)} has been changed: its resourceVersion is now ${current.resourceVersion}, not ${expected}; read it again and reapply your change`,
      );
    }
  }

  async function lostRace(key: ResourceKey, tx: Tx): Promise<never> {
    const now = await repo.find(key, tx);
    throw new ConflictError(
      `${describeKey(key)} was changed by a concurrent write: its resourceVersion is now ${now?.resourceVersion ?? 'unknown'}; read it again and reapply your change`,
    );
  }

  /** Writes a new state of an existing row, its revision and the audit entry. */
  async function writeRevision(
    tx: Tx,
    caller: Caller,
    key: ResourceKey,
    current: ResourceRecord,
    content: ResourceContent,
    op: RevisionOperation,
    message: string,
    action: string,
    extra: Record<string, unknown> = {},
  ): Promise<ResourceRecord> {
    const version = await repo.nextVersion(tx);
    const revision = current.revision + 1;
    content = contentOf(content);
    const updated = await repo.update(
      current.id,
      current.resourceVersion,
      { ...content, resourceVersion: version, revision, deletedAt: op === 'delete' ? new Date() : null, recreated: current.deletedAt !== null && op !== 'delete' },
      tx,
    );
    if (!updated) return lostRace(key, tx);
    await repo.addRevision(current.id, { revision, resourceVersion: version, operation: op, message, author: actorOf(caller.principal), ...content }, tx);
    await auditSuccess(deps.audit, caller, tx, {
      action,
      target: { kind: key.kind, id: describeKey(key).slice(key.kind.length + 1), namespace: key.namespace },
      beforeVersion: current.resourceVersion,
      afterVersion: version,
      details: { operation: op, revision, ...extra },
    });
    return updated;
  }

  async function requireLive(key: ResourceKey): Promise<ResourceRecord> {
    const found = await repo.find(key);
    if (!found || found.deletedAt) throw new NotFoundError(`${describeKey(key)} not found`);
    return found;
  }

  async function requireAny(key: ResourceKey): Promise<ResourceRecord> {
    const found = await repo.find(key);
    if (!found) throw new NotFoundError(`${describeKey(key)} not found`);
    return found;
  }

  async function requireRevision(key: ResourceKey, record: ResourceRecord, n: number, field: string): Promise<RevisionRecord> {
    const rev = await repo.revision(record.id, n);
    if (!rev) throw new NotFoundError(`${describeKey(key)} has no revision ${n} (${field}); it has revisions 1 to ${record.revision}`);
    return rev;
  }

  return {
    /**
     * Creates or updates the resource a document describes. `defaultNamespace` fills in a missing
     * `metadata.namespace` of a namespaced kind.
     */
    async apply(
      doc: unknown,
      opts: { defaultNamespace?: string; message?: string; dryRun?: boolean; expect?: ResourceKey },
      caller: Caller,
    ): Promise<ApplyOutcome> {
      const validated = validateResource(doc, opts.defaultNamespace !== undefined ? { defaultNamespace: opts.defaultNamespace } : {});
      if (!validated.ok) throw invalidDocument(validated.issues);
      const resource = validated.resource;
      const meta = resource.metadata as { name: string; namespace?: string; labels?: Labels; annotations?: Labels; resourceVersion?: string };
      const key: ResourceKey = { kind: resource.kind, namespace: KINDS[resource.kind].namespaced ? meta.namespace! : null, name: meta.name };
      if (opts.expect) checkAgreement(key, opts.expect);
      const content: ResourceContent = { labels: meta.labels ?? {}, annotations: meta.annotations ?? {}, spec: resource.spec as Spec };
      const expected = meta.resourceVersion;
      const message = opts.message ?? '';
      const inspected = inspect({ op: 'put', key, resource }, opts.dryRun ?? false);

      if (opts.dryRun) {
        const current = await repo.find(key);
        const live = current && !current.deletedAt ? current : null;
        conflictIfStale(key, current, expected);
        if (live && sameContent(live, content)) return { record: live, result: 'unchanged', dryRun: true, ...inspected };
        const now = new Date();
        const record: ResourceRecord = {
          ...key,
          id: current?.id ?? '',
          ...content,
          resourceVersion: current?.resourceVersion ?? '0',
          revision: (current?.revision ?? 0) + 1,
          createdAt: live?.createdAt ?? now,
          updatedAt: now,
          deletedAt: null,
        };
        return { record, result: live ? 'updated' : 'created', dryRun: true, ...inspected };
      }

      const done = { dryRun: false, diagnostics: inspected.diagnostics };
      return deps.transactions.run(async (tx): Promise<ApplyOutcome> => {
        const current = await repo.find(key, tx);
        conflictIfStale(key, current, expected);
        let outcome: ApplyOutcome;
        if (current && !current.deletedAt) {
          if (sameContent(current, content)) return { record: current, result: 'unchanged', ...done };
          outcome = { record: await writeRevision(tx, caller, key, current, content, 'update', message, 'resources.put'), result: 'updated', ...done };
        } else if (current) {
          outcome = { record: await writeRevision(tx, caller, key, current, content, 'create', message, 'resources.put'), result: 'created', ...done };
        } else {
          const version = await repo.nextVersion(tx);
          const created = await repo.create(key, content, version, tx);
          await repo.addRevision(created.id, { revision: 1, resourceVersion: version, operation: 'create', message, author: actorOf(caller.principal), ...content }, tx);
          await auditSuccess(deps.audit, caller, tx, {
            action: 'resources.put',
            target: { kind: key.kind, id: describeKey(key).slice(key.kind.length + 1), namespace: key.namespace },
            beforeVersion: null,
            afterVersion: version,
            details: { operation: 'create', revision: 1 },
          });
          outcome = { record: created, result: 'created', ...done };
        }
        return outcome;
      }).then((outcome) => {
        // Audited in the transaction that committed (unchanged: nothing written, the API audits).
        if (outcome.result !== 'unchanged') caller.auditRecorded = true;
        return outcome;
      });
    },

    get: requireLive,

    /** Dry run of several documents together (see preview-documents.ts). */
    previewDocuments,

    /** Live resources of a kind in `namespaces` (null: all), filtered and paged by (namespace, name). */
    async list(kind: ResourceKind, namespaces: string[] | null, opts: ListOptions = {}): Promise<{ items: ResourceRecord[]; nextCursor: string | null }> {
      const limit = Math.min(Math.max(opts.limit ?? DEFAULT_LIST_LIMIT, 1), MAX_LIST_LIMIT);
      const { equal, notEqual } = parseLabelSelector(opts.labelSelector ?? '');
      if (namespaces !== null && namespaces.length === 0) return { items: [], nextCursor: null };
      const rows = await repo.list({
        kind,
        namespaces,
        equal,
        notEqual,
        after: opts.cursor ? decodeCursor(opts.cursor) : null,
        limit: limit + 1,
      });
      const items = rows.slice(0, limit);
      return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null };
    },

    /** Soft delete: a revision (operation delete) keeps the last content; the history stays. */
    async delete(key: ResourceKey, opts: { resourceVersion?: string; message?: string; dryRun?: boolean }, caller: Caller): Promise<ApplyOutcome> {
      const inspected = inspect({ op: 'delete', key }, opts.dryRun ?? false);
      if (opts.dryRun) {
        const current = await requireLive(key);
        conflictIfStale(key, current, opts.resourceVersion);
        return { record: current, result: 'deleted', dryRun: true, ...inspected };
      }
      const record = await deps.transactions.run(async (tx) => {
        const current = await repo.find(key, tx);
        if (!current || current.deletedAt) throw new NotFoundError(`${describeKey(key)} not found`);
        conflictIfStale(key, current, opts.resourceVersion);
        return writeRevision(tx, caller, key, current, contentOf(current), 'delete', opts.message ?? '', 'resources.delete');
      });
      caller.auditRecorded = true;
      return { record, result: 'deleted', dryRun: false, diagnostics: inspected.diagnostics };
    },

    /** Every revision, newest first (also of a deleted resource). */
    async history(key: ResourceKey): Promise<RevisionRecord[]> {
      return repo.revisions((await requireAny(key)).id);
    },

    async diff(key: ResourceKey, from: number, to: number): Promise<ResourceDiffResult> {
      const record = await requireAny(key);
      const [a, b] = [await requireRevision(key, record, from, 'from'), await requireRevision(key, record, to, 'to')];
      const [docA, docB] = [editable(a), editable(b)];
      const name = describeKey(key).replace(' ', '/');
      const unified = createTwoFilesPatch(`${name}@${from}`, `${name}@${to}`, stringify(docA), stringify(docB), `revision ${from}`, `revision ${to}`);
      return { from, to, unified, changes: structuredChanges(docA, docB) };
    },

    /**
     * A new revision (operation revert) with the labels, annotations and spec of `toRevision`.
     * Also brings back a deleted resource. Nothing is written when they are the current ones.
     */
    async revert(key: ResourceKey, toRevision: number, opts: { message?: string; resourceVersion?: string; dryRun?: boolean }, caller: Caller): Promise<ApplyOutcome> {
      const record = await requireAny(key);
      const target = await requireRevision(key, record, toRevision, 'toRevision');
      const content: ResourceContent = { labels: target.labels, annotations: target.annotations, spec: target.spec };
      const restored = recordAsResource(key, content);
      // A revert restores a state the mesh accepted before: in an incident it must not be
      // blocked by findings, which are returned instead.
      const inspected = restored ? inspect({ op: 'put', key, resource: restored }, opts.dryRun ?? false, false) : { diagnostics: [] };
      if (opts.dryRun) {
        conflictIfStale(key, record, opts.resourceVersion);
        if (!record.deletedAt && sameContent(record, content)) return { record, result: 'unchanged', dryRun: true, ...inspected };
        return { record: { ...record, ...content, revision: record.revision + 1, deletedAt: null }, result: record.deletedAt ? 'created' : 'updated', dryRun: true, ...inspected };
      }
      const done = { dryRun: false, diagnostics: inspected.diagnostics };
      const outcome = await deps.transactions.run(async (tx): Promise<ApplyOutcome> => {
        const current = (await repo.find(key, tx))!;
        conflictIfStale(key, current, opts.resourceVersion);
        if (!current.deletedAt && sameContent(current, content)) return { record: current, result: 'unchanged', ...done };
        const message = opts.message || `revert to revision ${toRevision}`;
        const updated = await writeRevision(tx, caller, key, current, content, 'revert', message, 'resources.revert', { toRevision });
        return { record: updated, result: current.deletedAt ? 'created' : 'updated', ...done };
      });
      if (outcome.result !== 'unchanged') caller.auditRecorded = true;
      return outcome;
    },
  };
}

/** A stored revision's content as a typed resource (null if it no longer validates). */
function recordAsResource(key: ResourceKey, content: ResourceContent) {
  const metadata: Record<string, unknown> = { name: key.name, labels: content.labels, annotations: content.annotations };
  if (key.namespace !== null) metadata['namespace'] = key.namespace;
  const result = validateResource({ apiVersion: API_VERSION, kind: key.kind, metadata, spec: content.spec });
  return result.ok ? result.resource : null;
}

/** The document must describe the resource the request's path names. */
function checkAgreement(key: ResourceKey, expected: ResourceKey): void {
  const issues: FieldIssue[] = [];
  if (key.kind !== expected.kind) issues.push({ path: 'kind', message: `is ${key.kind}, but the path is for ${expected.kind}` });
  if (key.namespace !== expected.namespace) {
    issues.push({ path: 'metadata.namespace', message: `is ${key.namespace ?? '(none)'}, but the path names namespace ${expected.namespace ?? '(none)'}` });
  }
  if (key.name !== expected.name) issues.push({ path: 'metadata.name', message: `is ${key.name}, but the path names ${expected.name}` });
  if (issues.length > 0) throw invalidDocument(issues, 'The document does not match the request path');
}

export function invalidDocument(issues: FieldIssue[], title = 'Invalid resource'): InvalidInputError {
  const summary = issues
    .slice(0, 5)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
  return new InvalidInputError(`${title}: ${summary}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`, issues);
}

/** The document as the API returns it: valid, so it can be edited and applied again as it is. */
export function toDocument(record: ResourceRecord): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: record.name };
  if (record.namespace !== null) metadata['namespace'] = record.namespace;
  if (Object.keys(record.labels).length > 0) metadata['labels'] = record.labels;
  if (Object.keys(record.annotations).length > 0) metadata['annotations'] = record.annotations;
  metadata['resourceVersion'] = record.resourceVersion;
  metadata['uid'] = record.id;
  metadata['generation'] = record.revision;
  metadata['creationTimestamp'] = record.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { apiVersion: API_VERSION, kind: record.kind, metadata, spec: record.spec };
}

export type ResourceService = ReturnType<typeof createResourceService>;
