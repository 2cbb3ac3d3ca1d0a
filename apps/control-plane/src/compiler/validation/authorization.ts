/**
 * Authorization: references a policy makes (source services and SPIFFE IDs, ports) and policies
 * that would deny every caller of a service.
 *
 * "Every caller" of a service S: the other services of the mesh (declared or in the inventory),
 * each calling with its SPIFFE identity — who may call S is not known in advance, so each of them
 * might. Over the policies that apply to S (targetRef S, or no targetRef in S's namespace), three
 * situations deny them all, following the evaluation order of docs/resources.md:
 *   1. a DENY rule that matches every request: no `when`, every `from` field `*` (or no `from`),
 *      and a `to` entry that covers every method, path and port of S (or no `to`);
 *   2. ALLOW policies apply, but none of their rules matches any of those callers (a `from` that
 *      names no other service of the mesh, a `to` on ports S does not have);
 *   3. no ALLOW policy applies and MeshConfig `defaultAuthorization` is `deny`.
 * Case 1 is structural (it holds for callers that do not exist yet); cases 2 and 3 are about the
 * mesh as it is and need at least one other service. Enforced policies give an error; policies in
 * audit mode (evaluated as if enforced, alongside the enforced ones) give a warning. The
 * annotation `weft.dev/deny-all-callers: intended` on the policy (or the MeshConfig) turns the
 * error into a warning: a deliberate lockdown stays possible, an accidental one needs a decision.
 */
import { HttpMethodSchema, type AuthorizationPolicy, type AuthorizationRule, type AuthorizationSource } from '@weft/contracts/resources';
import { spiffeId } from '@weft/contracts/snapshot';
import type { ServiceModel } from '../services.ts';
import { serviceKey } from '../types.ts';
import { portsOf, unknownService, type ValidationContext } from './context.ts';
import { describeRef, plain, quoted, refOf, type Findings, type PathSegment, type ResourceRef, type Severity } from './diagnostics.ts';

/** Acknowledges, on an AuthorizationPolicy or the MeshConfig, that denying every caller is meant. */
export const DENY_ALL_ANNOTATION = 'weft.dev/deny-all-callers';
export const DENY_ALL_ACKNOWLEDGED = 'intended';

interface Caller {
  namespace: string;
  name: string;
  id: string;
}

/** `*`, `prefix*`, `*suffix` or exact, as the inbound proxy matches them. */
export function wildcardMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

/** `checkout` (in the policy's namespace) or `shop/checkout` → [namespace, name]. */
function resolveServiceRef(ref: string, policyNamespace: string): [string, string] {
  const [a = '', b] = ref.split('/');
  return b === undefined ? [policyNamespace, a] : [a, b];
}

function sourceMatches(src: AuthorizationSource, policyNamespace: string, c: Caller): boolean {
  if (src.principals !== undefined && !src.principals.some((p) => wildcardMatches(p, c.id))) return false;
  if (src.namespaces !== undefined && !src.namespaces.some((n) => wildcardMatches(n, c.namespace))) return false;
  if (src.services !== undefined && !src.services.some((s) => resolveServiceRef(s, policyNamespace).join('/') === `${c.namespace}/${c.name}`)) return false;
  return true;
}

function applies(p: AuthorizationPolicy, s: ServiceModel): boolean {
  return p.metadata.namespace === s.namespace && (p.spec.targetRef === undefined || p.spec.targetRef.name === s.name);
}

const audit = (p: AuthorizationPolicy): boolean => p.spec.mode === 'audit';
const acknowledged = (annotations: Record<string, string> | undefined): boolean => annotations?.[DENY_ALL_ANNOTATION] === DENY_ALL_ACKNOWLEDGED;

