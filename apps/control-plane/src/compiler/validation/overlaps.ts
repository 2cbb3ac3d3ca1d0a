/**
 * Overlapping routes: two rules attached to the same service port (in one HTTPRoute or in two)
 * with a match that selects exactly the same requests. Precedence (docs/resources.md "Which rule
 * applies") cannot tell them apart by the match, so the older route — or the first by name, the
 * earlier rule — takes every such request, and the other match never applies. Both resources get
 * the finding, each naming the other, so a write of either is refused.
 *
 * "Exactly the same requests": equal after normalisation (defaults filled in, header names
 * lower-cased, conditions sorted, a PathPrefix's trailing `/` ignored), for hostnames that overlap
 * (none given means any host). Matches that overlap only partly (`/api` and `/api/v1`) are ordinary
 * precedence and are not reported.
 */
import { HTTP_ROUTE_DEFAULTS, type HTTPRoute } from '@weft/contracts/resources';
import { normaliseMatch } from '../routes.ts';
import { cmp, serviceKey } from '../types.ts';
import type { ValidationContext } from './context.ts';
import { describeRef, formatFieldPath, refOf, type Findings, type PathSegment } from './diagnostics.ts';

interface Entry {
  route: HTTPRoute;
  routeId: string;
  /** Routes not stored yet (no creationTimestamp) are the newest. */
  created: string;
  ruleIndex: number;
  matchIndex: number;
  path: PathSegment[];
  /** Length of the PathPrefix value as written: a longer one wins even when equivalent. */
  prefixLength: number;
}

function canonicalKey(match: ReturnType<typeof normaliseMatch>): string {
  const path = match.path.type === 'PathPrefix' && match.path.value.length > 1 ? { ...match.path, value: match.path.value.replace(/\/+$/, '') } : match.path;
  return JSON.stringify({ ...match, path });
}

/** Negative when `a` takes precedence over `b` (their matches being equivalent). */
function precedes(a: Entry, b: Entry): number {
  return b.prefixLength - a.prefixLength || cmp(a.created, b.created) || cmp(a.routeId, b.routeId) || a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex;
}

/** Why `winner` takes the requests both match: the end of "…, which wins because …". */
function why(winner: Entry, loser: Entry): string {
  if (winner.prefixLength !== loser.prefixLength) return 'its path prefix is written longer (a trailing / is ignored when matching, not when ordering)';
  if (winner.routeId === loser.routeId) return 'its rule comes first in the route';
  if (winner.created !== loser.created) return 'it is in the older route';
  return 'it is in the route that comes first by namespace/name';
}

/** Whether a request could carry a Host both lists accept (absent: any host). */
export function hostnamesOverlap(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  const one = (x: string, y: string): boolean => {
    const wx = x.startsWith('*.') ? x.slice(1) : undefined;
    const wy = y.startsWith('*.') ? y.slice(1) : undefined;
    if (wx === undefined && wy === undefined) return x === y;
    if (wx !== undefined && wy !== undefined) return wx.endsWith(wy) || wy.endsWith(wx);
    return wx === undefined ? x.endsWith(wy ?? '') : y.endsWith(wx);
  };
  return a.some((x) => b.some((y) => one(x, y)));
}

/** `service 'api' port 80`, `service 'api' ports 80 and 9000`. */
function servicePorts(list: readonly { service: string; port: number }[]): string {
  const byService = new Map<string, number[]>();
  for (const { service, port } of list) byService.set(service, [...(byService.get(service) ?? []), port]);
  return [...byService]
    .sort(([a], [b]) => cmp(a, b))
    .map(([service, ports]) => {
      const sorted = [...new Set(ports)].sort((a, b) => a - b);
      const last = sorted.pop();
      return `service '${service}' ${sorted.length === 0 ? `port ${last}` : `ports ${sorted.join(', ')} and ${last}`}`;
    })
    .join(' and ');
}

