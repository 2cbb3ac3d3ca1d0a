/**
 * SPIFFE IDs as Weft issues them: `spiffe://<trust-domain>/ns/<namespace>/sa/<service>` — the
 * only URI SAN of a workload certificate (X.509-SVID). The parts are validated here so that a
 * caller can never smuggle a path segment, a query or a second identity into a certificate.
 */
export interface WorkloadIdentity {
  trustDomain: string;
  namespace: string;
  service: string;
}

/** A trust domain: a DNS name, lower case (SPIFFE: letters, digits, `.`, `-`, `_`). */
const TRUST_DOMAIN = /^[a-z0-9]([a-z0-9._-]{0,253}[a-z0-9])?$/;
/** Namespace and service names are DNS labels in Weft. */
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function spiffeId(id: WorkloadIdentity): string {
  if (!TRUST_DOMAIN.test(id.trustDomain)) throw new RangeError(`trust domain '${id.trustDomain}' is not a lower-case DNS name`);
  if (!LABEL.test(id.namespace)) throw new RangeError(`namespace '${id.namespace}' is not a DNS label`);
  if (!LABEL.test(id.service)) throw new RangeError(`service '${id.service}' is not a DNS label`);
  return `spiffe://${id.trustDomain}/ns/${id.namespace}/sa/${id.service}`;
}

/** The workload a Weft SPIFFE ID names, or null when it is not exactly that shape. */
export function parseSpiffeId(uri: string): WorkloadIdentity | null {
  const m = /^spiffe:\/\/([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(uri);
  if (m === null) return null;
  const [, trustDomain = '', namespace = '', service = ''] = m;
  return TRUST_DOMAIN.test(trustDomain) && LABEL.test(namespace) && LABEL.test(service) ? { trustDomain, namespace, service } : null;
}
