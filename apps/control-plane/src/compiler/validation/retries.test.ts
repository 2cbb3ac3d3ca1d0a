import { describe, expect, it } from 'vitest';
import { endpoint, findings, mesh, messageOf, route, service, trafficPolicy } from './testing.ts';

const api = service('api', { versions: ['v1', 'v2'] });
const orders = service('orders');
const running = [endpoint('api', 'v1'), endpoint('api', 'v2'), endpoint('orders', 'v1')];
const codes = ['NonIdempotentRetry'];
const policy = (spec: Record<string, unknown>) => trafficPolicy('api', { targetRef: { kind: 'Service', name: 'api' }, ...spec });
/** A route on `orders` that sends POST /orders to api (optionally one version of it). */
const posts = (method = 'POST', subset?: string) =>
  route('orders', {
    parentRefs: [{ kind: 'Service', name: 'orders' }],
    rules: [
      { matches: [{ path: { value: '/orders' }, method }], backendRefs: [{ name: 'api', ...(subset === undefined ? {} : { subset }) }] },
      { backendRefs: [{ name: 'orders' }] },
    ],
  });

describe('retries and non-idempotent methods', () => {
  it('warns when a route sends POST requests to a service whose retries would not apply to them', () => {
    const input = mesh([api, orders, posts(), policy({ retries: { attempts: 2, retryOn: ['5xx', 'connect-failure'] } })], running);
    expect(findings(input, codes)).toEqual(['warning NonIdempotentRetry TrafficPolicy shop/api spec.retries.retryOn']);
    expect(messageOf(input, 'NonIdempotentRetry')).toBe(
      "retryOn 5xx will not retry the POST requests that HTTPRoute shop/orders spec.rules[0].matches[0] sends to 'api': " +
        'without retryNonIdempotent, POST, PATCH and CONNECT requests are retried only on connect-failure and refused-stream (they never reached the application). ' +
        'Set retryNonIdempotent: true if those handlers are safe to run twice (an idempotency key, say); otherwise failing them rather than repeating them is the safe default',
    );
  });

  it('counts the default retryOn (gateway-error), and PATCH and CONNECT as non-idempotent', () => {
    expect(findings(mesh([api, orders, posts('PATCH'), policy({ retries: { attempts: 2 } })], running), codes)).toEqual(['warning NonIdempotentRetry TrafficPolicy shop/api spec.retries']);
    expect(findings(mesh([api, orders, posts('CONNECT'), policy({ retries: { attempts: 2, retryNonIdempotent: false } })], running), codes)).toEqual([
      'warning NonIdempotentRetry TrafficPolicy shop/api spec.retries.retryNonIdempotent',
    ]);
  });

  it('says nothing when the policy opts in, retries only safe conditions, or does not retry', () => {
    expect(findings(mesh([api, orders, posts(), policy({ retries: { attempts: 2, retryOn: ['5xx'], retryNonIdempotent: true } })], running), codes)).toEqual([]);
    expect(findings(mesh([api, orders, posts(), policy({ retries: { attempts: 2, retryOn: ['connect-failure', 'refused-stream'] } })], running), codes)).toEqual([]);
    expect(findings(mesh([api, orders, posts(), policy({ retries: { attempts: 0, retryOn: ['5xx'] } })], running), codes)).toEqual([]);
    expect(findings(mesh([api, orders, posts(), policy({ timeouts: { request: '1s' } })], running), codes)).toEqual([]);
  });

  it('says nothing without a route matching a non-idempotent method (any-method routes are not evidence)', () => {
    expect(findings(mesh([api, orders, posts('GET'), policy({ retries: { attempts: 2, retryOn: ['5xx'] } })], running), codes)).toEqual([]);
    expect(findings(mesh([api, policy({ retries: { attempts: 2, retryOn: ['5xx'] } })], running), codes)).toEqual([]);
  });

  it('judges a subset override against the routes that send to that version', () => {
    const spec = { retries: { attempts: 1, retryOn: ['connect-failure'] }, subsets: [{ name: 'v2', retries: { attempts: 2, retryOn: ['5xx'] } }] };
    expect(findings(mesh([api, orders, posts('POST', 'v2'), policy(spec)], running), codes)).toEqual(['warning NonIdempotentRetry TrafficPolicy shop/api spec.subsets[0].retries.retryOn']);
    expect(findings(mesh([api, orders, posts('POST', 'v1'), policy(spec)], running), codes)).toEqual([]);
  });

  it('does not apply the top-level section to a version that overrides retries', () => {
    const spec = { retries: { attempts: 2, retryOn: ['5xx'] }, subsets: [{ name: 'v2', retries: { attempts: 1, retryOn: ['connect-failure'] } }] };
    expect(findings(mesh([api, orders, posts('POST', 'v2'), policy(spec)], running), codes)).toEqual([]);
    expect(findings(mesh([api, orders, posts('POST'), policy(spec)], running), codes)).toEqual(['warning NonIdempotentRetry TrafficPolicy shop/api spec.retries.retryOn']);
  });
});
