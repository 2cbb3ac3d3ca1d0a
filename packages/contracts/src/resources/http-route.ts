/**
 * HTTPRoute: Gateway API HTTPRoute with GAMMA (east-west) semantics. A route attaches to a Service
 * (`parentRefs`) and decides where that service's HTTP requests go: match on path, headers, query
 * and method, then pick a backend by weight, optionally a version subset of a service, with header
 * filters, mirroring, URL rewrites and timeouts.
 *
 * Field names, defaults and limits follow Gateway API v1 where it has them, so Gateway API YAML
 * needs few changes (`subset` is Weft's addition; cross-namespace references are not supported).
 * Defaults are documented and exported (HTTP_ROUTE_DEFAULTS), not filled in: a stored route is
 * exactly what its author wrote. Matching precedence is described in docs/resources.md.
 */
import { z } from 'zod';
import {
  addIssue,
  checkUnique,
  DnsLabelNameSchema,
  DnsSubdomainNameSchema,
  envelope,
  HeaderNameSchema,
  HeaderValueSchema,
  HostnameSchema,
  namespacedMetadata,
  PortNumberSchema,
  PreciseHostnameSchema,
  PROTECTED_HEADERS,
} from './common.ts';
import { DurationSchema, parseDuration } from './duration.ts';
import { strictObject } from './issues.ts';
import { compileUserRegex } from './regex.ts';

/** Gateway API's list limits, except matches (64 there). 16 rules × 8 matches = 128 matches per route. */
export const HTTP_ROUTE_LIMITS = {
  parentRefs: 32,
  hostnames: 16,
  rules: 16,
  matchesPerRule: 8,
  headersPerMatch: 16,
  queryParamsPerMatch: 16,
  filtersPerRule: 16,
  backendRefsPerRule: 16,
  headerModifications: 16,
  pathLength: 1024,
  queryValueLength: 1024,
  maxWeight: 1_000_000,
} as const;

export const HTTP_ROUTE_DEFAULTS = {
  /** A match without `path` matches every path. */
  path: { type: 'PathPrefix', value: '/' },
  /** A rule without `matches` matches every request. */
  matches: [{ path: { type: 'PathPrefix', value: '/' } }],
  pathMatchType: 'PathPrefix',
  headerMatchType: 'Exact',
  queryParamMatchType: 'Exact',
  backendWeight: 1,
  /** RequestMirror without percent mirrors every request. */
  mirrorPercent: 100,
} as const;

export const HttpMethodSchema = z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
export type HttpMethod = z.infer<typeof HttpMethodSchema>;

/** A reference to the Service a route governs, optionally only one of its ports. */
export const ParentRefSchema = strictObject({
  /** Accepted for Gateway API compatibility: the core group, `''`. */
  group: z.literal('').optional(),
  kind: z.literal('Service'),
  name: DnsLabelNameSchema,
  /** Only requests to this service port; default: every HTTP port of the service. */
  port: PortNumberSchema.optional(),
});
export type ParentRef = z.infer<typeof ParentRefSchema>;

const ABSOLUTE_PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

/** The Gateway API rules for an Exact or PathPrefix value: a clean absolute path. */
function pathValueProblem(value: string): string | undefined {
  if (!value.startsWith('/')) return "must be an absolute path starting with '/'";
  if (!ABSOLUTE_PATH_CHARS.test(value)) return 'must contain only URL path characters (percent-encode the others)';
  if (value.includes('//')) return "must not contain '//'";
  if (value.includes('/./') || value.includes('/../') || value.endsWith('/.') || value.endsWith('/..')) {
    return "must not contain '.' or '..' segments";
  }
  if (/%2f/i.test(value)) return "must not contain an encoded '/' (%2F)";
  if (value.includes('#')) return "must not contain '#'";
  return undefined;
}

