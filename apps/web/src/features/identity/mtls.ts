/**
 * The mTLS mode each service of a namespace runs in: a Service resource's `spec.mtls.mode` when it
 * sets one, else the MeshConfig's `spec.mtls.mode`, else STRICT (docs/proxy.md, "Modes"). The
 * services listed are those with a Service resource, a proxy or a certificate.
 */
import { MESH_CONFIG_DEFAULTS } from '@weft/contracts/resources';

export type MtlsMode = 'STRICT' | 'PERMISSIVE';

export interface EffectiveMtls {
  mode: MtlsMode;
  /** Where the mode comes from: the Service's own spec, or the mesh (MeshConfig or its default). */
  source: 'service' | 'mesh';
}

function modeIn(spec: unknown): MtlsMode | undefined {
  const mtls = typeof spec === 'object' && spec !== null ? (spec as { mtls?: { mode?: unknown } }).mtls : undefined;
  return mtls?.mode === 'STRICT' || mtls?.mode === 'PERMISSIVE' ? mtls.mode : undefined;
}

/** The mesh-wide settings shown on the page, from the stored MeshConfig (none stored: the defaults). */
export function meshSettings(meshConfig: { spec?: unknown } | undefined): { mode: MtlsMode; trustDomain: string } {
  const spec = meshConfig?.spec as { trustDomain?: unknown } | undefined;
  return {
    mode: modeIn(spec) ?? MESH_CONFIG_DEFAULTS.mtls.mode,
    trustDomain: typeof spec?.trustDomain === 'string' ? spec.trustDomain : MESH_CONFIG_DEFAULTS.trustDomain,
  };
}

/** A service's mode: its own `spec.mtls.mode` wins over the mesh's. */
export function effectiveMtls(meshMode: MtlsMode, serviceSpec: unknown): EffectiveMtls {
  const own = modeIn(serviceSpec);
  return own ? { mode: own, source: 'service' } : { mode: meshMode, source: 'mesh' };
}

export interface ServiceMtlsRow extends EffectiveMtls {
  service: string;
  /** Whether a Service resource describes it (else it is known only from proxies or certificates). */
  declared: boolean;
  proxies: number;
}

/** One row per service known in the namespace, sorted by name. */
export function serviceMtlsRows(
  meshMode: MtlsMode,
  services: ReadonlyArray<{ metadata: { name: string }; spec?: unknown }>,
  proxies: ReadonlyArray<{ service: string }>,
  certificates: ReadonlyArray<{ service: string }> = [],
): ServiceMtlsRow[] {
  const specs = new Map(services.map((s) => [s.metadata.name, s.spec]));
  const names = new Set([...specs.keys(), ...proxies.map((p) => p.service), ...certificates.map((c) => c.service)]);
  return [...names]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((service) => ({
      service,
      declared: specs.has(service),
      proxies: proxies.filter((p) => p.service === service).length,
      ...effectiveMtls(meshMode, specs.get(service)),
    }));
}

/**
 * A service's share of inbound requests over mTLS (recorded traffic), as shown: `null` when no
 * request was recorded in the window (nothing to say), else the fraction and its text.
 */
export function mtlsShare(traffic: { requests: number; mtls: number } | undefined): { fraction: number; text: string } | null {
  if (!traffic || traffic.requests <= 0) return null;
  const fraction = Math.min(1, Math.max(0, traffic.mtls / traffic.requests));
  const percent = fraction * 100;
  // 99.95 % must not read as 100 %: a single plain-text request matters during a migration.
  const text = percent === 100 ? '100%' : percent >= 99.9 ? '> 99.9%' : percent > 0 && percent < 0.1 ? '< 0.1%' : `${percent.toFixed(1).replace(/\.0$/, '')}%`;
  return { fraction, text: `${text} of ${traffic.requests.toLocaleString('en-US')}` };
}
