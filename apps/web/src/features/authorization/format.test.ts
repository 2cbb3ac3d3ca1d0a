import { describe, expect, it } from 'vitest';
import { describeRule, formatCount, formatShare, requests, ruleBarsOf, rulesOf, share, targetLabel, windowOf, windowPhrase, wouldDenyHeadline } from './format';

describe('windows', () => {
  it('reads a window from the URL, falling back to one hour', () => {
    expect(windowOf('6h')).toBe('6h');
    expect(windowOf('7d')).toBe('1h');
    expect(windowOf(null)).toBe('1h');
  });

  it('says each window in words', () => {
    expect(windowPhrase('15m')).toBe('the last 15 minutes');
    expect(windowPhrase('1h')).toBe('the last hour');
    expect(windowPhrase('24h')).toBe('the last 24 hours');
  });
});

describe('counts', () => {
  it('groups thousands and says request or requests', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(requests(1)).toBe('1 request');
    expect(requests(0)).toBe('0 requests');
    expect(requests(2500)).toBe('2,500 requests');
  });

  it('makes the preview headline', () => {
    expect(wouldDenyHeadline(10, 175, '1h')).toBe('Would deny 10 of 175 requests in the last hour');
    expect(wouldDenyHeadline(0, 1, '15m')).toBe('Would deny 0 of 1 request in the last 15 minutes');
  });

  it('computes shares safely', () => {
    expect(share(5, 0)).toBe(0);
    expect(share(5, 10)).toBe(0.5);
    expect(share(15, 10)).toBe(1);
    expect(formatShare(0, 10)).toBe('0%');
    expect(formatShare(1, 10_000)).toBe('<0.1%');
    expect(formatShare(10, 175)).toBe('5.7%');
    expect(formatShare(1, 4)).toBe('25%');
    expect(formatShare(3, 0)).toBe('0%');
  });
});

describe('targetLabel', () => {
  it('is the target service, or all services of the namespace', () => {
    expect(targetLabel({ targetRef: { kind: 'Service', name: 'payments' } })).toBe('payments');
    expect(targetLabel({ action: 'DENY' })).toBe('all services');
    expect(targetLabel(undefined)).toBe('all services');
  });
});

describe('describeRule', () => {
  it('lists what the rule matches on', () => {
    expect(describeRule({ to: [{ paths: ['/admin', '/admin/*'] }] })).toBe('to paths /admin, /admin/*');
    expect(describeRule({ from: [{ namespaces: ['jobs'] }], to: [{ methods: ['DELETE'] }] })).toBe('from namespaces jobs, to methods DELETE');
    expect(describeRule({ from: [{ principals: ['spiffe://weft.local/ns/shop/sa/frontend'] }, { services: ['web'] }] })).toBe(
      'from principals spiffe://weft.local/ns/shop/sa/frontend; services web',
    );
    expect(describeRule({ to: [{ ports: [8080] }], when: [{ header: 'x-a', values: ['1'] }] })).toBe('to ports 8080, when 1 header condition');
  });

  it('says a rule without conditions matches every request', () => {
    expect(describeRule({})).toBe('every request');
    expect(describeRule(null)).toBe('every request');
  });
});

describe('rulesOf', () => {
  it('returns the rules of a spec, or none', () => {
    expect(rulesOf({ rules: [{}, {}] })).toHaveLength(2);
    expect(rulesOf({})).toEqual([]);
  });
});

describe('ruleBarsOf', () => {
  it('lists every rule, with 0 for those no request reached', () => {
    expect(ruleBarsOf([{ to: [{ paths: ['/admin'] }] }, { to: [{ methods: ['DELETE'] }] }], [{ rule: 1, requests: 5 }])).toEqual([
      { name: 'Rule 1', description: 'to paths /admin', requests: 0 },
      { name: 'Rule 2', description: 'to methods DELETE', requests: 5 },
    ]);
  });

  it('lists rules the API counted even when the document is not known', () => {
    expect(ruleBarsOf([], [{ rule: 0, requests: 3 }])).toEqual([{ name: 'Rule 1', description: 'not shown', requests: 3 }]);
  });
});
