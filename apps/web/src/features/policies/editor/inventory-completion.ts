/**
 * Completion from the inventory: at the places of a policy that name a service, a version, a
 * workload identity or a namespace, what the mesh actually has — the same choices the form's
 * pickers offer (use-form-suggestions.ts), so a YAML author does not have to remember them.
 *
 *   spec.targetRef.name, spec.parentRefs[].name, …backendRefs[].name, …from[].services[]  → services
 *   …backendRefs[].subset                                                               → versions
 *   …from[].principals[]                                                                → SPIFFE IDs
 *   metadata.namespace, …from[].namespaces[]                                            → namespaces
 */
import type { Suggestion } from './schema-completion';
import type { YamlContext } from './yaml-context';

export interface InventoryHints {
  /** Services of the policy's namespace. */
  services: readonly string[];
  /** Versions of the service the policy is about. */
  versions: readonly string[];
  /** SPIFFE IDs of the namespace's services. */
  identities: readonly string[];
  /** Namespaces the user can see. */
  namespaces: readonly string[];
}

type Hint = keyof InventoryHints;

/** Paths (list indexes as `*`) whose value is named from the inventory. */
const PLACES: ReadonlyArray<[RegExp, Hint, string]> = [
  [/^spec\.targetRef\.name$/, 'services', 'service'],
  [/^spec\.parentRefs\.\*\.name$/, 'services', 'service'],
  [/^spec\.rules\.\*\.backendRefs\.\*\.name$/, 'services', 'service'],
  [/^spec\.rules\.\*\.backendRefs\.\*\.subset$/, 'versions', 'version'],
  [/^spec\.rules\.\*\.from\.\*\.services\.\*$/, 'services', 'service'],
  [/^spec\.rules\.\*\.from\.\*\.principals\.\*$/, 'identities', 'workload identity'],
  [/^spec\.rules\.\*\.from\.\*\.namespaces\.\*$/, 'namespaces', 'namespace'],
  [/^metadata\.namespace$/, 'namespaces', 'namespace'],
];

/** What the inventory offers at the cursor (a value position), empty elsewhere. */
export function inventorySuggestionsAt(hints: InventoryHints, context: YamlContext): Suggestion[] {
  if (context.at !== 'value') return [];
  const place = context.path.map((step) => (typeof step === 'number' ? '*' : step)).join('.');
  const match = PLACES.find(([pattern]) => pattern.test(place));
  if (!match) return [];
  const [, hint, detail] = match;
  return [...new Set(hints[hint])].map((value) => ({ label: value, insert: value, type: 'value', detail }));
}
