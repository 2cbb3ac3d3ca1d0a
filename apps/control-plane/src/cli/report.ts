/**
 * How results of writes are printed: the one line per resource, the mesh validation's findings
 * under it, and a dry run's blast radius.
 *
 *   httproute.weft.dev/shop/checkout updated (dry run)
 *     warning WeightsNotHundred spec.rules[1]: weights add up to 90 (routes.yaml:20)
 *     would change the config of 12 of 40 proxies
 *     shop/checkout v1: 10 proxies, config 1a2b3c4d → 5e6f7a8b
 *       --- …
 */
import type { FieldIssue } from '@weft/contracts';
import type { BlastRadius, Diagnostic } from '@weft/contracts/resources';
import type { ApiError } from './errors.ts';
import { colourDiff, indent, shortVersion, type Colours } from './output.ts';

export type Finding = Pick<Diagnostic, 'path' | 'message'> & { code?: string | undefined; severity?: Diagnostic['severity'] | undefined };

/** `  error UnknownService spec.rules[0].backendRefs[0].name: no Service 'paymnts' (routes.yaml:14)` */
export function formatFinding(finding: Finding, c: Colours, where?: string): string {
  const severity = finding.severity ?? 'error';
  const label = severity === 'warning' ? c.yellow('warning') : c.red('error');
  const code = finding.code ? `${finding.code} ` : '';
  const path = finding.path && finding.path !== '(root)' ? `${finding.path}: ` : '';
  return `  ${label} ${code}${path}${finding.message}${where ? ` (${where})` : ''}`;
}

/** The findings of a refused write: its issues, or the message alone when it has none. */
export function findingsOf(err: ApiError): Finding[] {
  if (err.issues.length > 0) return err.issues.map((i: FieldIssue) => ({ ...i }));
  return [{ path: '', message: err.message }];
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The summary line of a blast radius. */
export function blastRadiusSummary(b: Pick<BlastRadius, 'affectedProxies' | 'totalProxies'>): string {
  if (b.affectedProxies === 0) return `would change the config of no proxies (0 of ${b.totalProxies})`;
  return `would change the config of ${b.affectedProxies} of ${plural(b.totalProxies, 'proxy', 'proxies')}`;
}

/** The summary, then each group of identical proxies with the diff of its compiled config; indented by two. */
export function formatBlastRadius(b: BlastRadius, c: Colours): string {
  const lines = [`  ${c.bold(blastRadiusSummary(b))}`];
  for (const g of b.groups) {
    const before = g.beforeVersion === null ? '(none)' : shortVersion(g.beforeVersion);
    const after = g.afterVersion === null ? '(none)' : shortVersion(g.afterVersion);
    lines.push(`  ${g.namespace}/${g.service} ${g.version}: ${plural(g.proxies, 'proxy', 'proxies')}, config ${before} → ${after}`);
    if (g.proxyIds.length > 0) {
      const shown = g.proxyIds.slice(0, 5).join(', ');
      const more = g.proxies - Math.min(5, g.proxyIds.length);
      lines.push(`    proxies: ${shown}${more > 0 ? ` and ${more} more` : ''}`);
    }
    if (g.diff.trim()) lines.push(indent(colourDiff(g.diff, c), '    '));
  }
  if (b.truncated) lines.push('  … more groups were affected than are listed');
  return lines.join('\n');
}
