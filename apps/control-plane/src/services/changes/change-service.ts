/**
 * The config change feed: revisions of many resources, newest first, in pages.
 *
 *   scope (namespaces the caller may see) + filters ──▶ repo (keyset on at desc, id desc)
 *        ──▶ exact service filter (touchedServices) ──▶ page + cursor
 *
 * The `service` filter cannot be decided in SQL alone (which services a route touches is a
 * function of its spec), so the repo narrows to a superset and this layer keeps the exact
 * matches, reading at most SCAN_BUDGET revisions per page. A page can therefore be short and
 * still carry a cursor: the caller asks again from where the scan stopped.
 */
import { CHANGES_DEFAULT_LIMIT } from '@weft/contracts/resources';
import { InvalidInputError } from '../errors.ts';
import type { ChangeRecord, ChangesRepo } from './ports.ts';
import type { ChangeScope } from './scope.ts';
import { touchedServices, type TouchedServices } from './touched-services.ts';

/** Revisions read per page at most when filtering by service. */
export const SCAN_BUDGET = 5000;
const SCAN_BATCH = 500;

export interface ChangeFilters {
  kinds?: string[];
  service?: string;
  since?: Date;
  until?: Date;
  limit?: number;
  cursor?: string;
}

export type ChangeItem = Omit<ChangeRecord, 'spec'> & TouchedServices;

export interface ChangePage {
  items: ChangeItem[];
  nextCursor: string | null;
}

const badCursor = (): never => {
  throw new InvalidInputError('cursor: not a cursor from a previous page', [{ path: 'cursor', message: 'not a cursor from a previous page' }]);
};

export function encodeChangeCursor(row: { at: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.at.toISOString(), row.id])).toString('base64url');
}

export function decodeChangeCursor(cursor: string): { at: Date; id: string } {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return badCursor();
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') return badCursor();
  const at = new Date(value[0]);
  if (Number.isNaN(at.getTime()) || !/^[0-9a-f-]{36}$/i.test(value[1])) return badCursor();
  return { at, id: value[1] };
}

function present(row: ChangeRecord): ChangeItem {
  const { spec, ...rest } = row;
  return { ...rest, ...touchedServices({ kind: row.kind, name: row.name, spec }) };
}

export function createChangeService(deps: { repo: ChangesRepo }) {
  return {
    async list(scope: ChangeScope, filters: ChangeFilters): Promise<ChangePage> {
      const limit = filters.limit ?? CHANGES_DEFAULT_LIMIT;
      if (filters.since && filters.until && filters.since >= filters.until) {
        throw new InvalidInputError('until: must be after since', [{ path: 'until', message: 'must be after since' }]);
      }
      if (scope.namespaces !== null && scope.namespaces.length === 0 && !scope.includeCluster) return { items: [], nextCursor: null };
      const service = filters.service ?? null;
      const batch = service === null ? limit + 1 : Math.max(limit + 1, SCAN_BATCH);
      const matches: ChangeItem[] = [];
      let before = filters.cursor ? decodeChangeCursor(filters.cursor) : null;
      let scanned = 0;
      for (;;) {
        const rows = await deps.repo.list({
          namespaces: scope.namespaces,
          includeCluster: scope.includeCluster,
          kinds: filters.kinds ?? null,
          since: filters.since ?? null,
          until: filters.until ?? null,
          mayTouchService: service,
          before,
          limit: batch,
        });
        for (const row of rows) {
          const item = present(row);
          if (service !== null && !item.allServices && !item.services.includes(service)) continue;
          matches.push(item);
          if (matches.length > limit) return { items: matches.slice(0, limit), nextCursor: encodeChangeCursor(matches[limit - 1]!) };
        }
        scanned += rows.length;
        if (rows.length < batch) return { items: matches, nextCursor: null };
        before = rows[rows.length - 1]!;
        // Out of budget: stop here, and let the next page continue the scan from this row.
        if (scanned >= SCAN_BUDGET) return { items: matches, nextCursor: encodeChangeCursor(before) };
      }
    },
  };
}

export type ChangeService = ReturnType<typeof createChangeService>;
