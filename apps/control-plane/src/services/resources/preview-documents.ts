/**
 * The dry run of a set of documents (`weft apply -f DIR --dry-run`, the console's review step):
 * every document validated, authorized, and judged against the mesh with all of them applied.
 * Nothing is written, nothing blocks: errors come back as findings with `ok: false`.
 */
import type { FieldIssue } from '@weft/contracts';
import { KINDS, validateResource, type PreviewResult } from '@weft/contracts/resources';
import { InvalidInputError } from '../errors.ts';
import { sameContent } from './content.ts';
import type { Labels, MeshChange, MeshPreview, ResourceKey, ResourcesRepo, Spec } from './ports.ts';

export function createDocumentPreview(deps: { resources: ResourcesRepo; mesh: MeshPreview }) {
  return async function previewDocuments(
    documents: unknown[],
    opts: { defaultNamespace?: string },
    /** Throws (403 / 404) when the caller may not write this resource. */
    authorize: (key: ResourceKey) => Promise<void>,
  ): Promise<PreviewResult> {
    const issues: FieldIssue[] = [];
    const changes: Array<MeshChange & { op: 'put' }> = [];
    const contents: Array<{ labels: Labels; annotations: Labels; spec: Spec }> = [];
    const seen = new Map<string, number>();
    documents.forEach((doc, i) => {
      const validated = validateResource(doc, opts.defaultNamespace !== undefined ? { defaultNamespace: opts.defaultNamespace } : {});
      if (!validated.ok) {
        issues.push(...validated.issues.map((issue) => ({ ...issue, path: `documents[${i}]${issue.path ? `.${issue.path}` : ''}` })));
        return;
      }
      const r = validated.resource;
      const meta = r.metadata as { name: string; namespace?: string; labels?: Labels; annotations?: Labels };
      const key: ResourceKey = { kind: r.kind, namespace: KINDS[r.kind].namespaced ? meta.namespace! : null, name: meta.name };
      const id = JSON.stringify(key);
      const earlier = seen.get(id);
      if (earlier !== undefined) {
        issues.push({ path: `documents[${i}].metadata.name`, message: `describes the same ${r.kind} as documents[${earlier}]; send each resource once` });
        return;
      }
      seen.set(id, i);
      changes.push({ op: 'put', key, resource: r });
      contents.push({ labels: meta.labels ?? {}, annotations: meta.annotations ?? {}, spec: r.spec as Spec });
    });
    if (issues.length > 0) {
      const first = issues[0]!;
      throw new InvalidInputError(`Invalid documents: ${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, issues);
    }
    for (const c of changes) await authorize(c.key);

    const { perChange, elsewhere, blastRadius } = deps.mesh.previewMany(changes);
    const results = await Promise.all(
      changes.map(async (c, i) => {
        const stored = await deps.resources.find(c.key);
        const live = stored && !stored.deletedAt ? stored : null;
        const same = live !== null && sameContent(live, contents[i]!);
        return { ...c.key, result: same ? ('unchanged' as const) : live ? ('updated' as const) : ('created' as const), diagnostics: perChange[i]! };
      }),
    );
    return { ok: !perChange.some((d) => d.some((x) => x.severity === 'error')), results, elsewhere, blastRadius };
  };
}

export type DocumentPreview = ReturnType<typeof createDocumentPreview>;
