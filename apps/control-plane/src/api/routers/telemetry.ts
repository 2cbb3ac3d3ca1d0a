/**
 * Mesh topology from telemetry (docs/telemetry.md "Topology API"):
 *
 *   GET /namespaces/{namespace}/topology   edges with an end in the namespace, and their nodes   viewer
 *   GET /topology                          the whole mesh                                        admin
 *
 *   GET /namespaces/{namespace}/series     RED time series of a service (version) or an edge      viewer
 *
 * `window` is one of 1m, 5m, 15m (default), 1h, 6h, 24h back from now; or `from` and `to`
 * (ISO 8601) for an explicit interval within the retention of mesh traffic.
 */
import { DnsLabelSchema } from '@weft/contracts';
import { parseDuration } from '@weft/contracts/resources';
import { z } from 'zod';
import { InvalidInputError } from '../../services/errors.ts';
import type { TopologyWindow } from '../../services/telemetry/telemetry-service.ts';
import type { RequestContext } from '../context.ts';
import { TRPCError } from '@trpc/server';
import type { AccessRule } from '../../services/authz/policy.ts';
import { procedure, router, stillAuthorized } from '../trpc.ts';

export const TOPOLOGY_WINDOWS = ['1m', '5m', '15m', '1h', '6h', '24h'] as const;

/** The window of a traffic query (also the services pages'). */
export const WindowInput = {
  window: z.enum(TOPOLOGY_WINDOWS).default('15m'),
  from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
  to: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
};

export function windowOf(input: { window: (typeof TOPOLOGY_WINDOWS)[number]; from?: string | undefined; to?: string | undefined }): TopologyWindow {
  if (input.from === undefined && input.to === undefined) return { lastMs: parseDuration(input.window)! };
  if (input.from === undefined) throw new InvalidInputError('from: is required with to', [{ path: 'from', message: 'is required with to' }]);
  return { from: new Date(input.from), to: input.to === undefined ? new Date() : new Date(input.to) };
}

const Ms = z.number().nullable();
export const ReceivedSchema = z.object({ requests: z.number().int(), errors: z.number().int(), rps: z.number(), errorRate: z.number(), p50Ms: Ms, p95Ms: Ms, p99Ms: Ms });
export const TopologySchema = z.object({
  window: z.object({ since: z.date(), until: z.date() }),
  nodes: z.array(
    z.object({
      id: z.string(),
      namespace: z.string().nullable(),
      service: z.string().nullable(),
      received: ReceivedSchema,
      versions: z.array(ReceivedSchema.extend({ version: z.string(), configuredOnly: z.literal(true).optional().describe('Known only from a route\'s split: no traffic in the window') })),
    }),
  ),
  edges: z.array(
    z.object({
      source: z.string(),
      target: z.string(),
      requests: z.number().int(),
      errors: z.number().int(),
      rps: z.number(),
      errorRate: z.number(),
      p50Ms: Ms,
      p95Ms: Ms,
      p99Ms: Ms,
      mtlsShare: z.number(),
      reportedBy: z.enum(['inbound', 'outbound']),
      observedWeights: z.record(z.string(), z.number()),
      configuredWeights: z.record(z.string(), z.number()).optional(),
    }),
  ),
});

const namespaceViewer: AccessRule = { kind: 'namespace', role: 'viewer', field: 'namespace' };
const admin: AccessRule = { kind: 'admin' };

/**
 * A watched topology, pushed every WEFT_TOPOLOGY_PUSH_INTERVAL over server-sent events (tRPC
 * subscriptions; no REST route). Before each push the caller's credentials are checked again, so
 * a signed-out session or a revoked role ends the stream with FORBIDDEN.
 */
async function* watched(ctx: RequestContext, rule: AccessRule, input: { namespace?: string; window: (typeof TOPOLOGY_WINDOWS)[number] }, signal: AbortSignal | undefined) {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort);
  try {
    for await (const topology of ctx.services.telemetry.watchTopology(input.namespace, parseDuration(input.window)!, stop.signal)) {
      if (!(await stillAuthorized(ctx, rule, input))) throw new TRPCError({ code: 'FORBIDDEN', message: 'Forbidden: your access to this topology has ended; sign in again' });
      // Not parsed again per watcher: the feed's one answer is shared by all of them.
      yield topology;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}

/** A topology node id: `namespace/service`, or `unknown` (callers outside the mesh). */
const NodeIdSchema = z.union([
  z.literal('unknown'),
  z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\/[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a topology node id: namespace/service, or unknown'),
]);

export const SeriesSchema = z.object({
  window: z.object({ since: z.date(), until: z.date() }),
  stepSeconds: z.number().int(),
  points: z.array(ReceivedSchema.extend({ t: z.date() })),
});

export const telemetryRouter = router({
  topology: procedure
    .meta({
      access: namespaceViewer,
      openapi: { method: 'GET', path: '/namespaces/{namespace}/topology', tags: ['telemetry'], summary: 'Services, versions and the traffic between them, for the edges touching a namespace', protect: true },
    })
    .input(z.object({ namespace: DnsLabelSchema, ...WindowInput }))
    .output(TopologySchema)
    .query(({ ctx, input }) => ctx.services.telemetry.topology(input.namespace, windowOf(input))),

  meshTopology: procedure
    .meta({
      access: admin,
      openapi: { method: 'GET', path: '/topology', tags: ['telemetry'], summary: 'Services, versions and the traffic between them, mesh-wide', protect: true },
    })
    .input(z.object(WindowInput))
    .output(TopologySchema)
    .query(({ ctx, input }) => ctx.services.telemetry.topology(undefined, windowOf(input))),

  /** `topology`, pushed every few seconds (the console's live graph). */
  watchTopology: procedure
    .meta({ access: namespaceViewer })
    .input(z.object({ namespace: DnsLabelSchema, window: WindowInput.window }))
    .subscription(({ ctx, input, signal }) => watched(ctx, namespaceViewer, input, signal)),

  /** `meshTopology`, pushed every few seconds. */
  watchMeshTopology: procedure
    .meta({ access: admin })
    .input(z.object({ window: WindowInput.window }))
    .subscription(({ ctx, input, signal }) => watched(ctx, admin, input, signal)),

  series: procedure
    .meta({
      access: { kind: 'namespace', role: 'viewer', field: 'namespace' },
      openapi: { method: 'GET', path: '/namespaces/{namespace}/series', tags: ['telemetry'], summary: 'Requests, errors and latency over time of a service, a service version or an edge', protect: true },
    })
    .input(
      z.object({
        namespace: DnsLabelSchema,
        ...WindowInput,
        service: DnsLabelSchema.optional(),
        version: z.string().min(1).max(63).optional(),
        source: NodeIdSchema.optional(),
        target: NodeIdSchema.optional(),
      }),
    )
    .output(SeriesSchema)
    .query(({ ctx, input }) => ctx.services.telemetry.series(input.namespace, windowOf(input), input)),
});
