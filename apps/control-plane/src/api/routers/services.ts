/**
 * The services of a namespace (docs/services.md), for the console's Services pages:
 *
 *   GET /namespaces/{namespace}/service-catalog             one row per service, with health    viewer
 *   GET /namespaces/{namespace}/service-catalog/{service}   one service in detail               viewer
 *
 * Not `/namespaces/{namespace}/services`: that is the resource API's list of `Service` documents.
 * The window is the topology's (`window`, or `from` and `to`).
 */
import { DnsLabelSchema } from '@weft/contracts';
import { ProxyStatusSchema, ProxyStatusValueSchema } from '@weft/contracts/snapshot';
import { z } from 'zod';
import { SERVICE_HEALTHS } from '../../services/catalog/catalog.ts';
import { procedure, router } from '../trpc.ts';
import { ReceivedSchema, TopologySchema, WindowInput, windowOf } from './telemetry.ts';

const WindowSchema = z.object({ since: z.date(), until: z.date() });
const HealthSchema = z.enum(SERVICE_HEALTHS);
const EndpointCountsSchema = z.object({ total: z.number().int(), byStatus: z.record(ProxyStatusValueSchema, z.number().int()) });

const ServiceRowSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  versions: z.array(z.string()),
  endpoints: EndpointCountsSchema,
  received: ReceivedSchema,
  health: HealthSchema,
});

const ServiceEdgeSchema = TopologySchema.shape.edges.element.omit({ source: true, target: true }).extend({
  peer: z.string(),
  peerNamespace: z.string().nullable(),
  peerService: z.string().nullable(),
});

const ResourceSummarySchema = z.object({
  kind: z.enum(['HTTPRoute', 'TrafficPolicy', 'AuthorizationPolicy']),
  namespace: z.string(),
  name: z.string(),
  resourceVersion: z.string(),
  revision: z.number().int(),
  summary: z.string(),
});

export const ServiceListSchema = z.object({ window: WindowSchema, services: z.array(ServiceRowSchema) });

export const ServiceDetailSchema = ServiceRowSchema.extend({
  window: WindowSchema,
  versionDetails: z.array(z.object({ version: z.string(), received: ReceivedSchema, endpoints: z.number().int() })),
  endpointList: z.array(ProxyStatusSchema),
  inbound: z.array(ServiceEdgeSchema),
  outbound: z.array(ServiceEdgeSchema),
  policies: z.array(ResourceSummarySchema),
  routes: z.array(ResourceSummarySchema.extend({ relations: z.array(z.enum(['parent', 'backend'])) })),
});

const viewer = { kind: 'namespace', role: 'viewer', field: 'namespace' } as const;

export const servicesRouter = router({
  list: procedure
    .meta({
      access: viewer,
      openapi: { method: 'GET', path: '/namespaces/{namespace}/service-catalog', tags: ['services'], summary: 'The services of a namespace: versions, endpoints, traffic received and health', protect: true },
    })
    .input(z.object({ namespace: DnsLabelSchema, ...WindowInput }))
    .output(ServiceListSchema)
    .query(({ ctx, input }) => ctx.services.catalog.list(input.namespace, windowOf(input))),

  get: procedure
    .meta({
      access: viewer,
      openapi: { method: 'GET', path: '/namespaces/{namespace}/service-catalog/{service}', tags: ['services'], summary: 'One service: versions, endpoints, inbound and outbound traffic, policies and routes', protect: true },
    })
    .input(z.object({ namespace: DnsLabelSchema, service: DnsLabelSchema, ...WindowInput }))
    .output(ServiceDetailSchema)
    .query(({ ctx, input }) => ctx.services.catalog.get(input.namespace, input.service, windowOf(input))),
});
