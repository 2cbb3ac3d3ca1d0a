/**
 * Building blocks shared by the resource kinds: the document envelope (apiVersion, kind,
 * metadata), names, labels, ports, percentages, header names and values, hostnames, and the
 * helpers that turn cross-field rules into issues at the right path.
 */
import { z } from 'zod';
import { strictObject } from './issues.ts';

export const API_VERSION = 'weft.dev/v1alpha1';

/** Largest document accepted, in UTF-8 bytes of its source (and of its JSON form, aliases expanded). */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

/**
 * Deepest nesting of mappings and lists accepted in a document, from YAML or JSON alike
 * (resources need about 10).
 */
export const MAX_NESTING_DEPTH = 64;

/** Limits shared by several kinds (docs/resources.md quotes them). */
export const RESOURCE_LIMITS = {
  /** metadata.name of most kinds (DNS subdomain). */
  nameLength: 253,
  /** Service, version, port and namespace names (DNS label). */
  labelNameLength: 63,
  labels: 64,
  labelKeyLength: 317,
  labelValueLength: 63,
  annotations: 64,
  /** Sum of annotation keys and values, in characters. */
  annotationsTotalLength: 64 * 1024,
  resourceVersionLength: 64,
  uidLength: 128,
  hostnameLength: 253,
  headerNameLength: 256,
  headerValueLength: 4096,
} as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS label (RFC 1123): Service, version, port and namespace names. */
export const DnsLabelNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(RESOURCE_LIMITS.labelNameLength, `must be at most ${RESOURCE_LIMITS.labelNameLength} characters`)
  .regex(DNS_LABEL, 'must be lower-case letters, digits and -, starting and ending with a letter or digit');

/** A DNS subdomain (RFC 1123): names of routes and policies (dots allowed). */
export const DnsSubdomainNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(RESOURCE_LIMITS.nameLength, `must be at most ${RESOURCE_LIMITS.nameLength} characters`)
  .regex(DNS_SUBDOMAIN, 'must be lower-case letters, digits, - and ., each dot-separated part starting and ending with a letter or digit');

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;

/** A Kubernetes label or annotation key: `[prefix/]name`, the prefix a DNS subdomain. */
export const LabelKeySchema = z
  .string()
  .max(RESOURCE_LIMITS.labelKeyLength, `must be at most ${RESOURCE_LIMITS.labelKeyLength} characters`)
  .superRefine((key, ctx) => {
    const slash = key.lastIndexOf('/');
    const prefix = slash === -1 ? undefined : key.slice(0, slash);
    const name = slash === -1 ? key : key.slice(slash + 1);
    if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
      ctx.addIssue({ code: 'custom', message: `'${key}': the prefix before / must be a DNS subdomain (like example.com)` });
    } else if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        message: `'${key}': must be at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit (optionally after a DNS prefix and /)`,
      });
    }
  });

export const LabelValueSchema = z
  .string()
  .max(RESOURCE_LIMITS.labelValueLength, `must be at most ${RESOURCE_LIMITS.labelValueLength} characters`)
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, 'must be letters, digits, -, _ and ., starting and ending with a letter or digit (or empty)');

/** Labels: at most 64 Kubernetes-style key/value pairs. */
export const LabelsSchema = z.record(LabelKeySchema, LabelValueSchema).superRefine((labels, ctx) => {
  const count = Object.keys(labels).length;
  if (count > RESOURCE_LIMITS.labels) ctx.addIssue({ code: 'custom', message: `must have at most ${RESOURCE_LIMITS.labels} labels, got ${count}` });
});

/** A non-empty label selector: every pair must be present on a workload for it to match. */
export const LabelSelectorSchema = LabelsSchema.superRefine((labels, ctx) => {
  if (Object.keys(labels).length === 0) ctx.addIssue({ code: 'custom', message: 'must have at least one label' });
});

export const AnnotationsSchema = z.record(LabelKeySchema, z.string()).superRefine((annotations, ctx) => {
  const entries = Object.entries(annotations);
  if (entries.length > RESOURCE_LIMITS.annotations) {
    ctx.addIssue({ code: 'custom', message: `must have at most ${RESOURCE_LIMITS.annotations} annotations, got ${entries.length}` });
  }
  const total = entries.reduce((sum, [k, v]) => sum + k.length + v.length, 0);
  if (total > RESOURCE_LIMITS.annotationsTotalLength) {
    ctx.addIssue({ code: 'custom', message: `must total at most ${RESOURCE_LIMITS.annotationsTotalLength} characters (keys and values), got ${total}` });
  }
});