/** Case 1: the rule matches every request to `s`, from any caller of the mesh. */
function matchesEverything(rule: AuthorizationRule, s: ServiceModel): boolean {
  if (rule.when !== undefined) return false;
  const anyone = rule.from === undefined || rule.from.some((src) => src.services === undefined && (src.principals?.includes('*') ?? true) && (src.namespaces?.includes('*') ?? true));
  const anything =
    rule.to === undefined ||
    rule.to.some(
      (op) =>
        (op.methods === undefined || HttpMethodSchema.options.every((m) => op.methods?.includes(m))) &&
        (op.paths === undefined || op.paths.some((p) => p === '*' || p === '/*')) &&
        (op.ports === undefined || s.ports.every((sp) => op.ports?.includes(sp.port))),
    );
  return anyone && anything;
}

/** Case 2: whether the rule lets at least one of `callers` call `s`; else why not. */
function admission(ctx: ValidationContext, p: AuthorizationPolicy, rule: AuthorizationRule, s: ServiceModel, callers: Caller[]): string | undefined {
  const ns = p.metadata.namespace;
  const reasons: string[] = [];
  if (rule.from !== undefined && !callers.some((c) => rule.from?.some((src) => sourceMatches(src, ns, c)))) {
    const values: string[] = [];
    for (const src of rule.from) {
      for (const ref of src.services ?? []) {
        const [rns, rname] = resolveServiceRef(ref, ns);
        if (rns === s.namespace && rname === s.name) values.push(`'${ref}' is the service itself`);
        else if (!ctx.services.has(serviceKey(rns, rname))) values.push(unknownService(ctx, rns, rname));
      }
      for (const principal of src.principals ?? []) {
        if (!callers.some((c) => wildcardMatches(principal, c.id))) values.push(principalProblem(ctx, principal) ?? `principal '${principal}' is no other service's identity`);
      }
      for (const namespace of src.namespaces ?? []) {
        if (!callers.some((c) => wildcardMatches(namespace, c.namespace))) values.push(`namespace '${namespace}' has no other service`);
      }
    }
    reasons.push(values.length === 0 ? 'from matches no other service of the mesh (no service meets every field of an entry)' : `from matches no other service of the mesh: ${plain(values, 3)}`);
  }
  if (rule.to !== undefined && !rule.to.some((op) => op.ports === undefined || op.ports.some((port) => s.ports.some((sp) => sp.port === port)))) {
    reasons.push(`to names only ports service '${s.name}' does not have (its ports are ${portsOf(s)})`);
  }
  return reasons.length === 0 ? undefined : reasons.join(', and ');
}

