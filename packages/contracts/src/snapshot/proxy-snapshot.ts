/**
 * ProxySnapshot: everything one proxy needs, compiled by the control plane from the resources and
 * the inventory, pushed to the proxy, validated with this schema and swapped in atomically.
 *
 * - Immutable: a snapshot never changes once built; a change produces a new snapshot.
 * - `version` is an opaque content hash: compare it for equality only (never order it).
 * - Self-contained: every cluster a route, mirror or default names is in `clusters`, and nothing
 *   else is (the control plane checks this before publishing).
 * - Durations are whole milliseconds (numbers, `...Ms` fields); 0 means "none" where noted.
 * - Objects are parsed leniently (unknown fields are stripped), so an older proxy accepts a snapshot
 *   with fields added later; removing or re-typing a field is a breaking change.
 */
import { z } from 'zod';

const Name = z.string().min(1);
const Port = z.number().int().min(1).max(65535);
const Ms = z.number().int().min(0);
const Percent = z.number().min(0).max(100);

/** `<service>.<namespace>|<subset or all>|<port>`, e.g. `payments.shop|all|8080`, `recommendations.shop|v2|8080`. */
export const ClusterNameSchema = z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+\|[a-z0-9-]+\|\d+$/, 'must be <service>.<namespace>|<subset>|<port>');
export type ClusterName = z.infer<typeof ClusterNameSchema>;

/** The subset name of a cluster covering every endpoint of a service. */
export const ALL_SUBSET = 'all';

export function clusterName(service: string, namespace: string, subset: string, port: number): ClusterName {
  return `${service}.${namespace}|${subset}|${port}`;
}

