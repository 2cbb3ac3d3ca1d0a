/**
 * AuthorizationPolicy: who may call a service (or every service of a namespace), decided by the
 * target's inbound proxy on the verified mTLS identity of the caller and the normalized request.
 *
 * Evaluation, per request, over the enforced policies that apply to the destination:
 *   1. a matching DENY rule → 403;
 *   2. else, if any ALLOW policy applies, a matching ALLOW rule is required → otherwise 403;
 *   3. else MeshConfig `defaultAuthorization` decides.
 * Policies in `mode: audit` are evaluated the same way but only reported (logs, metrics): they
 * never change the outcome, so a policy can be tried on live traffic before it is enforced.
 *
 * Matching: a rule matches when its `from`, `to` and `when` all match (an omitted one matches
 * anything). `from` and `to` match when any of their entries does; an entry matches when all its
 * fields do; a field matches when any of its values does. Every `when` condition must hold.
 */
import { z } from 'zod';
import { addIssue, checkUnique, DnsLabelNameSchema, envelope, HeaderNameSchema, hasControlCharacters, namespacedMetadata, PortNumberSchema, ServiceTargetRefSchema } from './common.ts';
import { HttpMethodSchema } from './http-route.ts';
import { strictObject } from './issues.ts';

export const AUTHORIZATION_POLICY_LIMITS = {
  rules: 32,
  entries: 16,
  values: 32,
  principalLength: 512,
  pathLength: 1024,
  headerValueLength: 1024,
} as const;

export const AUTHORIZATION_POLICY_DEFAULTS = { mode: 'enforce' } as const;

/**
 * A value with an optional wildcard: `*` (anything), `prefix*`, `*suffix`, or an exact value.
 * Returns a problem or undefined.
 */
function wildcardProblem(value: string): string | undefined {
  if (value === '*') return undefined;
  const inner = value.replace(/^\*/, '').replace(/\*$/, '');
  if (value.startsWith('*') && value.endsWith('*')) return "may have '*' at the start or at the end, not both";
  if (inner.includes('*')) return "may have '*' only as its first or last character";
  if (inner === '') return 'must not be empty';
  return undefined;
}

const SPIFFE_CHARS = /^[A-Za-z0-9._\-/:]+$/;

/**
 * A SPIFFE ID pattern: exact (`spiffe://weft.local/ns/shop/sa/checkout`), a prefix ending in `*`
 * (`spiffe://weft.local/ns/shop/*`), a suffix starting with `*` (`*` then `/sa/checkout`), or `*`
 * alone (any authenticated caller).
 */
export const PrincipalPatternSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(AUTHORIZATION_POLICY_LIMITS.principalLength)
  .superRefine((value, ctx) => {
    const problem = wildcardProblem(value);
    if (problem !== undefined) return addIssue(ctx, [], problem);
    if (value === '*') return;
    const inner = value.replace(/^\*/, '').replace(/\*$/, '');
    if (!SPIFFE_CHARS.test(inner)) return addIssue(ctx, [], 'must contain only letters, digits and . _ - / :');
    if (!value.startsWith('*') && !value.startsWith('spiffe://')) {
      addIssue(ctx, [], "must be a SPIFFE ID starting with 'spiffe://' (like spiffe://weft.local/ns/shop/sa/checkout), or start with '*'");
    }
  });

/** A namespace name, `prefix*`, `*suffix` or `*`. */
export const NamespacePatternSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(63)
  .superRefine((value, ctx) => {
    const problem = wildcardProblem(value);
    if (problem !== undefined) return addIssue(ctx, [], problem);
    if (!/^[a-z0-9-*]+$/.test(value)) addIssue(ctx, [], "must be a namespace name (lower-case letters, digits and -), optionally with '*' at the start or end");
  });

/** `name` (a service in the policy's namespace) or `namespace/name`. */
export const ServiceReferenceSchema = z
  .string()
  .max(127)
  .superRefine((value, ctx) => {
    const parts = value.split('/');
    const ok = parts.length <= 2 && parts.every((part) => DnsLabelNameSchema.safeParse(part).success);
    if (!ok) addIssue(ctx, [], "must be a service name or namespace/name (DNS labels), like 'checkout' or 'shop/checkout'");
  });

/** A request path: exact (`/healthz`), `prefix*` (`/api/*`), `*suffix` (`*.json`) or `*`. */
export const PathPatternSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(AUTHORIZATION_POLICY_LIMITS.pathLength)
  .superRefine((value, ctx) => {
    const problem = wildcardProblem(value);
    if (problem !== undefined) return addIssue(ctx, [], problem);
    if (!value.startsWith('*') && !value.startsWith('/')) addIssue(ctx, [], "must start with '/' (or with '*' for a suffix match)");
    else if (hasControlCharacters(value) || value.includes(' ')) addIssue(ctx, [], 'must not contain spaces or control characters');
  });

const HeaderValuePatternSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(AUTHORIZATION_POLICY_LIMITS.headerValueLength)
  .superRefine((value, ctx) => {
    const problem = wildcardProblem(value);
    if (problem !== undefined) return addIssue(ctx, [], problem);
    if (hasControlCharacters(value)) addIssue(ctx, [], 'must not contain control characters');
  });

const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(AUTHORIZATION_POLICY_LIMITS.values).optional();

/** Who is calling: matched on the caller's verified identity (mTLS). */
export const AuthorizationSourceSchema = strictObject({
  principals: list(PrincipalPatternSchema),
  namespaces: list(NamespacePatternSchema),
  services: list(ServiceReferenceSchema),
}).superRefine((source, ctx) => {
  if (source.principals === undefined && source.namespaces === undefined && source.services === undefined) {
    addIssue(ctx, [], 'must set at least one of: principals, namespaces, services');
  }
  checkUnique(ctx, source.principals, (p) => p, { path: ['principals'], what: 'principal' });
  checkUnique(ctx, source.namespaces, (n) => n, { path: ['namespaces'], what: 'namespace' });
  checkUnique(ctx, source.services, (s) => s, { path: ['services'], what: 'service' });
});
export type AuthorizationSource = z.infer<typeof AuthorizationSourceSchema>;

/** What is called. Paths are matched after normalization (no query, dot segments resolved), case-sensitively. */
export const AuthorizationOperationSchema = strictObject({
  methods: list(HttpMethodSchema),
  paths: list(PathPatternSchema),
  /** Service ports the request was sent to. */
  ports: list(PortNumberSchema),
}).superRefine((operation, ctx) => {
  if (operation.methods === undefined && operation.paths === undefined && operation.ports === undefined) {
    addIssue(ctx, [], 'must set at least one of: methods, paths, ports');
  }
  checkUnique(ctx, operation.methods, (m) => m, { path: ['methods'], what: 'method' });
  checkUnique(ctx, operation.paths, (p) => p, { path: ['paths'], what: 'path' });
  checkUnique(ctx, operation.ports, String, { path: ['ports'], what: 'port' });
});
export type AuthorizationOperation = z.infer<typeof AuthorizationOperationSchema>;

/**
 * A header condition: `values` holds when the header matches one of them; `notValues` holds when
 * it matches none (an absent header matches no `values` and satisfies any `notValues`).
 */
export const AuthorizationConditionSchema = strictObject({
  header: HeaderNameSchema,
  values: z.array(HeaderValuePatternSchema).min(1).max(AUTHORIZATION_POLICY_LIMITS.values).optional(),
  notValues: z.array(HeaderValuePatternSchema).min(1).max(AUTHORIZATION_POLICY_LIMITS.values).optional(),
}).superRefine((condition, ctx) => {
  if ((condition.values === undefined) === (condition.notValues === undefined)) {
    addIssue(ctx, [], 'must set exactly one of: values, notValues');
  }
});
export type AuthorizationCondition = z.infer<typeof AuthorizationConditionSchema>;

/** `{}` matches every request. */
export const AuthorizationRuleSchema = strictObject({
  from: z.array(AuthorizationSourceSchema).min(1).max(AUTHORIZATION_POLICY_LIMITS.entries).optional(),
  to: z.array(AuthorizationOperationSchema).min(1).max(AUTHORIZATION_POLICY_LIMITS.entries).optional(),
  when: z.array(AuthorizationConditionSchema).min(1).max(AUTHORIZATION_POLICY_LIMITS.entries).optional(),
});
export type AuthorizationRule = z.infer<typeof AuthorizationRuleSchema>;

export const AuthorizationPolicySpecSchema = strictObject({
  /** The service this policy protects; absent: every service of the namespace. */
  targetRef: ServiceTargetRefSchema.optional(),
  action: z.enum(['ALLOW', 'DENY']),
  /** Default `enforce`. `audit`: evaluate and report, never change the outcome. */
  mode: z.enum(['enforce', 'audit']).optional(),
  /** At least one rule: to deny everything, use `action: DENY` with `rules: [{}]`. */
  rules: z.array(AuthorizationRuleSchema).min(1).max(AUTHORIZATION_POLICY_LIMITS.rules),
});
export type AuthorizationPolicySpec = z.infer<typeof AuthorizationPolicySpecSchema>;

export const AuthorizationPolicySchema = strictObject({
  ...envelope('AuthorizationPolicy'),
  metadata: namespacedMetadata(),
  spec: AuthorizationPolicySpecSchema,
});
export type AuthorizationPolicy = z.infer<typeof AuthorizationPolicySchema>;
