/**
 * `weft history KIND NAME [-n NS] [-o table|yaml|json]`: a resource's revisions, newest first
 * (also of a deleted resource). Compare two with `weft diff KIND NAME --from A --to B`.
 */
import type { ApplyResult, Revision } from '@weft/contracts/resources';
import { operationPath, serverAccepts } from '../capabilities.ts';
import type { Context } from '../context.ts';
import { ExitCode, usageError, type ExitCodeValue } from '../errors.ts';
import { age, renderTable, toJson, toYaml, truncate } from '../output.ts';
import { isNamespaced, kindArg, refOf, resourcePath } from '../resources.ts';
import { printResult } from './apply.ts';
import { addressArg, revisionArg } from './shared.ts';

export const HISTORY_OUTPUTS = ['table', 'yaml', 'json'] as const;

export interface HistoryOptions {
  namespace?: string;
  output?: (typeof HISTORY_OUTPUTS)[number];
}

export async function historyCommand(ctx: Context, kindName: string, name: string, opts: HistoryOptions): Promise<ExitCodeValue> {
  const address = await addressArg(ctx, kindArg(kindName), name, opts.namespace);
  const { client } = await ctx.connect();
  const revisions = await client.get<Revision[]>(resourcePath(address.kind, address.namespace, address.name, '/history'));
  switch (opts.output ?? 'table') {
    case 'json':
      ctx.io.stdout.write(toJson(revisions));
      break;
    case 'yaml':
      ctx.io.stdout.write(toYaml(revisions));
      break;
    default:
      ctx.io.stdout.write(historyTable(revisions, ctx.io.now()));
  }
  return ExitCode.OK;
}

/** REVISION, OPERATION, AUTHOR, AGE, MESSAGE (first line, at most 72 characters). */
export function historyTable(revisions: readonly Revision[], now: Date): string {
  return renderTable(
    ['REVISION', 'OPERATION', 'AUTHOR', 'AGE', 'MESSAGE'],
    revisions.map((r) => [
      String(r.revision),
      r.operation,
      r.author.type === 'user' ? r.author.name : `${r.author.name} (${r.author.type})`,
      age(r.createdAt, now),
      r.message ? truncate(r.message, 72) : '-',
    ]),
  );
}

export interface RevertOptions {
  namespace?: string;
  to: string;
  message?: string;
  dryRun?: boolean;
}

/**
 * `weft revert KIND NAME --to REVISION [-n NS] [-m MESSAGE] [--dry-run]`: a new revision with
 * the labels, annotations and spec of an earlier one (also brings back a deleted resource).
 */
export async function revertCommand(ctx: Context, kindName: string, name: string, opts: RevertOptions): Promise<ExitCodeValue> {
  const address = await addressArg(ctx, kindArg(kindName), name, opts.namespace);
  const toRevision = revisionArg(opts.to, '--to');
  const { client } = await ctx.connect();
  if (opts.dryRun && !(await serverAccepts(client, 'post', operationPath(isNamespaced(address.kind), '/revert'), 'dryRun'))) {
    // Sent anyway, the field would be dropped and the revert made for real.
    throw usageError(`the control plane at ${client.url} does not support --dry-run for revert; nothing was done`, `Preview the change with \`weft diff ${kindName} ${name} --from ${toRevision}\` instead.`);
  }
  const result = await client.post<ApplyResult>(resourcePath(address.kind, address.namespace, address.name, '/revert'), {
    toRevision,
    ...(opts.message !== undefined ? { message: opts.message } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
  });
  const phrase =
    result.result === 'unchanged'
      ? `unchanged (revision ${toRevision} is the current content)`
      : `reverted to revision ${toRevision}${result.dryRun ? '' : ` (now revision ${result.resource.metadata.generation})`}`;
  printResult(ctx, undefined, refOf(address), result, phrase);
  return ExitCode.OK;
}