/** SPIFFE ID of a workload: `spiffe://<trustDomain>/ns/<namespace>/sa/<service>` (DESIGN.md "Identity"). */
export function spiffeId(trustDomain: string, namespace: string, service: string): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${service}`;
}

export const SnapshotProtocolSchema = z.enum(['http', 'http2', 'grpc', 'tcp']);

/** A port of a service: `port` is what clients call, `targetPort` what the application listens on. */
export const SnapshotServicePortSchema = z.object({
  name: Name,
  port: Port,
  /** `tcp` is forwarded opaquely: no routes, no authorization on requests (only on the peer identity). */
  protocol: SnapshotProtocolSchema,
  targetPort: Port,
});
export type SnapshotServicePort = z.infer<typeof SnapshotServicePortSchema>;

// ── inbound ────────────────────────────────────────────────────────────────────────────────────

/**
 * One normalised authorization rule. Every list is sorted and de-duplicated; an absent list
 * matches anything. `from[].services` of the resource are resolved to SPIFFE IDs in `principals`.
 * Entries of `from` (and of `to`) are ORed; `from`, `to` and `when` are ANDed.
 */
export const SnapshotAuthorizationRuleSchema = z.object({
  /** Sources; empty: any caller (including unauthenticated ones in PERMISSIVE mode). */
  from: z.array(z.object({
    /** SPIFFE ID patterns (`*`, `prefix*`, `*suffix` or exact) the verified peer identity must match. */
    principals: z.array(z.string()).optional(),
    /** Namespace patterns of the peer identity. */
    namespaces: z.array(z.string()).optional(),
  })),
  /** Operations; empty: any request. Paths match the normalised request path (no query). */
  to: z.array(z.object({
    methods: z.array(z.string()).optional(),
    paths: z.array(z.string()).optional(),
    /** Service ports the request was sent to. */
    ports: z.array(Port).optional(),
  })),
  /** Header conditions; `header` is lower-cased. Exactly one of values / notValues. */
  when: z.array(z.object({
    header: z.string(),
    values: z.array(z.string()).optional(),
    notValues: z.array(z.string()).optional(),
  })),
});
export type SnapshotAuthorizationRule = z.infer<typeof SnapshotAuthorizationRuleSchema>;

export const SnapshotAuthorizationPolicySchema = z.object({
  /** The AuthorizationPolicy resource it comes from (for logs, metrics and the console). */
  name: Name,
  namespace: Name,
  action: z.enum(['ALLOW', 'DENY']),
  /** `audit`: evaluate and report what would have happened; never change the outcome. */
  mode: z.enum(['enforce', 'audit']),
  /** The policy applies to a request when any rule matches it. */
  rules: z.array(SnapshotAuthorizationRuleSchema),
});
export type SnapshotAuthorizationPolicy = z.infer<typeof SnapshotAuthorizationPolicySchema>;

/** Local token bucket enforced by every instance of the service (TrafficPolicy `rateLimit`). */
export const SnapshotRateLimitSchema = z.object({
  requestsPerUnit: z.number().int().min(1),
  unit: z.enum(['second', 'minute']),
  /** Bucket size; the resource default (requestsPerUnit) is applied. */
  burst: z.number().int().min(1),
});

export const SnapshotInboundSchema = z.object({
  /** The ports of the proxy's own service; the proxy forwards each to `127.0.0.1:<targetPort>`. */
  ports: z.array(SnapshotServicePortSchema),
  authorization: z.object({
    /**
     * Sorted by namespace/name. Evaluation: an enforced DENY that matches denies; otherwise, when
     * enforced ALLOW policies exist, the request must match one; when none exist,
     * `meshConfig.defaultAuthorization` decides. Audit policies are evaluated and reported only.
     */
    policies: z.array(SnapshotAuthorizationPolicySchema),
  }),
  /** Absent: no rate limit. */
  rateLimit: SnapshotRateLimitSchema.optional(),
  /** This service's mTLS mode (Service `spec.mtls`, else MeshConfig). Absent (older control planes): `meshConfig.mtlsMode`. */
  mtlsMode: z.enum(['STRICT', 'PERMISSIVE']).optional(),
});
export type SnapshotInbound = z.infer<typeof SnapshotInboundSchema>;

// ── outbound ───────────────────────────────────────────────────────────────────────────────────

/** A normalised route match: every condition must hold. Header names are lower-cased. */
export const SnapshotRouteMatchSchema = z.object({
  path: z.object({ type: z.enum(['Exact', 'PathPrefix', 'RegularExpression']), value: z.string() }),
  headers: z.array(z.object({ type: z.enum(['Exact', 'RegularExpression']), name: z.string(), value: z.string() })),
  queryParams: z.array(z.object({ type: z.enum(['Exact', 'RegularExpression']), name: z.string(), value: z.string() })),
  /** Absent: any method. */
  method: z.string().optional(),
});
export type SnapshotRouteMatch = z.infer<typeof SnapshotRouteMatchSchema>;

const HeaderModifier = z.object({
  set: z.array(z.object({ name: z.string(), value: z.string() })),
  add: z.array(z.object({ name: z.string(), value: z.string() })),
  remove: z.array(z.string()),
});

export const SnapshotRouteFiltersSchema = z.object({
  requestHeaderModifier: HeaderModifier.optional(),
  responseHeaderModifier: HeaderModifier.optional(),
  urlRewrite: z.object({
    hostname: z.string().optional(),
    path: z.discriminatedUnion('type', [
      z.object({ type: z.literal('ReplaceFullPath'), replaceFullPath: z.string() }),
      z.object({ type: z.literal('ReplacePrefixMatch'), replacePrefixMatch: z.string() }),
    ]).optional(),
  }).optional(),
});

export const SnapshotRouteSchema = z.object({
  /** `<namespace>/<HTTPRoute name>/<rule name or index>/<match index>`, or `default`. Shown in telemetry. */
  name: Name,
  /** Host header values this route applies to (`*.` wildcard allowed); absent: any. */
  hostnames: z.array(z.string()).optional(),
  match: SnapshotRouteMatchSchema,
  /** Weighted choice between clusters; weight 0 sends nothing. */
  backends: z.array(z.object({ cluster: ClusterNameSchema, weight: z.number().int().min(0) })),
  /**
   * Weight of backends that could not be resolved (unknown service or subset): that share of
   * requests is answered 500 by the proxy, as Gateway API specifies for invalid backendRefs.
   */
  invalidBackendWeight: z.number().int().min(0),
  filters: SnapshotRouteFiltersSchema,
  /** `requestMs`: whole request, retries included; `backendRequestMs`: one try. 0 or absent: none. */
  timeouts: z.object({ requestMs: Ms.optional(), backendRequestMs: Ms.optional() }),
  /** Fire-and-forget copies of matched requests; responses discarded. */
  mirrors: z.array(z.object({ cluster: ClusterNameSchema, percent: Percent })),
});
export type SnapshotRoute = z.infer<typeof SnapshotRouteSchema>;

export const SnapshotOutboundServiceSchema = z.object({
  service: Name,
  namespace: Name,
  /** Names the application may use: `payments` (same namespace only), `payments.shop`, `payments.shop.svc.cluster.local`. */
  hostnames: z.array(z.string()),
  port: Port,
  protocol: SnapshotProtocolSchema,
  /**
   * Ordered by precedence (docs/resources.md "Matching precedence"): the first route whose match
   * holds is used; no match → 404. Empty for `tcp` ports.
   */
  routes: z.array(SnapshotRouteSchema),
  /** All endpoints of the service on this port: used for `tcp` ports (opaque forwarding). */
  defaultCluster: ClusterNameSchema,
});
export type SnapshotOutboundService = z.infer<typeof SnapshotOutboundServiceSchema>;

// ── clusters ───────────────────────────────────────────────────────────────────────────────────

export const SnapshotEndpointSchema = z.object({
  /** IP address (or host name in local mode) of the peer proxy. */
  address: z.string().min(1),
  /** The peer proxy's inbound (mTLS) port. */
  port: Port,
  version: Name,
  /** The SPIFFE ID the peer's certificate must carry. */
  identity: z.string().startsWith('spiffe://'),
});
export type SnapshotEndpoint = z.infer<typeof SnapshotEndpointSchema>;

/** TrafficPolicy sections with every default applied (TRAFFIC_POLICY_DEFAULTS). */
export const SnapshotClusterPolicySchema = z.object({
  timeouts: z.object({ connectMs: Ms, /** 0: none; a route's timeout wins. */ requestMs: Ms, /** 0: never. */ idleMs: Ms }),
  /** Absent: no retries. */
  retries: z.object({
    attempts: z.number().int().min(0),
    perTryTimeoutMs: Ms.optional(),
    retryOn: z.array(z.string()),
    retriableStatusCodes: z.array(z.number().int()),
    backoff: z.object({ baseIntervalMs: Ms, maxIntervalMs: Ms }),
    budget: z.object({ percent: Percent, minRetriesPerSecond: z.number().int().min(0) }),
    retryNonIdempotent: z.boolean(),
  }).optional(),
  circuitBreaker: z.object({
    maxConnections: z.number().int(),
    maxPendingRequests: z.number().int(),
    maxRequests: z.number().int(),
    maxRetries: z.number().int(),
  }),
  outlierDetection: z.object({
    consecutive5xx: z.number().int(),
    consecutiveGatewayErrors: z.number().int(),
    intervalMs: Ms,
    baseEjectionTimeMs: Ms,
    maxEjectionPercent: Percent,
  }),
  loadBalancer: z.object({ policy: z.enum(['LEAST_REQUEST', 'ROUND_ROBIN', 'RANDOM']) }),
  /** Applied by the calling proxy (this one), per TrafficPolicy semantics. Absent: none. */
  faultInjection: z.object({
    delay: z.object({ percent: Percent, fixedDelayMs: Ms }).optional(),
    abort: z.object({ percent: Percent, httpStatus: z.number().int() }).optional(),
  }).optional(),
});
export type SnapshotClusterPolicy = z.infer<typeof SnapshotClusterPolicySchema>;

export const SnapshotClusterSchema = z.object({
  name: ClusterNameSchema,
  service: Name,
  namespace: Name,
  /** A version name, or `all`. */
  subset: Name,
  /** The service port the cluster serves. */
  port: Port,
  /** The port's protocol: how the calling proxy talks to the peer (http2 and grpc: HTTP/2). */
  protocol: SnapshotProtocolSchema,
  /** Sorted by address, port. Empty: requests routed here get 503. */
  endpoints: z.array(SnapshotEndpointSchema),
  policy: SnapshotClusterPolicySchema,
});
export type SnapshotCluster = z.infer<typeof SnapshotClusterSchema>;

// ── the snapshot ───────────────────────────────────────────────────────────────────────────────

export const ProxySnapshotSchema = z.object({
  /** SHA-256 (hex) of the canonical JSON of everything else: opaque, equality only. */
  version: z.string().regex(/^[0-9a-f]{64}$/),
  /** The workload this snapshot is for. */
  proxy: z.object({ service: Name, namespace: Name, version: Name }),
  meshConfig: z.object({
    trustDomain: z.string(),
    /** STRICT: inbound accepts only mTLS; PERMISSIVE: mTLS and plain text. */
    mtlsMode: z.enum(['STRICT', 'PERMISSIVE']),
    /** The decision when no enforced ALLOW policy applies. */
    defaultAuthorization: z.enum(['allow', 'deny']),
    /** Tracing and telemetry flushing (MeshConfig `telemetry`, defaults applied). */
    telemetry: z.object({ samplingPercent: Percent, flushIntervalMs: Ms }),
  }),
  inbound: SnapshotInboundSchema,
  outbound: z.object({
    /** Sorted by namespace, service, port. */
    services: z.array(SnapshotOutboundServiceSchema),
  }),
  /** Sorted by name; exactly the clusters `outbound` refers to. */
  clusters: z.array(SnapshotClusterSchema),
  /** Hosts outside the mesh the application may call through the proxy (`*.` wildcard). Sorted. */
  egress: z.object({ allowedHosts: z.array(z.string()) }),
  /**
   * The CA roots (PEM) a peer's certificate chain must end in. During a root rotation it holds the
   * old and the new root; after it, only the new one. Empty: no peer can be verified (fail closed).
   */
  trustBundle: z.object({ roots: z.array(z.string()) }).default({ roots: [] }),
});
export type ProxySnapshot = z.infer<typeof ProxySnapshotSchema>;
