/**
 * TrafficPolicy: how clients call one destination service — timeouts, retries (with a budget),
 * circuit breaking, outlier detection, load balancing, local rate limiting and fault injection —
 * optionally overridden per version (`subsets`).
 *
 * Where each section runs: everything is applied by the calling proxies (outbound) except
 * `rateLimit`, which each instance of the target enforces on its inbound side.
 * Defaults are documented and exported (TRAFFIC_POLICY_DEFAULTS), not filled in.
 */
import { z } from 'zod';
import { addIssue, checkUnique, DnsLabelNameSchema, envelope, namespacedMetadata, PercentSchema, ServiceTargetRefSchema } from './common.ts';
import { DurationSchema, durationSchema, parseDuration } from './duration.ts';
import { strictObject } from './issues.ts';

export const TRAFFIC_POLICY_LIMITS = {
  maxRetryAttempts: 10,
  retriableStatusCodes: 16,
  subsets: 16,
  maxCount: 1_000_000,
} as const;

/** Values used when a field is absent. */
export const TRAFFIC_POLICY_DEFAULTS = {
  timeouts: { connect: '5s', request: '0s', idle: '1h' },
  /** Without a `retries` section no request is retried; `attempts` has no default. */
  retries: {
    retryOn: ['connect-failure', 'refused-stream', 'gateway-error'],
    backoff: { baseInterval: '25ms', maxInterval: '250ms' },
    budget: { percent: 20, minRetriesPerSecond: 10 },
    retryNonIdempotent: false,
  },
  circuitBreaker: { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 },
  outlierDetection: { consecutive5xx: 5, consecutiveGatewayErrors: 0, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 10 },
  loadBalancer: { policy: 'LEAST_REQUEST' },
} as const;

export const TimeoutsSchema = strictObject({
  /** TCP + TLS connection establishment. */
  connect: durationSchema({ minMs: 1, maxMs: 300_000 }).optional(),
  /** The whole request, retries included (0s: none). A route's `timeouts.request` takes precedence. */
  request: DurationSchema.optional(),
  /** Close pooled connections idle this long (0s: never). */
  idle: DurationSchema.optional(),
});
export type Timeouts = z.infer<typeof TimeoutsSchema>;

/**
 * Retry conditions. `5xx`: any 5xx response or a reset/connect failure; `gateway-error`: 502, 503,
 * 504; `reset`: the connection reset before a response; `connect-failure`: no connection;
 * `retriable-4xx`: 409; `refused-stream`: HTTP/2 REFUSED_STREAM; `retriable-status-codes`: the
 * codes in `retriableStatusCodes`.
 */
export const RetryOnSchema = z.enum([
  '5xx',
  'gateway-error',
  'reset',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
]);
export type RetryOn = z.infer<typeof RetryOnSchema>;

export const RetriesSchema = strictObject({
  /** Retries after the first try (0 to 10). 0 disables retries. */
  attempts: z.number().int().min(0).max(TRAFFIC_POLICY_LIMITS.maxRetryAttempts),
  /** Timeout of each try; default: none (only the request timeout bounds them). */
  perTryTimeout: durationSchema({ minMs: 1 }).optional(),
  retryOn: z.array(RetryOnSchema).min(1).max(RetryOnSchema.options.length).optional(),
  retriableStatusCodes: z.array(z.number().int().min(100).max(599)).min(1).max(TRAFFIC_POLICY_LIMITS.retriableStatusCodes).optional(),
  /** Exponential backoff with full jitter between tries. */
  backoff: strictObject({
    baseInterval: durationSchema({ minMs: 1, maxMs: 60_000 }).optional(),
    maxInterval: durationSchema({ minMs: 1, maxMs: 300_000 }).optional(),
  }).optional(),
  /**
   * Retries are allowed while they stay under `percent` of requests to the destination (over the
   * last 10 s) or under `minRetriesPerSecond`, whichever is more: retries cannot snowball.
   */
  budget: strictObject({
    percent: PercentSchema.optional(),
    minRetriesPerSecond: z.number().int().min(0).max(10_000).optional(),
  }).optional(),
  /**
   * Retry POST, PATCH and other non-idempotent requests too (default false). `connect-failure` and
   * `refused-stream` retries happen regardless: the request never reached the application.
   */
  retryNonIdempotent: z.boolean().optional(),
}).superRefine((retries, ctx) => {
  checkUnique(ctx, retries.retryOn, (r) => r, { path: ['retryOn'], what: 'condition' });
  checkUnique(ctx, retries.retriableStatusCodes, String, { path: ['retriableStatusCodes'], what: 'status code' });
  const wantsCodes = retries.retryOn?.includes('retriable-status-codes') ?? false;
  if (wantsCodes && retries.retriableStatusCodes === undefined) {
    addIssue(ctx, ['retriableStatusCodes'], "required when retryOn includes 'retriable-status-codes'");
  }
  if (!wantsCodes && retries.retriableStatusCodes !== undefined) {
    addIssue(ctx, ['retriableStatusCodes'], "only used when retryOn includes 'retriable-status-codes'; add it there");
  }
  const base = parseDuration(retries.backoff?.baseInterval ?? TRAFFIC_POLICY_DEFAULTS.retries.backoff.baseInterval);
  const max = retries.backoff?.maxInterval === undefined ? undefined : parseDuration(retries.backoff.maxInterval);
  if (base !== undefined && max !== undefined && max < base) {
    addIssue(ctx, ['backoff', 'maxInterval'], `must be at least baseInterval (${retries.backoff?.baseInterval ?? TRAFFIC_POLICY_DEFAULTS.retries.backoff.baseInterval})`);
  }
});
export type Retries = z.infer<typeof RetriesSchema>;