export function checkOverlaps(ctx: ValidationContext, out: Findings): void {
  // service port → canonical match → entries
  const groups = new Map<string, Map<string, Entry[]>>();
  const where = new Map<string, { service: string; port: number }>();
  for (const route of ctx.routes) {
    const routeId = serviceKey(route.metadata.namespace, route.metadata.name);
    for (const attachment of ctx.attachments.get(routeId) ?? []) {
      for (const port of attachment.ports) {
        const groupKey = `${serviceKey(attachment.service.namespace, attachment.service.name)}|${port}`;
        where.set(groupKey, { service: attachment.service.name, port });
        const group = groups.get(groupKey) ?? new Map<string, Entry[]>();
        groups.set(groupKey, group);
        route.spec.rules.forEach((rule, ruleIndex) => {
          (rule.matches ?? HTTP_ROUTE_DEFAULTS.matches).forEach((m, matchIndex) => {
            const match = normaliseMatch(m);
            const key = canonicalKey(match);
            const list = group.get(key) ?? [];
            // A route attached twice to one port (parentRef with and without port) counts once.
            if (list.some((e) => e.routeId === routeId && e.ruleIndex === ruleIndex && e.matchIndex === matchIndex)) return;
            list.push({
              route,
              routeId,
              created: route.metadata.creationTimestamp || '~',
              ruleIndex,
              matchIndex,
              path: rule.matches === undefined ? ['spec', 'rules', ruleIndex] : ['spec', 'rules', ruleIndex, 'matches', matchIndex],
              prefixLength: match.path.type === 'PathPrefix' ? match.path.value.length : 0,
            });
            group.set(key, list);
          });
        });
      }
    }
  }

  // winner|loser → service ports where the loser is shadowed (a pair is reported once, naming them all).
  const pairs = new Map<string, { winner: Entry; loser: Entry; ports: { service: string; port: number }[] }>();
  for (const [groupKey, group] of [...groups].sort(([a], [b]) => cmp(a, b))) {
    for (const list of group.values()) {
      if (list.length < 2) continue;
      const sorted = [...list].sort(precedes);
      sorted.forEach((loser, j) => {
        const winner = sorted
          .slice(0, j)
          .find((w) => !(w.routeId === loser.routeId && w.ruleIndex === loser.ruleIndex) && hostnamesOverlap(w.route.spec.hostnames, loser.route.spec.hostnames));
        if (winner === undefined) return;
        const id = JSON.stringify([winner.routeId, winner.ruleIndex, winner.matchIndex, loser.routeId, loser.ruleIndex, loser.matchIndex]);
        const pair = pairs.get(id) ?? { winner, loser, ports: [] };
        const at = where.get(groupKey);
        if (at !== undefined) pair.ports.push(at);
        pairs.set(id, pair);
      });
    }
  }

  for (const { winner, loser, ports } of pairs.values()) {
    const sameHosts = JSON.stringify([...(winner.route.spec.hostnames ?? [])].sort(cmp)) === JSON.stringify([...(loser.route.spec.hostnames ?? [])].sort(cmp));
    const scope = `requests to ${servicePorts(ports)}${sameHosts ? '' : ' (for the hosts both routes accept)'}`;
    const fix = 'Make the matches differ (path, method, a header or query parameter), or merge the two rules.';
    if (winner.routeId === loser.routeId) {
      out.add(
        refOf(loser.route),
        'error',
        'OverlappingRoutes',
        loser.path,
        `matches exactly the same ${scope} as ${formatFieldPath(winner.path)} of this route, which wins because ${why(winner, loser)}; this match never applies. ${fix}`,
      );
      continue;
    }
    const winnerName = `${describeRef(refOf(winner.route))} ${formatFieldPath(winner.path)}`;
    const loserName = `${describeRef(refOf(loser.route))} ${formatFieldPath(loser.path)}`;
    out.add(
      refOf(loser.route),
      'error',
      'OverlappingRoutes',
      loser.path,
      `matches exactly the same ${scope} as ${winnerName}, which wins because ${why(winner, loser)}; this match never applies. ${fix}`,
    );
    out.add(
      refOf(winner.route),
      'error',
      'OverlappingRoutes',
      winner.path,
      `matches exactly the same ${scope} as ${loserName}; this match wins because ${why(winner, loser)}, so that one never applies. ${fix}`,
    );
  }
}
