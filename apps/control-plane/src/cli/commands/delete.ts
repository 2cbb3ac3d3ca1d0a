/**
 * `weft delete KIND NAME [-n NS]` or `weft delete -f FILE|DIR|-` [--dry-run] [-m MESSAGE] [--ignore-not-found]
 *
 * Deleting is soft on the server (the history stays; applying again continues it). With -f,
 * resources are deleted in the reverse of apply's kind order (Rollouts first, Services last).
 *
 * --dry-run: when the control plane declares `dryRun` on DELETE, it answers for itself (and may
 * describe the blast radius); otherwise the CLI only checks that the resource exists and says so
 * — it never sends a DELETE the server would carry out for real.
 */
import type { ApplyResult } from '@weft/contracts/resources';
import { operationPath, serverAccepts } from '../capabilities.ts';
import type { ApiClient } from '../client.ts';
import type { Context } from '../context.ts';
import { loadResources, type LocalResource } from '../documents.ts';
import { ApiError, combinedExitCode, ExitCode, usageError, type ExitCodeValue } from '../errors.ts';
import { isNamespaced, kindArg, refOf, resourcePath, sortForApply, type ResourceAddress } from '../resources.ts';
import { printResult, reportRefused } from './apply.ts';
import { addressArg, defaultNamespace } from './shared.ts';

export interface DeleteOptions {
  file?: string[];
  namespace?: string;
  dryRun?: boolean;
  message?: string;
  ignoreNotFound?: boolean;
}

export async function deleteCommand(ctx: Context, kindName: string | undefined, name: string | undefined, opts: DeleteOptions): Promise<ExitCodeValue> {
  const files = opts.file ?? [];
  if (files.length > 0 && kindName !== undefined) throw usageError('give KIND NAME or -f FILE, not both');
  if (files.length === 0 && (kindName === undefined || name === undefined)) throw usageError('say what to delete: KIND NAME, or -f FILE');

  let targets: Array<{ address: ResourceAddress; local?: LocalResource }>;
  if (files.length > 0) {
    const namespace = opts.namespace ?? (await defaultNamespace(ctx));
    const loaded = await loadResources(files, { cwd: ctx.io.cwd, namespace, namespaceFromFlag: opts.namespace !== undefined, readStdin: () => ctx.io.readStdin() });
    if (loaded.errors.length > 0) {
      for (const e of loaded.errors) ctx.note(e);
      ctx.error('problems in the documents: nothing was deleted');
      return ExitCode.FAILED;
    }
    targets = sortForApply(loaded.resources.map((local) => ({ kind: local.address.kind, address: local.address, local }))).reverse();
  } else {
    targets = [{ address: await addressArg(ctx, kindArg(kindName!), name!, opts.namespace) }];
  }

  const { client } = await ctx.connect();
  const codes: ExitCodeValue[] = [];
  const hints = new Set<string>();
  for (const [i, { address, local }] of targets.entries()) {
    const ref = refOf(address);
    try {
      await deleteOne(ctx, client, address, ref, local, opts);
      codes.push(ExitCode.OK);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 401 || err.exitCode === ExitCode.UNAVAILABLE) {
        if (targets.length - i > 1) ctx.note(`${ref} and the ${targets.length - i - 1} after it were not deleted`);
        throw err;
      }
      if (err.status === 404 && opts.ignoreNotFound) {
        codes.push(ExitCode.OK);
        continue;
      }
      if (err.status === 404) {
        ctx.error(notFound(ref, err));
        if (err.hint) hints.add(err.hint);
      } else reportRefused(ctx, local, ref, err, hints);
      codes.push(err.exitCode);
    }
  }
  for (const hint of hints) ctx.note(hint);
  return combinedExitCode(codes);
}

async function deleteOne(ctx: Context, client: ApiClient, address: ResourceAddress, ref: string, local: LocalResource | undefined, opts: DeleteOptions): Promise<void> {
  const path = resourcePath(address.kind, address.namespace, address.name);
  const serverDryRun = opts.dryRun === true && (await serverAccepts(client, 'delete', operationPath(isNamespaced(address.kind)), 'dryRun'));
  if (opts.dryRun && !serverDryRun) {
    await client.get(path); // 404 when it does not exist
    ctx.print(`${ref} deleted (dry run)`);
    return;
  }
  const answer = await client.delete<Partial<ApplyResult> & { ok?: boolean }>(path, {
    ...(opts.message !== undefined ? { message: opts.message } : {}),
    ...(opts.dryRun ? { dryRun: true } : {}),
  });
  if (answer.result && answer.resource) printResult(ctx, local, ref, { ...(answer as ApplyResult), diagnostics: answer.diagnostics ?? [], dryRun: answer.dryRun ?? !!opts.dryRun });
  else ctx.print(`${ref} deleted${opts.dryRun ? ' (dry run)' : ''}`);
}

/** `ref not found`, or `ref: namespace not found` when it is the namespace that is missing (or hidden). */
export const notFound = (ref: string, err: ApiError): string => (/^namespace /.test(err.message) ? `${ref}: ${err.message}` : `${ref} not found`);
