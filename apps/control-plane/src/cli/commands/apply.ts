/**
 * `weft apply -f FILE|DIR|- [--dry-run] [-n NS] [-m MESSAGE]`
 *
 *   read + validate every document locally ──(any error: print all, apply nothing, exit 1)
 *   ──▶ sort by kind (Service, MeshConfig, TrafficPolicy, HTTPRoute, AuthorizationPolicy, Rollout)
 *   ──▶ PUT each: one line per resource, warnings under it
 *   --dry-run: POST /preview with all of them at once — each judged with the others applied (a
 *   new Service and the route to it pass together) — and one blast radius for the whole set
 *
 * A document the server refuses (400, 403, 404, 409) is reported and the others are still
 * applied; a refused token (401) or an unreachable server stops at once.
 */
import type { ApplyResult, PreviewResult } from '@weft/contracts/resources';
import type { Context } from '../context.ts';
import { locate, loadResources, type LocalResource } from '../documents.ts';
import { ApiError, combinedExitCode, ExitCode, type ExitCodeValue } from '../errors.ts';
import { findingsOf, formatBlastRadius, formatFinding, type Finding } from '../report.ts';
import { refOf, resourcePath, sortForApply } from '../resources.ts';
import { defaultNamespace } from './shared.ts';

export interface ApplyOptions {
  file: string[];
  dryRun?: boolean;
  namespace?: string;
  message?: string;
}

export async function applyCommand(ctx: Context, opts: ApplyOptions): Promise<ExitCodeValue> {
  const namespace = opts.namespace ?? (await defaultNamespace(ctx));
  const loaded = await loadResources(opts.file, {
    cwd: ctx.io.cwd,
    namespace,
    namespaceFromFlag: opts.namespace !== undefined,
    readStdin: () => ctx.io.readStdin(),
  });
  if (loaded.errors.length > 0) {
    for (const e of loaded.errors) ctx.note(e);
    ctx.error(`${loaded.errors.length === 1 ? '1 problem' : `${loaded.errors.length} problems`} in the documents: nothing was applied`);
    return ExitCode.FAILED;
  }
  const { client } = await ctx.connect();
  const ordered = sortForApply(loaded.resources.map((r) => ({ ...r, kind: r.address.kind })));
  if (opts.dryRun) return previewAll(ctx, client, ordered);
  const codes: ExitCodeValue[] = [];
  /** What to do next, once each, after all the lines. */
  const hints = new Set<string>();
  for (const [i, local] of ordered.entries()) {
    const ref = refOf(local.address);
    try {
      const result = await client.put<ApplyResult>(resourcePath(local.address.kind, local.address.namespace, local.address.name), {
        document: local.resource,
        ...(opts.message !== undefined ? { message: opts.message } : {}),
        ...(opts.dryRun ? { dryRun: true } : {}),
      });
      printResult(ctx, local, ref, result);
      codes.push(ExitCode.OK);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 401 || err.exitCode === ExitCode.UNAVAILABLE) {
        const left = ordered.length - i;
        ctx.note(`${ref}: not applied${left > 1 ? `, nor the ${left - 1} after it` : ''}`);
        throw err;
      }
      reportRefused(ctx, local, ref, err, hints);
      codes.push(err.exitCode);
    }
  }
  const failed = codes.filter((c) => c !== ExitCode.OK).length;
  if (failed > 0) ctx.error(`${failed} of ${ordered.length} resources ${opts.dryRun ? 'would fail' : 'were not applied'}`);
  for (const hint of hints) ctx.note(hint);
  return combinedExitCode(codes);
}

/** The dry run of the whole set: one line and its findings per resource, then the blast radius. */
async function previewAll(ctx: Context, client: Awaited<ReturnType<Context['connect']>>['client'], ordered: LocalResource[]): Promise<ExitCodeValue> {
  let preview: PreviewResult;
  try {
    preview = await client.post<PreviewResult>('/preview', { documents: ordered.map((l) => l.resource) });
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 400 || err.issues.length === 0) throw err;
    // documents[i].path → the file and line of that document.
    ctx.error('the control plane refused the documents:');
    for (const f of findingsOf(err)) {
      const m = /^documents\[(\d+)\]\.?(.*)$/.exec(f.path);
      const local = m ? ordered[Number(m[1])] : undefined;
      ctx.note(formatFinding({ ...f, path: m ? m[2]! : f.path }, ctx.ce, local ? `${refOf(local.address)} (${locate(local, m![2]!)})` : undefined));
    }
    return ExitCode.FAILED;
  }
  preview.results.forEach((r, i) => {
    const local = ordered[i];
    ctx.print(`${local ? refOf(local.address) : `${r.kind} ${r.name}`} ${r.diagnostics.some((d) => d.severity === 'error') ? 'would be refused' : r.result} (dry run)`);
    for (const d of r.diagnostics) ctx.print(formatFinding(d, ctx.c, whereOf(local, d)));
  });
  for (const d of preview.elsewhere) ctx.print(formatFinding(d, ctx.c, whereOf(undefined, d)));
  ctx.print(formatBlastRadius(preview.blastRadius, ctx.c));
  if (!preview.ok) {
    const refused = preview.results.filter((r) => r.diagnostics.some((d) => d.severity === 'error')).length;
    ctx.error(`${refused} of ${preview.results.length} resources would be refused`);
    return ExitCode.FAILED;
  }
  return ExitCode.OK;
}

/** `ref result [(dry run)]` (or `ref <phrase>`), then warnings, then the blast radius. */
export function printResult(ctx: Context, local: LocalResource | undefined, ref: string, result: ApplyResult, phrase: string = result.result): void {
  ctx.print(`${ref} ${phrase}${result.dryRun ? ' (dry run)' : ''}`);
  for (const d of result.diagnostics ?? []) ctx.print(formatFinding(d, ctx.c, whereOf(local, d)));
  // An unchanged resource changes no proxy: saying so for each one is noise.
  if (result.blastRadius && !(result.result === 'unchanged' && result.blastRadius.affectedProxies === 0)) ctx.print(formatBlastRadius(result.blastRadius, ctx.c));
}

/**
 * The refused resource on stderr: `error: ref (file:line): message`, then each finding with its
 * line. The hint goes into `hints` (printed once at the end), or right after when none is given.
 */
export function reportRefused(ctx: Context, local: LocalResource | undefined, ref: string, err: ApiError, hints?: Set<string>): void {
  const where = local ? ` (${locate(local)})` : '';
  if (err.issues.length > 0) {
    ctx.error(`${ref}${where} was refused:`);
    for (const f of findingsOf(err)) ctx.note(formatFinding(f, ctx.ce, whereOf(local, f)));
    return;
  }
  ctx.error(`${ref}${where}: ${err.message}`);
  if (err.hint && hints) hints.add(err.hint);
  else if (err.hint) ctx.note(err.hint);
}

/** Where a finding is: the line in the local file, or the other resource it is about. */
function whereOf(local: LocalResource | undefined, f: Finding & { resource?: { kind: string; namespace: string | null; name: string } | undefined }): string | undefined {
  if (f.resource) {
    const other = `${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ''}${f.resource.name}`;
    const self = local && f.resource.kind === local.address.kind && f.resource.name === local.address.name && (f.resource.namespace ?? null) === local.address.namespace;
    if (!self) return other;
  }
  if (!local) return undefined;
  return f.path ? locate(local, f.path) : undefined;
}
