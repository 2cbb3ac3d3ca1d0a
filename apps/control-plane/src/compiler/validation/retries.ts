/**
 * Retries and non-idempotent methods. At run time the proxy retries POST, PATCH and CONNECT only
 * on `connect-failure` and `refused-stream` (the request never reached the application) unless the
 * policy sets `retryNonIdempotent: true` (docs/resources.md "Retry conditions"). So a policy whose
 * other conditions (`5xx`, `gateway-error`, …) meet such requests is safe, but does less than it
 * seems to: a warning, raised only where a route shows the service gets those methods (a rule that
 * matches POST, PATCH or CONNECT and sends to it). Rules matching any method are not evidence:
 * warning on them would flag nearly every policy, the documented default included.
 */
import { TRAFFIC_POLICY_DEFAULTS, type HttpMethod, type Retries, type RetryOn, type TrafficPolicy } from '@weft/contracts/resources';
import { serviceKey } from '../types.ts';
import type { ValidationContext } from './context.ts';
import { describeRef, formatFieldPath, plain, refOf, type Findings, type PathSegment } from './diagnostics.ts';

const NON_IDEMPOTENT: readonly HttpMethod[] = ['POST', 'PATCH', 'CONNECT'];
/** Conditions retried whatever the method: the request never reached the application. */
const ALWAYS_SAFE: readonly RetryOn[] = ['connect-failure', 'refused-stream'];

interface Evidence {
  methods: Set<HttpMethod>;
  where: string[];
}

/** Rules that match a non-idempotent method and send to `service` (in `subsets`, or any when undefined). */
function evidence(ctx: ValidationContext, namespace: string, service: string, subsets: (subset: string | undefined) => boolean): Evidence {
  const found: Evidence = { methods: new Set(), where: [] };
  for (const route of ctx.routes) {
    if (route.metadata.namespace !== namespace) continue;
    if ((ctx.attachments.get(serviceKey(namespace, route.metadata.name)) ?? []).length === 0) continue;
    route.spec.rules.forEach((rule, ri) => {
      if (!rule.backendRefs.some((b) => b.name === service && (b.weight ?? 1) > 0 && subsets(b.subset))) return;
      rule.matches?.forEach((m, mi) => {
        if (m.method === undefined || !NON_IDEMPOTENT.includes(m.method)) return;
        found.methods.add(m.method);
        found.where.push(`${describeRef(refOf(route))} ${formatFieldPath(['spec', 'rules', ri, 'matches', mi])}`);
      });
    });
  }
  return found;
}

function check(ctx: ValidationContext, out: Findings, tp: TrafficPolicy, retries: Retries | undefined, at: PathSegment[], subsets: (subset: string | undefined) => boolean): void {
  if (retries === undefined || retries.attempts === 0 || retries.retryNonIdempotent === true) return;
  const conditions = (retries.retryOn ?? TRAFFIC_POLICY_DEFAULTS.retries.retryOn).filter((c) => !ALWAYS_SAFE.includes(c));
  if (conditions.length === 0) return;
  const service = tp.spec.targetRef.name;
  const found = evidence(ctx, tp.metadata.namespace, service, subsets);
  if (found.where.length === 0) return;
  const methods = NON_IDEMPOTENT.filter((m) => found.methods.has(m)).join(' and ');
  const field = retries.retryNonIdempotent === false ? 'retryNonIdempotent' : retries.retryOn === undefined ? undefined : 'retryOn';
  out.add(
    refOf(tp),
    'warning',
    'NonIdempotentRetry',
    field === undefined ? at : [...at, field],
    `retryOn ${conditions.join(', ')} will not retry the ${methods} requests that ${plain(found.where, 3)} send${found.where.length === 1 ? 's' : ''} to '${service}': ` +
      'without retryNonIdempotent, POST, PATCH and CONNECT requests are retried only on connect-failure and refused-stream (they never reached the application). ' +
      'Set retryNonIdempotent: true if those handlers are safe to run twice (an idempotency key, say); otherwise failing them rather than repeating them is the safe default',
  );
}

export function checkRetries(ctx: ValidationContext, out: Findings): void {
  for (const tp of ctx.trafficPolicies) {
    // A subset that overrides retries uses its own section; the others use the top-level one.
    const overridden = new Set((tp.spec.subsets ?? []).filter((s) => s.retries !== undefined).map((s) => s.name));
    check(ctx, out, tp, tp.spec.retries, ['spec', 'retries'], (subset) => subset === undefined || !overridden.has(subset));
    tp.spec.subsets?.forEach((s, si) => {
      check(ctx, out, tp, s.retries, ['spec', 'subsets', si, 'retries'], (subset) => subset === s.name);
    });
  }
}