/**
 * The server-set part of metadata. Clients may send these back (a document read with `get` and
 * applied again); the server ignores all but `resourceVersion`, which it compares for optimistic
 * concurrency (stale → 409 Conflict).
 */
const serverSetMetadata = {
  /** Opaque; compare for equality only. */
  resourceVersion: z.string().min(1).max(RESOURCE_LIMITS.resourceVersionLength).optional(),
  uid: z.string().min(1).max(RESOURCE_LIMITS.uidLength).optional(),
  /** Incremented by the server on every change of `spec`. */
  generation: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  creationTimestamp: z.iso.datetime().optional(),
};

/** metadata of a namespaced resource whose name is a DNS subdomain. */
export function namespacedMetadata(name: z.ZodType<string> = DnsSubdomainNameSchema) {
  return strictObject({
    name,
    namespace: DnsLabelNameSchema,
    labels: LabelsSchema.optional(),
    annotations: AnnotationsSchema.optional(),
    ...serverSetMetadata,
  });
}

/** metadata of a cluster-scoped resource (no namespace). */
export function clusterMetadata(name: z.ZodType<string> = DnsSubdomainNameSchema) {
  return strictObject({
    name,
    labels: LabelsSchema.optional(),
    annotations: AnnotationsSchema.optional(),
    ...serverSetMetadata,
  });
}

export const ObjectMetaSchema = namespacedMetadata();
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;
export const ClusterObjectMetaSchema = clusterMetadata();
export type ClusterObjectMeta = z.infer<typeof ClusterObjectMetaSchema>;

/** `apiVersion` and `kind` of a document of kind K. */
export function envelope<const K extends string>(kind: K) {
  return {
    apiVersion: z.literal(API_VERSION),
    kind: z.literal(kind),
  };
}

export const PortNumberSchema = z.number().int().min(1).max(65535);

/** 0 to 100, fractions allowed (resolution 0.0001%). */
export const PercentSchema = z.number().min(0).max(100);

/** A reference to a Service in the resource's own namespace. */
export const ServiceTargetRefSchema = strictObject({
  kind: z.literal('Service'),
  name: DnsLabelNameSchema,
});
export type ServiceTargetRef = z.infer<typeof ServiceTargetRefSchema>;

/** RFC 7230 token: an HTTP header name (compared case-insensitively by the proxy). */
export const HeaderNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(RESOURCE_LIMITS.headerNameLength)
  .regex(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/, "must be an HTTP header name: letters, digits and !#$%&'*+-.^_`|~");

/** True when `s` has a control character other than tab (CR, LF, NUL, DEL …). */
export function hasControlCharacters(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** An HTTP header value: visible text, no control characters (so no header injection). */
export const HeaderValueSchema = z
  .string()
  .max(RESOURCE_LIMITS.headerValueLength)
  .refine((s) => !hasControlCharacters(s), 'must not contain control characters (line breaks, NUL …)');

/**
 * Headers the proxy owns: connection management and framing. Filters may not set or remove them
 * (that way lies request smuggling); use URLRewrite to change the host.
 */
export const PROTECTED_HEADERS: readonly string[] = [
  'connection',
  'content-length',
  'host',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/** A hostname without wildcard: `payments`, `payments.shop`, `api.example.com`. */
export const PreciseHostnameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(RESOURCE_LIMITS.hostnameLength)
  .regex(DNS_SUBDOMAIN, 'must be a lower-case hostname (letters, digits, - and .), without port or scheme');

/** A hostname, optionally with a leading `*.` wildcard label: `*.example.com`. */
export const HostnameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(RESOURCE_LIMITS.hostnameLength)
  .regex(
    /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a lower-case hostname, optionally starting with *. (like api.example.com or *.example.com), without port or scheme',
  );

type Ctx = z.core.$RefinementCtx<unknown>;

/** Adds a custom issue at `path`, relative to the value being refined. */
export function addIssue(ctx: Ctx, path: PropertyKey[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

/**
 * Reports each item whose key repeats an earlier one: `<path>.<i>.<field>: duplicates <path>.<j>`.
 * Keys that are undefined are skipped.
 */
export function checkUnique<T>(
  ctx: Ctx,
  items: readonly T[] | undefined,
  key: (item: T) => string | undefined,
  at: { path: PropertyKey[]; field?: string; what: string },
): void {
  if (items === undefined) return;
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    if (k === undefined) return;
    const seen = first.get(k);
    if (seen === undefined) first.set(k, i);
    else addIssue(ctx, [...at.path, i, ...(at.field === undefined ? [] : [at.field])], `duplicate ${at.what}: same as item ${seen}`);
  });
}
