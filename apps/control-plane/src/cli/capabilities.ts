/**
 * Which optional request fields the control plane accepts, read from its OpenAPI document.
 *
 * Why: the API's input objects drop unknown fields. A `dryRun: true` sent to a control plane
 * that does not know `dryRun` on that operation would be dropped, and the change made for real.
 * So before a dry run of an operation that gained `dryRun` later (revert, delete), the CLI checks
 * that the server declares it — a safety check for an older server, not an optimisation.
 */
import type { ApiClient } from './client.ts';

type Operation = {
  parameters?: Array<{ name?: string }>;
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
};
type Document = { paths?: Record<string, Record<string, Operation | undefined> | undefined> };

/** True when `method pathTemplate` (e.g. `post`, `/namespaces/{namespace}/{plural}/{name}/revert`) declares `field`. */
export function declaresField(doc: unknown, method: string, pathTemplate: string, field: string): boolean {
  const op = (doc as Document | null)?.paths?.[pathTemplate]?.[method.toLowerCase()];
  if (!op) return false;
  if (op.parameters?.some((p) => p.name === field)) return true;
  const properties = op.requestBody?.content?.['application/json']?.schema?.properties;
  return properties !== undefined && Object.hasOwn(properties, field);
}

/** The path template of a resource operation: namespaced or cluster-scoped, with a suffix (`/revert`). */
export const operationPath = (namespaced: boolean, suffix = ''): string =>
  `${namespaced ? '/namespaces/{namespace}/{plural}' : '/cluster/{plural}'}/{name}${suffix}`;

export async function serverAccepts(client: ApiClient, method: string, pathTemplate: string, field: string): Promise<boolean> {
  return declaresField(await client.openApiDocument(), method, pathTemplate, field);
}