export const PathMatchSchema = strictObject({
  /** Default `PathPrefix`. PathPrefix matches whole segments: `/api` matches `/api` and `/api/x`, not `/apis`. */
  type: z.enum(['Exact', 'PathPrefix', 'RegularExpression']).optional(),
  /** Default `/`. For RegularExpression: RE2 syntax, matched against the whole path (no query). */
  value: z.string().max(HTTP_ROUTE_LIMITS.pathLength).optional(),
}).superRefine((match, ctx) => {
  const value = match.value ?? HTTP_ROUTE_DEFAULTS.path.value;
  if ((match.type ?? 'PathPrefix') === 'RegularExpression') {
    if (match.value === undefined) addIssue(ctx, ['value'], 'required for a RegularExpression match');
    const result = compileUserRegex(value);
    if (match.value !== undefined && !result.ok) addIssue(ctx, ['value'], result.error);
    return;
  }
  const problem = pathValueProblem(value);
  if (problem !== undefined) addIssue(ctx, ['value'], problem);
});
export type PathMatch = z.infer<typeof PathMatchSchema>;

function valueMatchChecks(match: { type?: 'Exact' | 'RegularExpression' | undefined; value: string }, ctx: z.core.$RefinementCtx<unknown>): void {
  if (match.type === 'RegularExpression') {
    const result = compileUserRegex(match.value);
    if (!result.ok) addIssue(ctx, ['value'], result.error);
  }
}

export const HeaderMatchSchema = strictObject({
  /** Default `Exact`. RegularExpression: RE2 syntax, matched against the whole value. */
  type: z.enum(['Exact', 'RegularExpression']).optional(),
  /** Case-insensitive. A header sent several times is matched against its values joined with ','. */
  name: HeaderNameSchema,
  value: HeaderValueSchema.min(1, 'must not be empty'),
}).superRefine(valueMatchChecks);
export type HeaderMatch = z.infer<typeof HeaderMatchSchema>;

export const QueryParamMatchSchema = strictObject({
  /** Default `Exact`. RegularExpression: RE2 syntax, matched against the whole (decoded) value. */
  type: z.enum(['Exact', 'RegularExpression']).optional(),
  /** Case-sensitive. When a parameter repeats, the first occurrence is matched. */
  name: HeaderNameSchema,
  value: z.string().min(1, 'must not be empty').max(HTTP_ROUTE_LIMITS.queryValueLength),
}).superRefine(valueMatchChecks);
export type QueryParamMatch = z.infer<typeof QueryParamMatchSchema>;

/** All conditions of one match must hold (AND); a rule applies when any of its matches does (OR). */
export const RouteMatchSchema = strictObject({
  path: PathMatchSchema.optional(),
  headers: z.array(HeaderMatchSchema).max(HTTP_ROUTE_LIMITS.headersPerMatch).optional(),
  queryParams: z.array(QueryParamMatchSchema).max(HTTP_ROUTE_LIMITS.queryParamsPerMatch).optional(),
  method: HttpMethodSchema.optional(),
}).superRefine((match, ctx) => {
  checkUnique(ctx, match.headers, (h) => h.name.toLowerCase(), { path: ['headers'], field: 'name', what: 'header name (names are case-insensitive)' });
  checkUnique(ctx, match.queryParams, (q) => q.name, { path: ['queryParams'], field: 'name', what: 'query parameter name' });
});
export type RouteMatch = z.infer<typeof RouteMatchSchema>;

const HeaderPairSchema = strictObject({ name: HeaderNameSchema, value: HeaderValueSchema });

/** Set replaces a header, add appends a value, remove deletes it. Names are case-insensitive. */
export const HeaderModifierSchema = strictObject({
  set: z.array(HeaderPairSchema).max(HTTP_ROUTE_LIMITS.headerModifications).optional(),
  add: z.array(HeaderPairSchema).max(HTTP_ROUTE_LIMITS.headerModifications).optional(),
  remove: z.array(HeaderNameSchema).max(HTTP_ROUTE_LIMITS.headerModifications).optional(),
}).superRefine((modifier, ctx) => {
  if ((modifier.set?.length ?? 0) + (modifier.add?.length ?? 0) + (modifier.remove?.length ?? 0) === 0) {
    addIssue(ctx, [], 'must set, add or remove at least one header');
  }
  const lower = (name: string): string => name.toLowerCase();
  checkUnique(ctx, modifier.set, (h) => lower(h.name), { path: ['set'], field: 'name', what: 'header name' });
  checkUnique(ctx, modifier.add, (h) => lower(h.name), { path: ['add'], field: 'name', what: 'header name' });
  checkUnique(ctx, modifier.remove, lower, { path: ['remove'], what: 'header name' });
  const protectedName = (list: 'set' | 'add' | 'remove', i: number, name: string, field?: string): void => {
    if (PROTECTED_HEADERS.includes(lower(name))) {
      const hint = lower(name) === 'host' ? '; use a URLRewrite filter to change the host' : '';
      addIssue(ctx, [list, i, ...(field === undefined ? [] : [field])], `'${name}' is managed by the proxy and cannot be modified${hint}`);
    }
  };
  modifier.set?.forEach((h, i) => protectedName('set', i, h.name, 'name'));
  modifier.add?.forEach((h, i) => protectedName('add', i, h.name, 'name'));
  modifier.remove?.forEach((name, i) => protectedName('remove', i, name));
});
export type HeaderModifier = z.infer<typeof HeaderModifierSchema>;

