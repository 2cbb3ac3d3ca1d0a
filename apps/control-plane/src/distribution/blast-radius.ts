/**
 * Blast radius: which proxies a change would reach and how their compiled config would change.
 * Pure: two compile results (now, with the change) and the inventory in, a summary out.
 * Proxies of one workload share a snapshot, so each (workload, before, after) group gets one
 * readable diff instead of one per proxy.
 */
import type { BlastRadius } from '@weft/contracts/resources';
import type { ProxySnapshot } from '@weft/contracts/snapshot';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { CompileResult, InventoryEndpoint } from '../compiler/index.ts';

export const MAX_GROUPS = 50;
export const MAX_PROXY_IDS = 50;
export const MAX_DIFF_BYTES = 64 * 1024;

function readable(snapshot: ProxySnapshot | undefined): string {
  if (!snapshot) return '';
  const { version: _version, ...rest } = snapshot;
  return stringify(rest, { lineWidth: 0 });
}

function cut(text: string): string {
  if (Buffer.byteLength(text) <= MAX_DIFF_BYTES) return text;
  return `${Buffer.from(text).subarray(0, MAX_DIFF_BYTES).toString().replace(/\uFFFD$/, '')}\n… (diff cut at ${MAX_DIFF_BYTES / 1024} KiB)\n`;
}

export function blastRadius(before: CompileResult | undefined, after: CompileResult, endpoints: ReadonlyMap<string, InventoryEndpoint>): BlastRadius {
  const groups = new Map<string, { ep: InventoryEndpoint; before?: ProxySnapshot; after?: ProxySnapshot; proxyIds: string[] }>();
  let affected = 0;
  for (const [id, ep] of [...endpoints].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const b = before?.snapshots.get(id);
    const a = after.snapshots.get(id);
    if (b?.version === a?.version) continue;
    affected += 1;
    const key = JSON.stringify([ep.namespace, ep.service, ep.version, b?.version ?? null, a?.version ?? null]);
    const group = groups.get(key) ?? { ep, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}), proxyIds: [] };
    group.proxyIds.push(id);
    groups.set(key, group);
  }
  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  return {
    affectedProxies: affected,
    totalProxies: endpoints.size,
    groups: sorted.slice(0, MAX_GROUPS).map((g) => {
      const name = `${g.ep.service}.${g.ep.namespace} ${g.ep.version}`;
      return {
        namespace: g.ep.namespace,
        service: g.ep.service,
        version: g.ep.version,
        proxies: g.proxyIds.length,
        proxyIds: g.proxyIds.slice(0, MAX_PROXY_IDS),
        beforeVersion: g.before?.version ?? null,
        afterVersion: g.after?.version ?? null,
        diff: cut(createTwoFilesPatch(`${name} (now)`, `${name} (with the change)`, readable(g.before), readable(g.after), undefined, undefined, { context: 3 })),
      };
    }),
    truncated: sorted.length > MAX_GROUPS,
  };
}
