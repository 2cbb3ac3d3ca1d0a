/**
 * Backend weights of each HTTPRoute rule. Weights are relative (Gateway API): `95/5` and `19/1`
 * split alike, so a sum other than 100 is only a warning that says the split it gives. A rule whose
 * weights are all 0 answers every request it matches with 500: an error.
 */
import { HTTP_ROUTE_DEFAULTS, type BackendRef } from '@weft/contracts/resources';
import type { ValidationContext } from './context.ts';
import { percent, plain, refOf, type Findings } from './diagnostics.ts';

function label(ref: BackendRef): string {
  return `${ref.name}${ref.subset === undefined ? '' : `/${ref.subset}`}${ref.port === undefined ? '' : `:${ref.port}`}`;
}

export function checkWeights(ctx: ValidationContext, out: Findings): void {
  for (const route of ctx.routes) {
    const resource = refOf(route);
    route.spec.rules.forEach((rule, ri) => {
      const at = ['spec', 'rules', ri, 'backendRefs'];
      const weights = rule.backendRefs.map((b) => b.weight ?? HTTP_ROUTE_DEFAULTS.backendWeight);
      const sum = weights.reduce((a, b) => a + b, 0);
      if (sum === 0) {
        out.add(resource, 'error', 'ZeroWeight', at, 'every backendRef of this rule has weight 0, so each request it matches would be answered 500; give at least one backend a positive weight, or remove the rule');
        return;
      }
      // One backend takes everything whatever its weight; weights all left out split evenly, as meant.
      if (rule.backendRefs.length < 2 || rule.backendRefs.every((b) => b.weight === undefined) || sum === 100) return;
      const split = rule.backendRefs.map((b, i) => `${label(b)} ${percent(((weights[i] ?? 0) * 100) / sum)}`);
      out.add(
        resource,
        'warning',
        'WeightsNotHundred',
        at,
        `weights sum to ${sum}, not 100; weights are relative, so requests split ${plain(split, 16)}. Make them sum to 100 if you meant percentages`,
      );
    });
  }
}