/** A backend: a Service in the route's namespace, optionally one port and one version of it. */
const backendFields = {
  /** Accepted for Gateway API compatibility: the core group, `''`. */
  group: z.literal('').optional(),
  /** Accepted for Gateway API compatibility; the only kind is `Service` (the default). */
  kind: z.literal('Service').optional(),
  name: DnsLabelNameSchema,
  /** Default: the port the request was sent to (the parent service port). */
  port: PortNumberSchema.optional(),
  /** A version of the backend service (Service `spec.versions[].name`); default: all endpoints. */
  subset: DnsLabelNameSchema.optional(),
};

export const BackendRefSchema = strictObject({
  ...backendFields,
  /** Relative share of requests, 0 to 1,000,000; default 1. 0 sends nothing. */
  weight: z.number().int().min(0).max(HTTP_ROUTE_LIMITS.maxWeight).optional(),
});
export type BackendRef = z.infer<typeof BackendRefSchema>;

export const MirrorBackendRefSchema = strictObject(backendFields);

const RequestHeaderModifierFilterSchema = strictObject({
  type: z.literal('RequestHeaderModifier'),
  requestHeaderModifier: HeaderModifierSchema,
});
const ResponseHeaderModifierFilterSchema = strictObject({
  type: z.literal('ResponseHeaderModifier'),
  responseHeaderModifier: HeaderModifierSchema,
});

/** Copies requests to another backend, fire-and-forget: mirror responses are discarded. */
const RequestMirrorFilterSchema = strictObject({
  type: z.literal('RequestMirror'),
  requestMirror: strictObject({
    backendRef: MirrorBackendRefSchema,
    /** Share of requests mirrored, 0 to 100 (whole percent, as in Gateway API); default 100. */
    percent: z.number().int().min(0).max(100).optional(),
  }),
});

const PathModifierSchema = z.discriminatedUnion('type', [
  strictObject({ type: z.literal('ReplaceFullPath'), replaceFullPath: z.string().max(HTTP_ROUTE_LIMITS.pathLength) }),
  strictObject({ type: z.literal('ReplacePrefixMatch'), replacePrefixMatch: z.string().max(HTTP_ROUTE_LIMITS.pathLength) }),
]).superRefine((modifier, ctx) => {
  const field = modifier.type === 'ReplaceFullPath' ? 'replaceFullPath' : 'replacePrefixMatch';
  const value = modifier.type === 'ReplaceFullPath' ? modifier.replaceFullPath : modifier.replacePrefixMatch;
  const problem = pathValueProblem(value);
  if (problem !== undefined) addIssue(ctx, [field], problem);
});

/** Rewrites the Host header and/or the path before forwarding. */
const URLRewriteFilterSchema = strictObject({
  type: z.literal('URLRewrite'),
  urlRewrite: strictObject({
    hostname: PreciseHostnameSchema.optional(),
    path: PathModifierSchema.optional(),
  }).superRefine((rewrite, ctx) => {
    if (rewrite.hostname === undefined && rewrite.path === undefined) addIssue(ctx, [], 'must set hostname, path or both');
  }),
});

export const HTTPRouteFilterSchema = z.discriminatedUnion('type', [
  RequestHeaderModifierFilterSchema,
  ResponseHeaderModifierFilterSchema,
  RequestMirrorFilterSchema,
  URLRewriteFilterSchema,
]);
export type HTTPRouteFilter = z.infer<typeof HTTPRouteFilterSchema>;

