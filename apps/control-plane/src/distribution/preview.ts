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

  function inputs(change: MeshChange): { before: CompilerInput; after: CompilerInput } {
    const resources = mesh.resources();
    const endpoints = [...mesh.inventory().endpoints().values()];
    const others = resources.filter((r) => !sameKey(keyOfResource(r), change.key));
    const after = change.op === 'put' ? [...others, change.resource] : others;
    return { before: { resources, inventory: { endpoints } }, after: { resources: after, inventory: { endpoints } } };
  }

  function check(change: MeshChange): Diagnostic[] {
    const { before, after } = inputs(change);
    const all = validate(after);
    const own = change.op === 'put' ? all.filter((d) => d.resource && sameKey(d.resource, change.key)) : [];
    // Findings elsewhere that the change introduces: what it breaks for others.
    const existing = existingFindings(before);
    const caused = all.filter((d) => d.resource && !sameKey(d.resource, change.key) && !existing.has(fingerprint(d)));
    return [...own.map((d) => toDiagnostic(d)), ...caused.map((d) => toDiagnostic(d, 'warning'))];
  }

  return {
    check,
    preview(change) {
      // Compile what is pending first, so the radius shows this change alone.
      mesh.flush();
      const diagnostics = check(change);
      const { after } = inputs(change);
      const current = mesh.current();
      const next = compile(after, current);
      return { diagnostics, blastRadius: blastRadius(current, next, mesh.inventory().endpoints()) };
    },
  };
}
