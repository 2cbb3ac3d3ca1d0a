/**
 * Changes as people read them: grouped by day and hour (in the viewer's time zone), with an
 * operation badge, a link to where the resource is shown, and markers for chart overlays.
 */
import type { Change } from '@weft/contracts/resources';
import { isEditableKind, policyHref } from '../policies/policy-kinds';

export type ChangeOperation = Change['operation'];

/** Past tense for the badge, and the tone it is shown in. */
export const OPERATION_LABELS: Record<ChangeOperation, { label: string; tone: 'ok' | 'accent' | 'bad' | 'warn' }> = {
  create: { label: 'created', tone: 'ok' },
  update: { label: 'updated', tone: 'accent' },
  delete: { label: 'deleted', tone: 'bad' },
  revert: { label: 'reverted', tone: 'warn' },
};

export interface HourGroup {
  /** `HH` (00–23) in the time zone: a stable key within its day. */
  key: string;
  /** The hour as the locale writes it: `14:00`, `2:00 PM`. */
  label: string;
  items: Change[];
}

export interface DayGroup {
  /** `YYYY-MM-DD` in the time zone: a stable key. */
  key: string;
  /** `26 Nov 2026` in the locale. */
  label: string;
  hours: HourGroup[];
}

function zonedParts(date: Date, timeZone: string | undefined): { day: string; hour: string } {
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', timeZone }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: `${get('year')}-${get('month')}-${get('day')}`, hour: get('hour') };
}

/** The start of `at`'s hour in the locale's style; minutes set to 00 (zones can be offset by 30 or 45 minutes). */
function hourLabel(at: Date, opts: { locale?: string; timeZone?: string }): string {
  return new Intl.DateTimeFormat(opts.locale, { hour: 'numeric', minute: '2-digit', timeZone: opts.timeZone })
    .formatToParts(at)
    .map((p) => (p.type === 'minute' ? '00' : p.value))
    .join('');
}

/**
 * Consecutive changes of the same day and hour together, keeping the feed's order (newest
 * first). Changes with an unreadable time are left out rather than put in a wrong group.
 */
export function groupByDayAndHour(items: Change[], opts: { locale?: string; timeZone?: string } = {}): DayGroup[] {
  const days: DayGroup[] = [];
  for (const item of items) {
    const at = new Date(item.at);
    if (Number.isNaN(at.getTime())) continue;
    const { day, hour } = zonedParts(at, opts.timeZone);
    let dayGroup = days[days.length - 1];
    if (dayGroup?.key !== day) {
      dayGroup = { key: day, label: new Intl.DateTimeFormat(opts.locale, { dateStyle: 'medium', timeZone: opts.timeZone }).format(at), hours: [] };
      days.push(dayGroup);
    }
    let hourGroup = dayGroup.hours[dayGroup.hours.length - 1];
    if (hourGroup?.key !== hour) {
      hourGroup = { key: hour, label: hourLabel(at, opts), items: [] };
      dayGroup.hours.push(hourGroup);
    }
    hourGroup.items.push(item);
  }
  return days;
}

/** `kind namespace/name` (`MeshConfig default` for cluster scope). */
export function resourceLabel(change: Pick<Change, 'kind' | 'namespace' | 'name'>): string {
  return change.namespace === null ? `${change.kind} ${change.name}` : `${change.kind} ${change.namespace}/${change.name}`;
}

/**
 * Where the console shows the resource: a policy's own page (the mesh settings' for MeshConfig),
 * a Service's page; none for other kinds (no page shows them yet).
 */
export function resourceHref(change: Pick<Change, 'kind' | 'namespace' | 'name'>): string | undefined {
  if (isEditableKind(change.kind)) return policyHref(change.namespace, change.kind, change.name);
  if (change.kind === 'Service' && change.namespace !== null) return `/services/${encodeURIComponent(change.namespace)}/${encodeURIComponent(change.name)}`;
  return undefined;
}

/** Who made the change, as the timeline says it (`eddie`, `token ci-deploy`, `system`). */
export function actorLabel(actor: Change['actor']): string {
  if (actor.type === 'token') return `token ${actor.name}`;
  if (actor.type === 'user') return actor.name;
  return actor.name || actor.type;
}

export interface ChangeMarker {
  t: Date;
  label: string;
}

/** One marker per change, oldest first (charts draw left to right): `TrafficPolicy shop/payments updated`. */
export function changeMarkers(items: Change[]): ChangeMarker[] {
  return items
    .map((item) => ({ t: new Date(item.at), label: `${resourceLabel(item)} ${OPERATION_LABELS[item.operation].label}` }))
    .filter((m) => !Number.isNaN(m.t.getTime()))
    .sort((a, b) => a.t.getTime() - b.t.getTime());
}
