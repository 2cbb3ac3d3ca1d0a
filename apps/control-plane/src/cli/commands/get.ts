/**
 * `weft get KIND [NAME] [-n NS | -A] [-l SELECTOR] [-o table|yaml|json|name]`
 *
 * Lists follow `nextCursor` to the end. YAML output of a list is a stream of documents (`---`),
 * so it can be edited and applied again as it is; JSON output of a list is `{"items": [...]}`.
 */
import { KINDS, type ResourceList, type StoredResource } from '@weft/contracts/resources';
import type { Context } from '../context.ts';
import { ExitCode, usageError, type ExitCodeValue } from '../errors.ts';
import { age, renderTable, toJson, toYaml } from '../output.ts';
import { isNamespaced, kindArg, refOf, resourcePath } from '../resources.ts';
import { SUMMARIES } from '../summaries.ts';
import type { ResourceKind } from '@weft/contracts/resources';

export const GET_OUTPUTS = ['table', 'yaml', 'json', 'name'] as const;
export type GetOutput = (typeof GET_OUTPUTS)[number];

export interface GetOptions {
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  output?: GetOutput;
}

/** Page size for lists (the API's maximum). */
const PAGE = 500;

export async function getCommand(ctx: Context, kindName: string, name: string | undefined, opts: GetOptions): Promise<ExitCodeValue> {
  const kind = kindArg(kindName);
  const output = opts.output ?? 'table';
  if (name !== undefined && opts.allNamespaces) throw usageError('-A lists every namespace: give a NAME with -n NAMESPACE instead');
  if (name !== undefined && opts.selector !== undefined) throw usageError('-l selects from a list: leave out the NAME');
  if (opts.allNamespaces && opts.namespace !== undefined) throw usageError('give -n NAMESPACE or -A, not both');
  const { client, connection } = await ctx.connect();
  const namespaced = isNamespaced(kind);
  const namespace = namespaced && !opts.allNamespaces ? (opts.namespace ?? connection.namespace) : null;
  if (namespaced && !opts.allNamespaces && !namespace) {
    throw usageError(`${KINDS[kind].plural} are namespaced: pass -n NAMESPACE, or -A for every namespace you can see`);
  }

  if (name !== undefined) {
    const resource = await client.get<StoredResource>(resourcePath(kind, namespace ?? null, name));
    print(ctx, kind, [resource], output, false);
    return ExitCode.OK;
  }

  const path = namespaced && opts.allNamespaces ? `/resources/${KINDS[kind].plural}` : resourcePath(kind, namespace ?? null);
  const items: StoredResource[] = [];
  let cursor: string | null = null;
  do {
    const page: ResourceList = await client.get<ResourceList>(path, { labelSelector: opts.selector, limit: PAGE, cursor: cursor ?? undefined });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  if (items.length === 0 && (output === 'table' || output === 'name')) {
    ctx.note(`No ${KINDS[kind].plural} found${namespace ? ` in namespace ${namespace}` : ''}${opts.selector ? ` matching ${opts.selector}` : ''}.`);
    return ExitCode.OK;
  }
  print(ctx, kind, items, output, true);
  return ExitCode.OK;
}

function print(ctx: Context, kind: ResourceKind, items: StoredResource[], output: GetOutput, isList: boolean): void {
  switch (output) {
    case 'yaml':
      ctx.io.stdout.write(items.map(toYaml).join('---\n'));
      return;
    case 'json':
      ctx.io.stdout.write(toJson(isList ? { items } : items[0]));
      return;
    case 'name':
      for (const r of items) ctx.print(refOf({ kind, namespace: r.metadata.namespace ?? null, name: r.metadata.name }));
      return;
    case 'table':
      ctx.io.stdout.write(resourceTable(kind, items, ctx.io.now()));
  }
}

/** NAME, NAMESPACE (namespaced kinds), AGE, GENERATION, then the kind's summary columns. */
export function resourceTable(kind: ResourceKind, items: readonly StoredResource[], now: Date): string {
  const summary = SUMMARIES[kind];
  const namespaced = isNamespaced(kind);
  const headers = ['NAME', ...(namespaced ? ['NAMESPACE'] : []), 'AGE', 'GENERATION', ...summary.headers];
  const rows = items.map((r) => [
    r.metadata.name,
    ...(namespaced ? [r.metadata.namespace ?? '-'] : []),
    age(r.metadata.creationTimestamp, now),
    String(r.metadata.generation),
    ...summary.cells(r.spec),
  ]);
  return renderTable(headers, rows);
}