/**
 * `request`: the whole request, retries included, as seen by the client's proxy.
 * `backendRequest`: one attempt to a backend; at most `request` when both are set.
 * `0s` means no timeout.
 */
export const HTTPRouteTimeoutsSchema = strictObject({
  request: DurationSchema.optional(),
  backendRequest: DurationSchema.optional(),
}).superRefine((timeouts, ctx) => {
  const request = timeouts.request === undefined ? undefined : parseDuration(timeouts.request);
  const backend = timeouts.backendRequest === undefined ? undefined : parseDuration(timeouts.backendRequest);
  if (request !== undefined && backend !== undefined && request > 0 && backend > request) {
    addIssue(ctx, ['backendRequest'], `must not be longer than request (${timeouts.request})`);
  }
});
export type HTTPRouteTimeouts = z.infer<typeof HTTPRouteTimeoutsSchema>;

export const HTTPRouteRuleSchema = strictObject({
  /** Optional; unique within the route. Shown in telemetry and diagnostics. */
  name: DnsSubdomainNameSchema.optional(),
  /** Default: one match on PathPrefix `/` (every request). */
  matches: z.array(RouteMatchSchema).min(1).max(HTTP_ROUTE_LIMITS.matchesPerRule).optional(),
  filters: z.array(HTTPRouteFilterSchema).max(HTTP_ROUTE_LIMITS.filtersPerRule).optional(),
  backendRefs: z.array(BackendRefSchema).min(1).max(HTTP_ROUTE_LIMITS.backendRefsPerRule),
  timeouts: HTTPRouteTimeoutsSchema.optional(),
}).superRefine((rule, ctx) => {
  // Gateway API: these filters may appear at most once per rule; RequestMirror may repeat.
  checkUnique(
    ctx,
    rule.filters,
    (f) => (f.type === 'RequestMirror' ? undefined : f.type),
    { path: ['filters'], field: 'type', what: 'filter (this type may appear once per rule)' },
  );
  checkUnique(ctx, rule.backendRefs, (b) => `${b.name}:${b.port ?? ''}:${b.subset ?? ''}`, { path: ['backendRefs'], what: 'backendRef (same name, port and subset)' });
  rule.filters?.forEach((filter, i) => {
    if (filter.type !== 'URLRewrite' || filter.urlRewrite.path?.type !== 'ReplacePrefixMatch') return;
    const onlyPrefix = rule.matches?.length === 1 && (rule.matches[0]?.path?.type ?? 'PathPrefix') === 'PathPrefix';
    if (!onlyPrefix) {
      addIssue(ctx, ['filters', i, 'urlRewrite', 'path'], 'ReplacePrefixMatch needs the rule to have exactly one match, on a PathPrefix path');
    }
  });
});
export type HTTPRouteRule = z.infer<typeof HTTPRouteRuleSchema>;

export const HTTPRouteSpecSchema = strictObject({
  parentRefs: z.array(ParentRefSchema).min(1).max(HTTP_ROUTE_LIMITS.parentRefs),
  /** Host header values this route applies to (`*.` wildcard allowed); default: any. */
  hostnames: z.array(HostnameSchema).max(HTTP_ROUTE_LIMITS.hostnames).optional(),
  rules: z.array(HTTPRouteRuleSchema).min(1).max(HTTP_ROUTE_LIMITS.rules),
}).superRefine((spec, ctx) => {
  checkUnique(ctx, spec.parentRefs, (p) => `${p.name}:${p.port ?? ''}`, { path: ['parentRefs'], what: 'parentRef' });
  checkUnique(ctx, spec.hostnames, (h) => h, { path: ['hostnames'], what: 'hostname' });
  checkUnique(ctx, spec.rules, (r) => r.name, { path: ['rules'], field: 'name', what: 'rule name' });
});
export type HTTPRouteSpec = z.infer<typeof HTTPRouteSpecSchema>;

export const HTTPRouteSchema = strictObject({
  ...envelope('HTTPRoute'),
  metadata: namespacedMetadata(),
  spec: HTTPRouteSpecSchema,
});
export type HTTPRoute = z.infer<typeof HTTPRouteSchema>;
