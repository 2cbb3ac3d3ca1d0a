/**
 * The kind-specific columns of `weft get`'s table: the few spec fields that tell resources of a
 * kind apart at a glance. Specs come from the server as plain values, so every accessor is
 * defensive: a field it does not understand shows as `-`, never as an exception.
 */
import type { ResourceKind } from '@weft/contracts/resources';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const list = (values: (string | undefined)[], max = 60): string => {
  const text = [...new Set(values.filter((v): v is string => !!v))].join(',');
  if (!text) return '-';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

export interface SummaryColumns {
  headers: string[];
  cells(spec: Obj): string[];
}

/** `payments` or `payments:80`. */
const ref = (v: unknown): string | undefined => {
  const o = obj(v);
  const name = str(o.name);
  if (!name) return undefined;
  return o.port !== undefined ? `${name}:${str(o.port)}` : name;
};

/** `recommendations/v1=95`; subset and weight only when set. */
const backend = (v: unknown): string | undefined => {
  const o = obj(v);
  const name = str(o.name);
  if (!name) return undefined;
  return `${name}${o.subset !== undefined ? `/${str(o.subset)}` : ''}${o.weight !== undefined ? `=${str(o.weight)}` : ''}`;
};

const TRAFFIC_SECTIONS = ['timeouts', 'retries', 'circuitBreaker', 'outlierDetection', 'loadBalancer', 'rateLimit', 'faultInjection'];

export const SUMMARIES: Record<ResourceKind, SummaryColumns> = {
  Service: {
    headers: ['PORTS', 'VERSIONS'],
    cells: (s) => [
      list(arr(s.ports).map((p) => `${str(obj(p).port) ?? '?'}/${str(obj(p).protocol) ?? 'http'}`)),
      list(arr(s.versions).map((v) => str(obj(v).name))),
    ],
  },
  HTTPRoute: {
    headers: ['PARENTS', 'RULES', 'BACKENDS'],
    cells: (s) => [list(arr(s.parentRefs).map(ref)), String(arr(s.rules).length), list(arr(s.rules).flatMap((r) => arr(obj(r).backendRefs).map(backend)))],
  },
  TrafficPolicy: {
    headers: ['TARGET', 'POLICIES'],
    cells: (s) => [str(obj(s.targetRef).name) ?? '-', list(TRAFFIC_SECTIONS.filter((k) => s[k] !== undefined))],
  },
  AuthorizationPolicy: {
    headers: ['TARGET', 'ACTION', 'MODE', 'RULES'],
    cells: (s) => [str(obj(s.targetRef).name) ?? '(namespace)', str(s.action) ?? '-', str(s.mode) ?? 'enforce', String(arr(s.rules).length)],
  },
  MeshConfig: {
    headers: ['TRUST DOMAIN', 'MTLS', 'DEFAULT AUTHZ'],
    cells: (s) => [str(s.trustDomain) ?? 'weft.local', str(obj(s.mtls).mode) ?? 'STRICT', str(s.defaultAuthorization) ?? 'allow'],
  },
  Rollout: {
    headers: ['TARGET', 'STABLE', 'CANARY', 'STEPS'],
    cells: (s) => [str(obj(s.targetRef).name) ?? '-', str(s.stableVersion) ?? '-', str(s.canaryVersion) ?? '-', list(arr(s.steps).map((st) => `${str(obj(st).weight) ?? '?'}%`))],
  },
};