/** Why a SPIFFE ID pattern can match no identity of this mesh, if it cannot. */
function principalProblem(ctx: ValidationContext, principal: string): string | undefined {
  if (principal.startsWith('*')) return undefined;
  const exact = !principal.endsWith('*');
  const text = exact ? principal : principal.slice(0, -1);
  const root = `spiffe://${ctx.trustDomain}/`;
  if (!(text.startsWith(root) || root.startsWith(text))) {
    return `principal '${principal}' is outside the mesh's trust domain '${ctx.trustDomain}' (identities are ${root}ns/<namespace>/sa/<service>)`;
  }
  if (!exact) return undefined;
  const m = /^spiffe:\/\/[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
  if (m === null) return `principal '${principal}' is not of the form ${root}ns/<namespace>/sa/<service>`;
  const [, ns = '', name = ''] = m;
  return ctx.services.has(serviceKey(ns, name)) ? undefined : `principal '${principal}': ${unknownService(ctx, ns, name)}`;
}

/** UnknownSource and UnknownTargetPort: references in from and to that match nothing today. */
function checkReferences(ctx: ValidationContext, out: Findings, p: AuthorizationPolicy): void {
  const resource = refOf(p);
  const ns = p.metadata.namespace;
  const effect = p.spec.action === 'ALLOW' ? 'it allows no caller until that service exists' : 'it denies no caller until that service exists (an existing caller you meant is not denied)';
  const target = p.spec.targetRef === undefined ? undefined : ctx.services.get(serviceKey(ns, p.spec.targetRef.name));
  const namespacePorts = [...ctx.services.values()].filter((s) => s.namespace === ns).flatMap((s) => s.ports.map((sp) => sp.port));
  p.spec.rules.forEach((rule, ri) => {
    rule.from?.forEach((src, fi) => {
      src.services?.forEach((ref, vi) => {
        const [rns, rname] = resolveServiceRef(ref, ns);
        if (!ctx.services.has(serviceKey(rns, rname))) {
          out.add(resource, 'warning', 'UnknownSource', ['spec', 'rules', ri, 'from', fi, 'services', vi], `${unknownService(ctx, rns, rname)}; ${effect}`);
        }
      });
      src.principals?.forEach((principal, vi) => {
        const problem = principalProblem(ctx, principal);
        if (problem !== undefined) out.add(resource, 'warning', 'UnknownSource', ['spec', 'rules', ri, 'from', fi, 'principals', vi], `${problem}; ${effect.replace('that service exists', 'it matches one')}`);
      });
    });
    rule.to?.forEach((op, ti) => {
      op.ports?.forEach((port, vi) => {
        const at: PathSegment[] = ['spec', 'rules', ri, 'to', ti, 'ports', vi];
        if (target !== undefined && !target.ports.some((sp) => sp.port === port)) {
          out.add(resource, 'warning', 'UnknownTargetPort', at, `service '${target.name}' has no port ${port}; its ports are ${portsOf(target)}, so this entry never matches a request on it`);
        } else if (p.spec.targetRef === undefined && namespacePorts.length > 0 && !namespacePorts.includes(port)) {
          out.add(resource, 'warning', 'UnknownTargetPort', at, `no service of namespace '${ns}' has port ${port}, so this entry never matches a request`);
        }
      });
    });
  });
}

interface Lockout {
  resource: ResourceRef;
  severity: Severity;
  path: PathSegment[];
  services: ServiceModel[];
  message: (services: ServiceModel[]) => string;
}

export function checkAuthorization(ctx: ValidationContext, out: Findings): void {
  for (const p of ctx.authorizationPolicies) checkReferences(ctx, out, p);

  // Findings about one policy (or rule) and several services are reported once, naming them all.
  const lockouts = new Map<string, Lockout>();
  const lock = (key: string, entry: Omit<Lockout, 'services'>, s: ServiceModel): void => {
    const found = lockouts.get(key) ?? { ...entry, services: [] };
    found.services.push(s);
    lockouts.set(key, found);
  };
  const severityOf = (p: AuthorizationPolicy): Severity => (audit(p) || acknowledged(p.metadata.annotations) ? 'warning' : 'error');
  const remedy = (p: AuthorizationPolicy, fix: string): string =>
    audit(p)
      ? ' (audit mode: only reported; enforcing it would lock every caller out)'
      : acknowledged(p.metadata.annotations)
        ? ` (acknowledged by the annotation ${DENY_ALL_ANNOTATION}: ${DENY_ALL_ACKNOWLEDGED})`
        : `. ${fix}, try it with mode: audit first, or — to lock the service down on purpose — annotate the policy ${DENY_ALL_ANNOTATION}: ${DENY_ALL_ACKNOWLEDGED}`;
  const scope = (p: AuthorizationPolicy, services: ServiceModel[]): string =>
    `${services.length === 1 ? 'service' : 'services'} ${quoted(services.map((x) => x.name))}` +
    (p.spec.targetRef === undefined ? ` (the policy has no targetRef, so it applies to every service of namespace '${p.metadata.namespace}')` : '');

  const unprotected: ServiceModel[] = [];
  const everyone = [...ctx.services.values()].map((c) => ({ service: c, caller: { namespace: c.namespace, name: c.name, id: spiffeId(ctx.trustDomain, c.namespace, c.name) } }));
  for (const s of ctx.services.values()) {
    const policies = ctx.authorizationPolicies.filter((p) => applies(p, s));
    if (policies.length === 0 && ctx.defaultAuthorization === 'allow') continue;
    const callers: Caller[] = everyone.filter((e) => e.service !== s).map((e) => e.caller);

    // 1. A DENY rule that matches every request.
    for (const p of policies) {
      if (p.spec.action !== 'DENY') continue;
      p.spec.rules.forEach((rule, ri) => {
        if (!matchesEverything(rule, s)) return;
        const what = rule.from === undefined && rule.to === undefined ? 'this rule has no from, to or when condition' : "this rule's from and to cover every caller and request, with no when condition";
        lock(
          JSON.stringify(['deny', describeRef(refOf(p)), ri]),
          {
            resource: refOf(p),
            severity: severityOf(p),
            path: ['spec', 'rules', ri],
            message: (names) => `${audit(p) ? 'would deny' : 'denies'} every request to ${scope(p, names)}: ${what}, so every caller gets 403${remedy(p, 'Narrow the rule with from, to or when')}`,
          },
          s,
        );
      });
    }

    if (callers.length === 0) continue;
    // 2. ALLOW policies apply but admit none of the callers (audit ones judged as if enforced too).
    const enforcedAllow = policies.filter((p) => p.spec.action === 'ALLOW' && !audit(p));
    const auditAllow = policies.filter((p) => p.spec.action === 'ALLOW' && audit(p));
    const admitsSomeone = (list: AuthorizationPolicy[]): boolean => list.some((p) => p.spec.rules.some((r) => admission(ctx, p, r, s, callers) === undefined));
    const report = (list: AuthorizationPolicy[], others: AuthorizationPolicy[]): void => {
      for (const p of list) {
        const whys = p.spec.rules.map((r, ri) => `rules[${ri}]: ${admission(ctx, p, r, s, callers) ?? ''}`);
        const also = others.filter((o) => o !== p).map((o) => describeRef(refOf(o)));
        lock(
          JSON.stringify(['allow', describeRef(refOf(p)), whys, also]),
          {
            resource: refOf(p),
            severity: severityOf(p),
            path: ['spec', 'rules'],
            message: (names) =>
              `no caller of ${scope(p, names)} would be allowed: ${also.length === 0 ? 'this ALLOW policy matches' : `this ALLOW policy and ${plain(also, 3)} match`} none of the ${callers.length === 1 ? 'one other service' : `${callers.length} other services`} of the mesh, ` +
              `so every caller gets 403 (${plain(whys, 3)})${remedy(p, 'Fix the references or add a rule for the callers')}`,
          },
          s,
        );
      }
    };
    if (enforcedAllow.length > 0 && !admitsSomeone(enforcedAllow)) report(enforcedAllow, enforcedAllow);
    if (auditAllow.length > 0 && !admitsSomeone([...enforcedAllow, ...auditAllow])) report(auditAllow, [...enforcedAllow, ...auditAllow]);

    // 3. Nothing allows, and the default denies.
    if (enforcedAllow.length === 0 && ctx.defaultAuthorization === 'deny') unprotected.push(s);
  }

  for (const l of lockouts.values()) out.add(l.resource, l.severity, 'DenyAllCallers', l.path, l.message(l.services));

  const mc = ctx.meshConfig;
  if (mc !== undefined && unprotected.length > 0) {
    const ack = acknowledged(mc.metadata.annotations);
    out.add(
      refOf(mc),
      ack ? 'warning' : 'error',
      'DenyAllCallers',
      ['spec', 'defaultAuthorization'],
      `defaultAuthorization deny would reject every caller of the services no enforced ALLOW policy applies to: ${quoted(unprotected.map((s) => `${s.namespace}/${s.name}`))}` +
        (ack
          ? ` (acknowledged by the annotation ${DENY_ALL_ANNOTATION}: ${DENY_ALL_ACKNOWLEDGED})`
          : `. Write an ALLOW policy for each of them first (mode: audit shows what it would deny), or annotate the MeshConfig ${DENY_ALL_ANNOTATION}: ${DENY_ALL_ACKNOWLEDGED}`),
    );
  }
}