const countSchema = z.number().int().min(1).max(TRAFFIC_POLICY_LIMITS.maxCount);

/** Per calling proxy, per destination: beyond these, requests fail fast with 503. */
export const CircuitBreakerSchema = strictObject({
  maxConnections: countSchema.optional(),
  maxPendingRequests: countSchema.optional(),
  maxRequests: countSchema.optional(),
  maxRetries: countSchema.optional(),
});
export type CircuitBreaker = z.infer<typeof CircuitBreakerSchema>;

/** Ejects endpoints that keep failing, for baseEjectionTime × times ejected. */
export const OutlierDetectionSchema = strictObject({
  /** Consecutive 5xx (and connection failures) before ejection; 0 disables. */
  consecutive5xx: z.number().int().min(0).max(1000).optional(),
  /** Consecutive 502, 503, 504 and connection failures before ejection; 0 disables. */
  consecutiveGatewayErrors: z.number().int().min(0).max(1000).optional(),
  /** How often ejections are evaluated. */
  interval: durationSchema({ minMs: 100, maxMs: 3_600_000 }).optional(),
  baseEjectionTime: durationSchema({ minMs: 1, maxMs: 3_600_000 }).optional(),
  /** Never eject more than this share of the endpoints. */
  maxEjectionPercent: PercentSchema.optional(),
});
export type OutlierDetection = z.infer<typeof OutlierDetectionSchema>;

/** LEAST_REQUEST: power of two random choices, fewest requests in flight. */
export const LoadBalancerSchema = strictObject({
  policy: z.enum(['LEAST_REQUEST', 'ROUND_ROBIN', 'RANDOM']),
});
export type LoadBalancer = z.infer<typeof LoadBalancerSchema>;

/** A token bucket in each instance of the target: excess requests get 429. */
export const RateLimitSchema = strictObject({
  local: strictObject({
    requestsPerUnit: countSchema,
    unit: z.enum(['second', 'minute']),
    /** Bucket size: how many requests may arrive at once; default: requestsPerUnit. */
    burst: countSchema.optional(),
  }),
});
export type RateLimit = z.infer<typeof RateLimitSchema>;

/** Applied by calling proxies, for testing resilience: delay and/or fail a share of requests. */
export const FaultInjectionSchema = strictObject({
  delay: strictObject({
    percent: PercentSchema,
    fixedDelay: durationSchema({ minMs: 1, maxMs: 3_600_000 }),
  }).optional(),
  abort: strictObject({
    percent: PercentSchema,
    httpStatus: z.number().int().min(200).max(599),
  }).optional(),
}).superRefine((fault, ctx) => {
  if (fault.delay === undefined && fault.abort === undefined) addIssue(ctx, [], 'must set delay, abort or both');
});
export type FaultInjection = z.infer<typeof FaultInjectionSchema>;

const sections = {
  timeouts: TimeoutsSchema.optional(),
  retries: RetriesSchema.optional(),
  circuitBreaker: CircuitBreakerSchema.optional(),
  outlierDetection: OutlierDetectionSchema.optional(),
  loadBalancer: LoadBalancerSchema.optional(),
  rateLimit: RateLimitSchema.optional(),
  faultInjection: FaultInjectionSchema.optional(),
};
const SECTION_NAMES = Object.keys(sections);

function requireSection(value: Record<string, unknown>, ctx: z.core.$RefinementCtx<unknown>, extra: string[] = []): void {
  if (!SECTION_NAMES.some((name) => value[name] !== undefined) && !extra.some((name) => value[name] !== undefined)) {
    addIssue(ctx, [], `must set at least one of: ${[...SECTION_NAMES, ...extra].join(', ')}`);
  }
}

/**
 * Overrides for one version of the target. A section set here replaces the same section of the
 * top-level policy as a whole (no field-by-field merge); sections not set here are inherited.
 */
export const TrafficPolicySubsetSchema = strictObject({
  /** A version name of the target Service (`spec.versions[].name`). */
  name: DnsLabelNameSchema,
  ...sections,
}).superRefine((subset, ctx) => requireSection(subset, ctx));
export type TrafficPolicySubset = z.infer<typeof TrafficPolicySubsetSchema>;

export const TrafficPolicySpecSchema = strictObject({
  targetRef: ServiceTargetRefSchema,
  ...sections,
  subsets: z.array(TrafficPolicySubsetSchema).min(1).max(TRAFFIC_POLICY_LIMITS.subsets).optional(),
}).superRefine((spec, ctx) => {
  requireSection(spec, ctx, ['subsets']);
  checkUnique(ctx, spec.subsets, (s) => s.name, { path: ['subsets'], field: 'name', what: 'subset name' });
});
export type TrafficPolicySpec = z.infer<typeof TrafficPolicySpecSchema>;

export const TrafficPolicySchema = strictObject({
  ...envelope('TrafficPolicy'),
  metadata: namespacedMetadata(),
  spec: TrafficPolicySpecSchema,
});
export type TrafficPolicy = z.infer<typeof TrafficPolicySchema>;
