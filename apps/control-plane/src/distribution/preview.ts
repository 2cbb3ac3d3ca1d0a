/**
 * Preview of a change against this replica's view of the mesh (the MeshPreview port of the
 * resource service): the mesh validation of the changed resource, new findings it causes in
 * other resources (as warnings), and the blast radius — which proxies' snapshots would change,
 * compiled incrementally from the current result.
 */
import type { Diagnostic, Resource, ResourceKind } from '@weft/contracts/resources';
import { compile, type CompilerInput, type Diagnostic as CompilerDiagnostic } from '../compiler/index.ts';
import type { MeshChange, MeshPreview, ResourceKey } from '../services/resources/ports.ts';
import { blastRadius } from './blast-radius.ts';
import type { MeshState } from './mesh-state.ts';

export interface ValidationFinding extends CompilerDiagnostic {
  resource?: { kind: string; namespace: string | null; name: string };
}

/** The mesh validation (compiler/validation): all findings, or those about `only`. */
export type MeshValidator = (input: CompilerInput, opts?: { only?: Array<ResourceKey & { kind: ResourceKind }> }) => ValidationFinding[];

function keyOfResource(r: Resource): ResourceKey {
  return { kind: r.kind, namespace: 'namespace' in r.metadata ? (r.metadata.namespace as string) : null, name: r.metadata.name };
}

const sameKey = (a: ResourceKey, b: ResourceKey) => a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

const fingerprint = (d: ValidationFinding) => JSON.stringify([d.resource?.kind, d.resource?.namespace, d.resource?.name, d.code, d.path, d.message]);

function toDiagnostic(d: ValidationFinding, severity = d.severity): Diagnostic {
  return { severity, code: d.code, path: d.path, message: d.message, ...(d.resource ? { resource: d.resource } : {}) };
}

export function createMeshPreview(mesh: MeshState, validate: MeshValidator): MeshPreview {
  // The findings of the mesh as it is, computed once per change of the mesh, not per write.
  let cached: { generation: number; fingerprints: Set<string> } | undefined;
  function existingFindings(before: CompilerInput): Set<string> {
    const generation = mesh.generation();
    if (cached?.generation !== generation) cached = { generation, fingerprints: new Set(validate(before).map(fingerprint)) };
    return cached.fingerprints;
  }

  function inputs(changes: MeshChange[]): { before: CompilerInput; after: CompilerInput } {
    const resources = mesh.resources();
    const endpoints = [...mesh.inventory().endpoints().values()];
    const others = resources.filter((r) => !changes.some((c) => sameKey(keyOfResource(r), c.key)));
    const after = [...others, ...changes.flatMap((c) => (c.op === 'put' ? [c.resource] : []))];
    // The same bundle as the real compile: otherwise every snapshot would look changed.
    const trustBundle = mesh.trustBundle();
    return { before: { resources, inventory: { endpoints }, trustBundle }, after: { resources: after, inventory: { endpoints }, trustBundle } };
  }

  /** Findings per change (own, severity kept) and new findings outside the set (warnings). */
  function judge(changes: MeshChange[]): { perChange: Diagnostic[][]; elsewhere: Diagnostic[]; after: CompilerInput } {
    const { before, after } = inputs(changes);
    const all = validate(after);
    const inSet = (d: ValidationFinding) => d.resource !== undefined && changes.some((c) => sameKey(d.resource!, c.key));
    const perChange = changes.map((c) => (c.op === 'put' ? all.filter((d) => d.resource && sameKey(d.resource, c.key)).map((d) => toDiagnostic(d)) : []));
    // Findings elsewhere that the changes introduce: what they break for others.
    const existing = existingFindings(before);
    const elsewhere = all.filter((d) => d.resource && !inSet(d) && !existing.has(fingerprint(d))).map((d) => toDiagnostic(d, 'warning'));
    return { perChange, elsewhere, after };
  }

  function radius(after: CompilerInput) {
    const current = mesh.current();
    return blastRadius(current, compile(after, current), mesh.inventory().endpoints());
  }

  function check(change: MeshChange): Diagnostic[] {
    const { perChange, elsewhere } = judge([change]);
    return [...perChange[0]!, ...elsewhere];
  }

  return {
    check,
    preview(change) {
      // Compile what is pending first, so the radius shows this change alone.
      mesh.flush();
      const { perChange, elsewhere, after } = judge([change]);
      return { diagnostics: [...perChange[0]!, ...elsewhere], blastRadius: radius(after) };
    },
    previewMany(changes) {
      mesh.flush();
      const { perChange, elsewhere, after } = judge(changes);
      return { perChange, elsewhere, blastRadius: radius(after) };
    },
  };
}
