import { describe, expect, it } from 'vitest';
import { HTTP_ROUTE_DEFAULTS, HTTPRouteSchema } from './http-route.ts';
import { doc, example, issueLines } from './testing.ts';

const parentRefs = [{ kind: 'Service', name: 'payments' }];
const route = (rules: unknown[], extra: Record<string, unknown> = {}) => doc('HTTPRoute', { parentRefs, rules, ...extra }, 'payments');
const rule = (fields: Record<string, unknown>) => ({ backendRefs: [{ name: 'payments' }], ...fields });
const withMatch = (match: Record<string, unknown>) => route([rule({ matches: [match] })]);

describe('HTTPRoute', () => {
  it('accepts the example: recommendations split 95/5, testers pinned to v2', () => {
    const parsed = HTTPRouteSchema.parse(example('http-route'));
    const split = parsed.spec.rules[1];
    expect(split?.backendRefs.map((b) => [b.subset, b.weight])).toEqual([
      ['v1', 95],
      ['v2', 5],
    ]);
  });

  it('accepts the routes of the mesh story (checkout → payments, inventory, notifications)', () => {
    const routes = [
      doc('HTTPRoute', {
        parentRefs: [{ kind: 'Service', name: 'payments', port: 80 }],
        rules: [
          { matches: [{ path: { type: 'Exact', value: '/charge' }, method: 'POST' }], backendRefs: [{ name: 'payments', port: 80, subset: 'v1' }], timeouts: { request: '3s' } },
          { backendRefs: [{ name: 'payments' }] },
        ],
      }, 'payments'),
      doc('HTTPRoute', {
        parentRefs: [{ group: '', kind: 'Service', name: 'inventory' }],
        rules: [{ matches: [{ path: { type: 'RegularExpression', value: '/stock/[0-9]+' } }], backendRefs: [{ group: '', kind: 'Service', name: 'inventory', weight: 1 }] }],
      }, 'inventory'),
      doc('HTTPRoute', {
        parentRefs: [{ kind: 'Service', name: 'notifications' }],
        rules: [
          {
            matches: [{ path: { value: '/notify' }, queryParams: [{ name: 'channel', value: 'email' }] }],
            filters: [
              { type: 'RequestMirror', requestMirror: { backendRef: { name: 'notifications', subset: 'v2' }, percent: 10 } },
              { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['x-internal'] } },
              { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2/notify' } } },
            ],
            backendRefs: [{ name: 'notifications' }],
          },
        ],
      }, 'notifications'),
    ];
    for (const r of routes) expect(issueLines(r)).toEqual([]);
  });

  it('documents Gateway API defaults without filling them in', () => {
    const parsed = HTTPRouteSchema.parse(route([rule({})]));
    expect(parsed.spec.rules[0]).toEqual({ backendRefs: [{ name: 'payments' }] });
    expect(HTTP_ROUTE_DEFAULTS.path).toEqual({ type: 'PathPrefix', value: '/' });
    expect(HTTP_ROUTE_DEFAULTS.backendWeight).toBe(1);
  });

  it('names typos in field names, at their path', () => {
    const r = example('http-route');
    r.spec.rules[0].matchs = r.spec.rules[0].matches;
    delete r.spec.rules[0].matches;
    r.spec.rules[1].backendRefs[0].wieght = 1;
    r.spec.rules[1].filters[0].requestHeaderModifer = r.spec.rules[1].filters[0].requestHeaderModifier;
    delete r.spec.rules[1].filters[0].requestHeaderModifier;
    expect(issueLines(r)).toEqual([
      "spec.rules.0.matchs: unknown field; did you mean 'matches'?",
      'spec.rules.1.filters.0.requestHeaderModifier: required',
      "spec.rules.1.filters.0.requestHeaderModifer: unknown field; did you mean 'requestHeaderModifier'?",
      "spec.rules.1.backendRefs.0.wieght: unknown field; did you mean 'weight'?",
    ]);
  });

  it('rejects wrong types and out-of-range numbers', () => {
    const r = route([rule({ backendRefs: [{ name: 'a', weight: 1_000_001 }, { name: 'b', weight: -1 }, { name: 'c', weight: 0.5 }, { name: 'd', weight: '5' }, { name: 'e', port: 0 }] })]);
    expect(issueLines(r)).toEqual([
      'spec.rules.0.backendRefs.0.weight: must be at most 1000000',
      'spec.rules.0.backendRefs.1.weight: must be at least 0',
      'spec.rules.0.backendRefs.2.weight: must be an integer, got 0.5',
      "spec.rules.0.backendRefs.3.weight: must be a number, got '5' (write the number without quotes)",
      'spec.rules.0.backendRefs.4.port: must be at least 1',
    ]);
    expect(issueLines(route([rule({ matches: [{ method: 'get' }] })]))).toEqual([
      'spec.rules.0.matches.0.method: must be one of: GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH; did you mean GET?',
    ]);
    expect(issueLines(route('all' as unknown as unknown[]))).toEqual(["spec.rules: must be a list, got 'all'"]);
  });

  it('accepts weight 0 and the largest weight', () => {
    expect(issueLines(route([rule({ backendRefs: [{ name: 'a', weight: 0 }, { name: 'b', weight: 1_000_000 }] })]))).toEqual([]);
  });

  it('checks Exact and PathPrefix values as Gateway API does', () => {
    const cases: [string, string][] = [
      ['charge', "must be an absolute path starting with '/'"],
      ['/a//b', "must not contain '//'"],
      ['/a/../b', "must not contain '.' or '..' segments"],
      ['/a/.', "must not contain '.' or '..' segments"],
      ['/a%2Fb', "must not contain an encoded '/' (%2F)"],
      ['/a b', 'must contain only URL path characters (percent-encode the others)'],
      ['/a#b', 'must contain only URL path characters (percent-encode the others)'],
    ];
    for (const [value, message] of cases) {
      expect(issueLines(withMatch({ path: { type: 'Exact', value } })), value).toEqual([`spec.rules.0.matches.0.path.value: ${message}`]);
    }
    expect(issueLines(withMatch({ path: { type: 'PathPrefix', value: '/api/v1.2/%41~' } }))).toEqual([]);
    expect(issueLines(withMatch({ path: { type: 'Prefix', value: '/' } }))).toEqual([
      'spec.rules.0.matches.0.path.type: must be one of: Exact, PathPrefix, RegularExpression; did you mean PathPrefix?',
    ]);
  });

  it('compiles RegularExpression matches with RE2: (a+)+$ is fine, backreferences and lookaround are not', () => {
    expect(issueLines(withMatch({ path: { type: 'RegularExpression', value: '/(a+)+$' } }))).toEqual([]);
    expect(issueLines(withMatch({ path: { type: 'RegularExpression', value: '/(a)\\1' } }))).toEqual([
      'spec.rules.0.matches.0.path.value: is not a valid regular expression: backreferences (\\1 …) are not supported (RE2 syntax, which matches in linear time)',
    ]);
    expect(issueLines(withMatch({ headers: [{ type: 'RegularExpression', name: 'x-user', value: '(?=admin).*' }] }))[0]).toMatch(
      /^spec\.rules\.0\.matches\.0\.headers\.0\.value: is not a valid regular expression: lookahead and lookbehind/,
    );
    expect(issueLines(withMatch({ queryParams: [{ type: 'RegularExpression', name: 'q', value: '(?<!x)y' }] }))[0]).toMatch(
      /^spec\.rules\.0\.matches\.0\.queryParams\.0\.value: is not a valid regular expression: lookahead and lookbehind/,
    );
    expect(issueLines(withMatch({ path: { type: 'RegularExpression' } }))).toEqual(['spec.rules.0.matches.0.path.value: required for a RegularExpression match']);
    expect(issueLines(withMatch({ path: { type: 'RegularExpression', value: `/${'a'.repeat(1024)}` } }))).toEqual([
      'spec.rules.0.matches.0.path.value: must be at most 1024 characters',
    ]);
  });

  it('treats header names case-insensitively and refuses duplicates', () => {
    expect(issueLines(withMatch({ headers: [{ name: 'X-User', value: 'a' }, { name: 'x-user', value: 'b' }], queryParams: [{ name: 'a', value: '1' }, { name: 'A', value: '1' }] }))).toEqual([
      'spec.rules.0.matches.0.headers.1.name: duplicate header name (names are case-insensitive): same as item 0',
    ]);
  });

  it('refuses header names and values that could smuggle or inject', () => {
    expect(issueLines(withMatch({ headers: [{ name: 'x user', value: 'a' }, { name: 'x-a', value: 'a\r\nx-admin: 1' }] }))).toEqual([
      "spec.rules.0.matches.0.headers.0.name: must be an HTTP header name: letters, digits and !#$%&'*+-.^_`|~",
      'spec.rules.0.matches.0.headers.1.value: must not contain control characters (line breaks, NUL …)',
    ]);
    const filters = [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'Host', value: 'evil' }], remove: ['transfer-encoding'] } }];
    expect(issueLines(route([rule({ filters })]))).toEqual([
      "spec.rules.0.filters.0.requestHeaderModifier.set.0.name: 'Host' is managed by the proxy and cannot be modified; use a URLRewrite filter to change the host",
      "spec.rules.0.filters.0.requestHeaderModifier.remove.0: 'transfer-encoding' is managed by the proxy and cannot be modified",
    ]);
  });

  it('checks filters: known types, at most one of each modifier, non-empty modifiers', () => {
    expect(issueLines(route([rule({ filters: [{ type: 'Mirror' }] })]))).toEqual([
      'spec.rules.0.filters.0.type: must be one of: RequestHeaderModifier, ResponseHeaderModifier, RequestMirror, URLRewrite',
    ]);
    const twice = { type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'x-a', value: '1' }] } };
    const mirror = { type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow' } } };
    expect(issueLines(route([rule({ filters: [twice, mirror, twice, mirror] })]))).toEqual([
      'spec.rules.0.filters.2.type: duplicate filter (this type may appear once per rule): same as item 0',
    ]);
    expect(issueLines(route([rule({ filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: {} }] })]))).toEqual([
      'spec.rules.0.filters.0.responseHeaderModifier: must set, add or remove at least one header',
    ]);
    expect(issueLines(route([rule({ filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', weight: 1 }, percent: 101 } }] })]))).toEqual([
      'spec.rules.0.filters.0.requestMirror.backendRef.weight: unknown field',
      'spec.rules.0.filters.0.requestMirror.percent: must be at most 100',
    ]);
  });

  it('allows ReplacePrefixMatch only with exactly one PathPrefix match', () => {
    const filters = [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } }];
    expect(issueLines(route([rule({ filters })]))).toEqual([
      'spec.rules.0.filters.0.urlRewrite.path: ReplacePrefixMatch needs the rule to have exactly one match, on a PathPrefix path',
    ]);
    expect(issueLines(route([rule({ filters, matches: [{ path: { type: 'Exact', value: '/v1' } }] })]))).toHaveLength(1);
    expect(issueLines(route([rule({ filters, matches: [{ path: { value: '/v1' } }] })]))).toEqual([]);
    expect(issueLines(route([rule({ filters: [{ type: 'URLRewrite', urlRewrite: {} }] })]))).toEqual(['spec.rules.0.filters.0.urlRewrite: must set hostname, path or both']);
  });

  it('checks timeouts: Gateway API durations, backendRequest within request', () => {
    expect(issueLines(route([rule({ timeouts: { request: '1.5s', backendRequest: '10' } })]))).toEqual([
      "spec.rules.0.timeouts.request: must be a duration like 500ms, 10s, 1m or 1h30m (whole numbers with h, m, s or ms), got '1.5s'",
      "spec.rules.0.timeouts.backendRequest: must be a duration like 500ms, 10s, 1m or 1h30m (whole numbers with h, m, s or ms), got '10'",
    ]);
    expect(issueLines(route([rule({ timeouts: { request: '1s', backendRequest: '2s' } })]))).toEqual([
      'spec.rules.0.timeouts.backendRequest: must not be longer than request (1s)',
    ]);
    expect(issueLines(route([rule({ timeouts: { request: '0s', backendRequest: '2s' } })]))).toEqual([]);
    expect(issueLines(route([rule({ timeouts: { request: 1000 } })]))).toEqual(['spec.rules.0.timeouts.request: must be a string, got 1000']);
  });

  it('enforces list limits: 16 rules, 8 matches per rule, 16 backendRefs', () => {
    expect(issueLines(route(Array.from({ length: 17 }, () => rule({}))))).toEqual(['spec.rules: must have at most 16 items']);
    expect(issueLines(route([rule({ matches: Array.from({ length: 9 }, () => ({ method: 'GET' })) })]))).toEqual(['spec.rules.0.matches: must have at most 8 items']);
    const backendRefs = Array.from({ length: 17 }, (_, i) => ({ name: `b${i}` }));
    expect(issueLines(route([rule({ backendRefs })]))).toEqual(['spec.rules.0.backendRefs: must have at most 16 items']);
    expect(issueLines(route([rule({ backendRefs: [] })]))).toEqual(['spec.rules.0.backendRefs: must have at least 1 item']);
  });

  it('refuses duplicates: rule names, backendRefs, parentRefs, hostnames', () => {
    const r = route([rule({ name: 'a', backendRefs: [{ name: 'x', subset: 'v1' }, { name: 'x', subset: 'v1', weight: 2 }] }), rule({ name: 'a' })], {
      parentRefs: [...parentRefs, ...parentRefs],
      hostnames: ['payments', 'payments', '*.shop.svc', 'Payments'],
    });
    expect(issueLines(r)).toEqual([
      'spec.hostnames.3: must be a lower-case hostname, optionally starting with *. (like api.example.com or *.example.com), without port or scheme',
      'spec.rules.0.backendRefs.1: duplicate backendRef (same name, port and subset): same as item 0',
      'spec.parentRefs.1: duplicate parentRef: same as item 0',
      'spec.hostnames.1: duplicate hostname: same as item 0',
      'spec.rules.1.name: duplicate rule name: same as item 0',
    ]);
  });

  it('supports only Service parents in the same namespace', () => {
    const r = route([rule({})], { parentRefs: [{ kind: 'Gateway', name: 'edge', namespace: 'infra' }] });
    expect(issueLines(r)).toEqual(["spec.parentRefs.0.kind: must be 'Service', got 'Gateway'", "spec.parentRefs.0.namespace: unknown field"]);
  });
});
