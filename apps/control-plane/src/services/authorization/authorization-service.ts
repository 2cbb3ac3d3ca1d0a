/**
 * "See before you enforce": authorization evaluated over the traffic the inbound proxies recorded
 * (request shapes, per minute, in Postgres), so an operator can see what a draft policy would deny
 * before applying it, and how often each rule in effect decides (docs/authorization.md).
 *
 *   preview(namespace, draft document, window) ─ validate ─ compile like the compiler ─┐
 *   hits(namespace, window) ───────────────────────────────────────────────────────────┼─▶ recorded
 *                                                     traffic of the namespace ◀── repo.window ─┘
 *   ─▶ traffic-evaluation.ts (the proxies' own evaluator) ─▶ counts, sources, samples
 *
 * The policies in effect come from the mesh state this replica compiles from (the same resources
 * the snapshots are built from); the window is at most the retention.
 */
import { validateResource, type AuthorizationPolicy, type MeshConfig, type Resource } from '@weft/contracts/resources';
import { compilePolicy, meshSettings, protects } from '../../compiler/index.ts';
import { InvalidInputError } from '../errors.ts';
import { invalidDocument } from '../resources/resource-service.ts';
import type { RecordedTraffic, RequestShapesRepo } from './ports.ts';
import { policyHits, previewDraft, type DraftPreview, type PoliciesFor } from './traffic-evaluation.ts';

/** Shapes read per question: the largest first, so a long tail is what is left out. */
export const MAX_SHAPES = 20_000;

export interface TrafficWindow {
  since: Date;
  until: Date;
  /** Requests in the window that no shape carries (over a proxy's or a replica's cap, or past MAX_SHAPES). */
  notRecorded: number;
}

export interface AuthorizationServiceDeps {
  repo: Pick<RequestShapesRepo, 'window' | 'mtlsByService'>;
  /** The live resources of the mesh (mesh state). */
  resources: () => Resource[];
  retentionMs: number;
  now?: () => Date;
}

function ofKind<K extends Resource['kind']>(resources: Resource[], kind: K): Array<Extract<Resource, { kind: K }>> {
  return resources.filter((r): r is Extract<Resource, { kind: K }> => r.kind === kind);
}

export function createAuthorizationService(deps: AuthorizationServiceDeps) {
  const now = deps.now ?? (() => new Date());

  function checkWindow(windowMs: number): void {
    if (windowMs > deps.retentionMs) {
      const message = `must be at most the retention of recorded traffic (${Math.round(deps.retentionMs / 60_000)} minutes)`;
      throw new InvalidInputError(`window: ${message}`, [{ path: 'window', message }]);
    }
  }

  /** The enforced and audit policies protecting each service of `namespace`, as its proxies evaluate them. */
  function policiesInEffect(namespace: string) {
    const resources = deps.resources();
    const mesh = meshSettings(ofKind(resources, 'MeshConfig')[0] as MeshConfig | undefined);
    const policies = ofKind(resources, 'AuthorizationPolicy').filter((p) => p.metadata.namespace === namespace);
    const cache = new Map<string, ReturnType<PoliciesFor>>();
    const inEffect: PoliciesFor = (service) => {
      let list = cache.get(service);
      if (list === undefined) {
        list = policies.filter((p) => protects(p, namespace, service)).map((p) => compilePolicy(p, mesh.trustDomain));
        cache.set(service, list);
      }
      return list;
    };
    const all = policies.map((p) => compilePolicy(p, mesh.trustDomain));
    return { inEffect, all, defaultAuthorization: mesh.defaultAuthorization, trustDomain: mesh.trustDomain };
  }

  async function traffic(namespace: string, services: string[] | null, windowMs: number): Promise<{ recorded: RecordedTraffic; window: TrafficWindow }> {
    checkWindow(windowMs);
    const until = now();
    const since = new Date(until.getTime() - windowMs);
    const recorded = await deps.repo.window(namespace, services, since, MAX_SHAPES);
    return { recorded, window: { since, until, notRecorded: recorded.notRecorded } };
  }

  return {
    /** What `document` (an AuthorizationPolicy, not stored) would have changed over the last `windowMs`. */
    async preview(namespace: string, document: unknown, windowMs: number): Promise<DraftPreview & { window: TrafficWindow; services: string[] | null }> {
      const validated = validateResource(document, { defaultNamespace: namespace });
      if (!validated.ok) throw invalidDocument(validated.issues.map((i) => ({ ...i, path: i.path ? `document.${i.path}` : 'document' })), 'Invalid draft policy');
      const draft = validated.resource;
      if (draft.kind !== 'AuthorizationPolicy') {
        throw new InvalidInputError('document.kind: must be AuthorizationPolicy', [{ path: 'document.kind', message: 'must be AuthorizationPolicy' }]);
      }
      if (draft.metadata.namespace !== namespace) {
        const message = `is '${draft.metadata.namespace}', but the preview is for namespace '${namespace}'`;
        throw new InvalidInputError(`document.metadata.namespace: ${message}`, [{ path: 'document.metadata.namespace', message }]);
      }
      const policy = draft as AuthorizationPolicy;
      const services = policy.spec.targetRef === undefined ? null : [policy.spec.targetRef.name];
      const { recorded, window } = await traffic(namespace, services, windowMs);
      const { inEffect, defaultAuthorization, trustDomain } = policiesInEffect(namespace);
      return { window, services, ...previewDraft(recorded.shapes, compilePolicy(policy, trustDomain), inEffect, defaultAuthorization) };
    },

    /**
     * The share of each service's inbound requests that came over mTLS (a verified client
     * certificate) over the last `windowMs`, from recorded traffic. In STRICT mode it is 100 %;
     * in PERMISSIVE mode it shows how far a migration to mTLS has come.
     */
    async mtlsShare(namespace: string, windowMs: number) {
      checkWindow(windowMs);
      const until = now();
      const since = new Date(until.getTime() - windowMs);
      return { window: { since, until }, services: await deps.repo.mtlsByService(namespace, since) };
    },

    /** How often each policy in effect in `namespace` decided (or, in audit mode, would have denied) over the last `windowMs`. */
    async hits(namespace: string, windowMs: number) {
      const { recorded, window } = await traffic(namespace, null, windowMs);
      const { inEffect, all, defaultAuthorization } = policiesInEffect(namespace);
      return { window, defaultAuthorization, ...policyHits(recorded.shapes, inEffect, defaultAuthorization, all) };
    },
  };
}

export type AuthorizationService = ReturnType<typeof createAuthorizationService>;
