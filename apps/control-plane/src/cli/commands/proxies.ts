/**
 * `weft proxies [-n NS] [--service NAME] [--status STATUS] [-o table|yaml|json]`: the fleet, with what each proxy
 * was sent and acknowledged. Without -n: every namespace you can see.
 *
 *   NAME     NAMESPACE   SERVICE   VERSION   STATUS   SENT       ACKED      LATENCY   LAST NACK
 *   co-7f9   shop        checkout  v1        SYNCED   1a2b3c4d   1a2b3c4d   12ms      -
 *
 *   40 proxies: 37 SYNCED, 1 PENDING, 0 STALE, 1 NACKED, 1 DISCONNECTED
 */
import { ProxyStatusValueSchema, type ProxyList, type ProxyStatus, type ProxyStatusValue } from '@weft/contracts/snapshot';
import type { Context } from '../context.ts';
import { ExitCode, usageError, type ExitCodeValue } from '../errors.ts';
import { age, renderTable, shortVersion, toJson, toYaml, truncate, type Cell, type Colours } from '../output.ts';

export const PROXIES_OUTPUTS = ['table', 'yaml', 'json'] as const;

export interface ProxiesOptions {
  namespace?: string;
  service?: string;
  status?: string;
  output?: (typeof PROXIES_OUTPUTS)[number];
}

const PAGE = 500;

/** A status from the command line, case-insensitively. */
export function statusArg(value: string): ProxyStatusValue {
  const upper = value.toUpperCase();
  const parsed = ProxyStatusValueSchema.safeParse(upper);
  if (!parsed.success) throw usageError(`--status ${value}: one of ${ProxyStatusValueSchema.options.join(', ')}`);
  return parsed.data;
}

export async function proxiesCommand(ctx: Context, opts: ProxiesOptions): Promise<ExitCodeValue> {
  const status = opts.status !== undefined ? statusArg(opts.status) : undefined;
  const { client } = await ctx.connect();
  const items: ProxyStatus[] = [];
  let first: ProxyList | undefined;
  let cursor: string | null = null;
  do {
    const page: ProxyList = await client.get<ProxyList>('/proxies', { namespace: opts.namespace, service: opts.service, status, limit: PAGE, cursor: cursor ?? undefined });
    first ??= page;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const list = { items, counts: first!.counts, total: first!.total };
  switch (opts.output ?? 'table') {
    case 'json':
      ctx.io.stdout.write(toJson(list));
      return ExitCode.OK;
    case 'yaml':
      ctx.io.stdout.write(toYaml(list));
      return ExitCode.OK;
  }
  if (items.length === 0) {
    ctx.note(`No proxies found${opts.service ? ` of service ${opts.service}` : ''}${opts.namespace ? ` in namespace ${opts.namespace}` : ''}${status ? ` with status ${status}` : ''}.`);
  }
  else ctx.io.stdout.write(proxiesTable(items, ctx.io.now(), ctx.c));
  ctx.print(countsLine(list.counts, list.total));
  return ExitCode.OK;
}

const STATUS_STYLE: Record<ProxyStatusValue, keyof Omit<Colours, 'enabled'> | null> = {
  SYNCED: 'green',
  PENDING: 'yellow',
  STALE: 'yellow',
  NACKED: 'red',
  DISCONNECTED: 'dim',
};

export function proxiesTable(items: readonly ProxyStatus[], now: Date, c: Colours): string {
  return renderTable(
    ['NAME', 'NAMESPACE', 'SERVICE', 'VERSION', 'STATUS', 'SENT', 'ACKED', 'LATENCY', 'LAST NACK'],
    items.map((p): Cell[] => {
      const style = STATUS_STYLE[p.status];
      return [
        p.id,
        p.namespace,
        p.service,
        p.version,
        style && c.enabled ? { text: p.status, style: c[style] } : p.status,
        shortVersion(p.versionSent),
        shortVersion(p.versionAcked),
        p.pushLatencyMs === null ? '-' : `${Math.round(p.pushLatencyMs)}ms`,
        p.lastNack ? `${age(p.lastNack.at, now)} ago: ${truncate(p.lastNack.error, 60)}` : '-',
      ];
    }),
  );
}

/** `40 proxies: 37 SYNCED, 1 PENDING, 0 STALE, 1 NACKED, 1 DISCONNECTED` (every status, in a fixed order). */
export function countsLine(counts: Partial<Record<ProxyStatusValue, number>>, total: number): string {
  const parts = ProxyStatusValueSchema.options.map((s) => `${counts[s] ?? 0} ${s}`);
  return `${total} ${total === 1 ? 'proxy' : 'proxies'}: ${parts.join(', ')}`;
}
