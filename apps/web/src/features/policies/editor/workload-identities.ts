/**
 * The workload identities a policy author may mean: the namespace's own services, and every
 * workload the topology saw calling or called with them (from any namespace) — the callers an
 * AuthorizationPolicy is about. Sorted, each once; `unknown` callers have none.
 */
export function workloadIdentities(
  trustDomain: string,
  namespace: string,
  services: readonly string[],
  topologyNodes: ReadonlyArray<{ namespace: string | null; service: string | null }>,
): string[] {
  const workloads = new Set(services.map((service) => `${namespace}/${service}`));
  for (const node of topologyNodes) if (node.namespace !== null && node.service !== null) workloads.add(`${node.namespace}/${node.service}`);
  return [...workloads].sort().map((w) => {
    const [ns, service] = w.split('/');
    return `spiffe://${trustDomain}/ns/${ns}/sa/${service}`;
  });
}
