/**
 * Authorization over recorded traffic (docs/authorization.md "Preview"):
 *
 *   POST /namespaces/{namespace}/authorization/preview   what a draft policy would deny   viewer
 *   GET  /namespaces/{namespace}/authorization/hits      decisions per policy and rule    viewer
 *   GET  /namespaces/{namespace}/mtls-share              mTLS share of inbound requests   viewer
 *
 * `window` is a duration (`15m`, `1h`; default 1h, at most the retention of recorded traffic).
 * Neither stores anything: a preview evaluates a draft that is not applied.
 */
import { DnsLabelSchema } from '@weft/contracts';
import { durationSchema, parseDuration } from '@weft/contracts/resources';
import { z } from 'zod';
import { procedure, router } from '../trpc.ts';

const viewer = { kind: 'namespace', role: 'viewer', field: 'namespace' } as const;
const WindowSchema = durationSchema({ minMs: 60_000, maxMs: 7 * 24 * 3_600_000 }).default('1h');

const TrafficWindowSchema = z.object({ since: z.date(), until: z.date(), notRecorded: z.number().int() });
const ShapeSummarySchema = z.object({ service: z.string(), principal: z.string().nullable(), method: z.string(), path: z.string(), port: z.number().int(), requests: z.number().int() });

export const PreviewResultSchema = z.object({
  window: TrafficWindowSchema,
  /** The services the draft protects (null: every service of the namespace). */
  services: z.array(z.string()).nullable(),
  requests: z.number().int(),
  matched: z.number().int(),
  byRule: z.array(z.object({ rule: z.number().int(), requests: z.number().int() })),
  wouldDeny: z.number().int(),
  wouldAllow: z.number().int(),
  wouldDenyBySource: z.array(z.object({ principal: z.string().nullable(), requests: z.number().int() })),
  wouldDenySamples: z.array(ShapeSummarySchema),
  headerConditionsIgnored: z.boolean(),
});

export const PolicyHitsSchema = z.object({
  window: TrafficWindowSchema,
  defaultAuthorization: z.enum(['allow', 'deny']),
  requests: z.number().int(),
  denied: z.number().int(),
  policies: z.array(
    z.object({
      namespace: z.string(),
      name: z.string(),
      action: z.enum(['ALLOW', 'DENY']),
      mode: z.enum(['enforce', 'audit']),
      rules: z.array(z.object({ rule: z.number().int(), requests: z.number().int() })),
      denied: z.number().int(),
    }),
  ),
  headerConditionsIgnored: z.boolean(),
});

export const MtlsShareSchema = z.object({
  window: z.object({ since: z.date(), until: z.date() }),
  /** Per service with recorded traffic: requests, and those with a verified client certificate. */
  services: z.array(z.object({ service: z.string(), requests: z.number().int(), mtls: z.number().int() })),
});

export const authorizationRouter = router({
  preview: procedure
    .meta({
      access: viewer,
      openapi: { method: 'POST', path: '/namespaces/{namespace}/authorization/preview', tags: ['authorization'], summary: 'What a draft AuthorizationPolicy would have denied over recorded traffic', protect: true },
    })
    .input(z.object({ namespace: DnsLabelSchema, document: z.unknown(), window: WindowSchema }))
    .output(PreviewResultSchema)
    .mutation(({ ctx, input }) => ctx.services.authorization.preview(input.namespace, input.document, parseDuration(input.window)!)),

  hits: procedure
    .meta({
      access: viewer,
      openapi: { method: 'GET', path: '/namespaces/{namespace}/authorization/hits', tags: ['authorization'], summary: 'Requests decided per AuthorizationPolicy rule over recorded traffic', protect: true },
    })
    .input(z.object({ namespace: DnsLabelSchema, window: WindowSchema }))
    .output(PolicyHitsSchema)
    .query(({ ctx, input }) => ctx.services.authorization.hits(input.namespace, parseDuration(input.window)!)),

  mtlsShare: procedure
    .meta({
      access: viewer,
      openapi: { method: 'GET', path: '/namespaces/{namespace}/mtls-share', tags: ['authorization'], summary: "Share of each service's inbound requests that came over mTLS, over recorded traffic", protect: true },
    })
    .input(z.object({ namespace: DnsLabelSchema, window: WindowSchema }))
    .output(MtlsShareSchema)
    .query(({ ctx, input }) => ctx.services.authorization.mtlsShare(input.namespace, parseDuration(input.window)!)),
});
