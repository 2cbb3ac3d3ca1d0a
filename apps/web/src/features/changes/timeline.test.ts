import type { Change } from '@weft/contracts/resources';
import { describe, expect, it } from 'vitest';
import { actorLabel, changeMarkers, groupByDayAndHour, resourceHref, resourceLabel } from './timeline';

const change = (at: string, name: string, operation: Change['operation'] = 'update', namespace: string | null = 'shop'): Change => ({
  id: name,
  at,
  namespace,
  kind: namespace === null ? 'MeshConfig' : 'TrafficPolicy',
  name,
  revision: 2,
  operation,
  message: '',
  actor: { type: 'user', name: 'ada' },
  services: [],
  allServices: false,
  revert: operation === 'revert',
});

describe('groupByDayAndHour', () => {
  const items = [
    change('2026-11-26T14:30:00Z', 'a'),
    change('2026-11-26T14:05:00Z', 'b'),
    change('2026-11-26T09:59:59Z', 'c'),
    change('2026-11-25T23:10:00Z', 'd'),
  ];

  it('groups by day, then hour, keeping newest first', () => {
    const days = groupByDayAndHour(items, { locale: 'en-GB', timeZone: 'UTC' });
    expect(days.map((d) => [d.key, d.label, d.hours.map((h) => [h.label, h.items.map((i) => i.name)])])).toEqual([
      ['2026-11-26', '26 Nov 2026', [['14:00', ['a', 'b']], ['9:00', ['c']]]],
      ['2026-11-25', '25 Nov 2026', [['23:00', ['d']]]],
    ]);
  });

  it('uses the viewer’s time zone: 23:10 UTC on the 25th is the morning of the 26th in Tokyo', () => {
    const days = groupByDayAndHour(items, { locale: 'en-GB', timeZone: 'Asia/Tokyo' });
    expect(days.map((d) => [d.key, d.hours.map((h) => [h.label, h.items.map((i) => i.name)])])).toEqual([
      ['2026-11-26', [['23:00', ['a', 'b']], ['18:00', ['c']], ['8:00', ['d']]]],
    ]);
  });

  it('writes the hour as the locale does', () => {
    expect(groupByDayAndHour(items.slice(0, 1), { locale: 'en-US', timeZone: 'UTC' })[0]!.hours[0]!.label).toBe('2:00\u202fPM');
    expect(groupByDayAndHour(items.slice(0, 1), { locale: 'en-GB', timeZone: 'Asia/Kolkata' })[0]!.hours[0]!.label).toBe('20:00');
  });

  it('leaves out unreadable times and gives nothing for nothing', () => {
    expect(groupByDayAndHour([change('not a time', 'x')])).toEqual([]);
    expect(groupByDayAndHour([])).toEqual([]);
  });
});

describe('labels and links', () => {
  it('names resources with their namespace, cluster ones without', () => {
    expect(resourceLabel(change('2026-11-26T00:00:00Z', 'payments'))).toBe('TrafficPolicy shop/payments');
    expect(resourceLabel(change('2026-11-26T00:00:00Z', 'default', 'update', null))).toBe('MeshConfig default');
  });

  it('links to the page that shows the resource', () => {
    expect(resourceHref({ kind: 'AuthorizationPolicy', namespace: 'shop', name: 'deny-admin' })).toBe('/policies/shop/authorizationpolicies/deny-admin');
    expect(resourceHref({ kind: 'HTTPRoute', namespace: 'a b', name: 'r' })).toBe('/policies/a%20b/httproutes/r');
    expect(resourceHref({ kind: 'MeshConfig', namespace: null, name: 'default' })).toBe('/mesh-config');
    expect(resourceHref({ kind: 'Service', namespace: 'shop', name: 'payments' })).toBe('/services/shop/payments');
    expect(resourceHref({ kind: 'Rollout', namespace: 'shop', name: 'reco' })).toBeUndefined();
  });

  it('says who acted', () => {
    expect(actorLabel({ type: 'user', name: 'eddie' })).toBe('eddie');
    expect(actorLabel({ type: 'token', name: 'ci-deploy' })).toBe('token ci-deploy');
    expect(actorLabel({ type: 'system', name: '' })).toBe('system');
  });
});

describe('changeMarkers', () => {
  it('one marker per change, oldest first, labelled with resource and operation', () => {
    const markers = changeMarkers([change('2026-11-26T14:30:00Z', 'late', 'revert'), change('2026-11-26T10:00:00Z', 'early', 'create'), change('bad', 'x')]);
    expect(markers).toEqual([
      { t: new Date('2026-11-26T10:00:00Z'), label: 'TrafficPolicy shop/early created' },
      { t: new Date('2026-11-26T14:30:00Z'), label: 'TrafficPolicy shop/late reverted' },
    ]);
  });
});
