/**
 * Which namespaces a change-feed request reads: what the caller may see, narrowed by the
 * request's `namespace` and `team` filters. Filters only ever narrow: naming a namespace or team
 * the caller cannot see yields nothing rather than an error, so the answer reveals nothing
 * about what exists elsewhere.
 */

export interface ChangeScope {
  /** null: every namespace. */
  namespaces: string[] | null;
  /** Cluster-scoped changes (MeshConfig): organization admins, when no namespace filter is set. */
  includeCluster: boolean;
}

export function changeScope(input: {
  isAdmin: boolean;
  /** The namespaces the caller may view, with their owning team's name. */
  visible: Array<{ name: string; teamName: string }>;
  namespaces?: string[] | undefined;
  teams?: string[] | undefined;
}): ChangeScope {
  const { isAdmin, visible, namespaces, teams } = input;
  if (namespaces === undefined && teams === undefined) {
    return isAdmin ? { namespaces: null, includeCluster: true } : { namespaces: visible.map((n) => n.name), includeCluster: false };
  }
  const chosen = visible.filter((n) => (namespaces === undefined || namespaces.includes(n.name)) && (teams === undefined || teams.includes(n.teamName)));
  return { namespaces: chosen.map((n) => n.name), includeCluster: false };
}
