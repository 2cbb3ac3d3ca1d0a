/**
 * Label hygiene: whatever the listeners hand over, what leaves the proxy passes the contract
 * (TELEMETRY_LIMITS and the character rules of @weft/contracts/telemetry). Run once per new
 * series or per sampled span, never per request.
 */
import { OTHER, TELEMETRY_LIMITS, UNKNOWN_VERSION, type Workload } from '@weft/contracts/telemetry';

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const ROUTE_BAD = /[^\x21\x23-\x5b\x5d-\x7e]/g;
const REASON_BAD = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function label(v: string): string {
  return v.length <= TELEMETRY_LIMITS.labelLength && LABEL.test(v) ? v : OTHER;
}

/** Invalid service or namespace → OTHER; an empty version → UNKNOWN_VERSION, an invalid one → OTHER. */
export function cleanWorkload(w: { service: string; namespace: string; version: string } | null): Workload | null {
  if (w === null) return null;
  return { service: label(w.service), namespace: label(w.namespace), version: w.version === '' ? UNKNOWN_VERSION : label(w.version) };
}

/**
 * Disallowed characters become `_`; a name over the limit keeps its start and gets a hash of the
 * whole, so two long routes stay apart.
 */
export function cleanRoute(route: string): string {
  let r = route.replace(ROUTE_BAD, '_');
  if (r.length > TELEMETRY_LIMITS.routeLength) r = `${r.slice(0, TELEMETRY_LIMITS.routeLength - 9)}~${fnv1a(route)}`;
  return r;
}

/** An HTTP method token up to the limit, else `OTHER`. */
export function cleanMethod(method: string): string {
  return method.length <= TELEMETRY_LIMITS.methodLength && METHOD.test(method) ? method : 'OTHER';
}

export function cleanReason(reason: string | undefined): string | undefined {
  if (reason === undefined || reason === '') return undefined;
  return reason.slice(0, TELEMETRY_LIMITS.reasonLength).replace(REASON_BAD, '_');
}

/** 32-bit FNV-1a, 8 hex digits. */
export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
