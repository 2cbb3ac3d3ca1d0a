/**
 * `weft diff -f FILE|DIR|- [-n NS]`: local documents against the live resources.
 * `weft diff KIND NAME [-n NS] --from A [--to B]`: two stored revisions (B: the newest).
 *
 * Both print unified diffs of the YAML of what a revision holds — metadata.labels,
 * metadata.annotations and spec (server-set metadata and status are not compared) — and exit
 * like `kubectl diff`: 0 no differences, 1 differences, more on errors.
 *
 * The live side is re-ordered to follow the local file's key order (the database does not keep
 * key order), so a diff shows changed values, never shuffled keys.
 */
import type { ResourceDiff, Revision, StoredResource } from '@weft/contracts/resources';
import { createTwoFilesPatch } from 'diff';
import type { Context } from '../context.ts';
import { loadResources } from '../documents.ts';
import { ApiError, ExitCode, usageError, type ExitCodeValue } from '../errors.ts';
import { colourDiff, toYaml } from '../output.ts';
import { kindArg, refOf, resourcePath } from '../resources.ts';
import { addressArg, defaultNamespace, revisionArg } from './shared.ts';

export interface DiffOptions {
  file?: string[];
  namespace?: string;
  from?: string;
  to?: string;
}

export async function diffCommand(ctx: Context, kindName: string | undefined, name: string | undefined, opts: DiffOptions): Promise<ExitCodeValue> {
  const files = opts.file ?? [];
  if (files.length > 0) {
    if (kindName !== undefined || opts.from !== undefined || opts.to !== undefined) throw usageError('give -f FILE (local against live) or KIND NAME --from A (two revisions), not both');
    return diffFiles(ctx, files, opts.namespace);
  }
  if (kindName === undefined || name === undefined) throw usageError('say what to compare: -f FILE, or KIND NAME --from REVISION [--to REVISION]');
  if (opts.from === undefined) throw usageError('comparing revisions needs --from REVISION (see `weft history KIND NAME`)');
  return diffRevisions(ctx, kindName, name, opts);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What a revision holds, as the server's revision diff shows it: non-empty labels and annotations, and spec. */
export function editable(doc: { metadata?: { labels?: Obj | undefined; annotations?: Obj | undefined } | undefined; spec?: unknown }): Obj {
  const metadata: Obj = {};
  if (doc.metadata?.labels && Object.keys(doc.metadata.labels).length > 0) metadata.labels = doc.metadata.labels;
  if (doc.metadata?.annotations && Object.keys(doc.metadata.annotations).length > 0) metadata.annotations = doc.metadata.annotations;
  return { ...(Object.keys(metadata).length > 0 ? { metadata } : {}), spec: doc.spec ?? {} };
}

/** `value` with its mappings' keys in the order `like` has them (keys `like` lacks come after, in their own order). */
export function alignKeys(value: unknown, like: unknown): unknown {
  if (Array.isArray(value)) return value.map((v, i) => alignKeys(v, Array.isArray(like) ? like[i] : undefined));
  if (!isObj(value)) return value;
  const order = isObj(like) ? Object.keys(like) : [];
  const keys = [...order.filter((k) => Object.hasOwn(value, k)), ...Object.keys(value).filter((k) => !order.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, alignKeys(value[k], isObj(like) ? like[k] : undefined)]));
}

/** The unified diff of live against local, or '' when they hold the same. */
export function diffDocuments(ref: string, live: StoredResource | null, local: Obj, localLabel: string): string {
  const localText = toYaml(editable(local));
  const liveText = live ? toYaml(alignKeys(editable(live), editable(local))) : '';
  if (liveText === localText) return '';
  const liveLabel = live ? `live (generation ${live.metadata.generation})` : 'live (does not exist)';
  return createTwoFilesPatch(`live/${ref}`, `local/${ref}`, liveText, localText, liveLabel, localLabel);
}

async function diffFiles(ctx: Context, files: string[], flagNamespace: string | undefined): Promise<ExitCodeValue> {
  const namespace = flagNamespace ?? (await defaultNamespace(ctx));
  const loaded = await loadResources(files, { cwd: ctx.io.cwd, namespace, namespaceFromFlag: flagNamespace !== undefined, readStdin: () => ctx.io.readStdin() });
  if (loaded.errors.length > 0) {
    for (const e of loaded.errors) ctx.note(e);
    // Not 1: for diff, 1 means "there are differences".
    ctx.error('problems in the documents: nothing was compared');
    return ExitCode.USAGE;
  }
  const { client } = await ctx.connect();
  let differ = 0;
  for (const local of loaded.resources) {
    const { address } = local;
    const ref = refOf(address);
    let live: StoredResource | null;
    try {
      live = await client.get<StoredResource>(resourcePath(address.kind, address.namespace, address.name));
    } catch (err) {
      // A resource that does not exist yet is a difference (all added), as in kubectl diff. The
      // namespace itself missing (or hidden) is an error.
      if (err instanceof ApiError && err.status === 404 && !/^namespace /.test(err.message)) live = null;
      else throw err;
    }
    const patch = diffDocuments(ref, live, local.resource as unknown as Obj, `${local.file}:${local.line}`);
    if (patch) {
      differ++;
      ctx.io.stdout.write(colourDiff(patch, ctx.c));
    }
  }
  if (differ === 0) ctx.note(`no differences (${loaded.resources.length === 1 ? '1 resource' : `${loaded.resources.length} resources`})`);
  return differ > 0 ? ExitCode.FAILED : ExitCode.OK;
}

async function diffRevisions(ctx: Context, kindName: string, name: string, opts: DiffOptions): Promise<ExitCodeValue> {
  const address = await addressArg(ctx, kindArg(kindName), name, opts.namespace);
  const from = revisionArg(opts.from!, '--from');
  const { client } = await ctx.connect();
  let to: number;
  if (opts.to !== undefined) to = revisionArg(opts.to, '--to');
  else {
    const history = await client.get<Revision[]>(resourcePath(address.kind, address.namespace, address.name, '/history'));
    to = history[0]?.revision ?? from;
  }
  const diff = await client.get<ResourceDiff>(resourcePath(address.kind, address.namespace, address.name, '/diff'), { from, to });
  if (diff.changes.length === 0) {
    ctx.note(`no differences between revisions ${from} and ${to} of ${refOf(address)}`);
    return ExitCode.OK;
  }
  ctx.io.stdout.write(colourDiff(diff.unified.endsWith('\n') ? diff.unified : `${diff.unified}\n`, ctx.c));
  return ExitCode.FAILED;
}
