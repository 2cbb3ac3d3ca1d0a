/**
 * Which services the Overview lists as needing attention: failing, without endpoints, or
 * degraded (docs/services.md "Health"), worst first, then by error rate, then by name.
 */
import { HEALTH_ORDER, type Health, type ServiceRow } from '../services/services-state';

const NEEDS_ATTENTION: ReadonlySet<Health> = new Set(['failing', 'no-endpoints', 'degraded']);

export function needsAttention(rows: readonly ServiceRow[], limit: number): { rows: ServiceRow[]; total: number } {
  const flagged = rows
    .filter((r) => NEEDS_ATTENTION.has(r.health))
    .sort(
      (a, b) =>
        HEALTH_ORDER.indexOf(a.health) - HEALTH_ORDER.indexOf(b.health) ||
        b.received.errorRate - a.received.errorRate ||
        `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
    );
  return { rows: flagged.slice(0, limit), total: flagged.length };
}
