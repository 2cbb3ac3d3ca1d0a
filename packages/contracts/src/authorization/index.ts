/**
 * `@weft/contracts/authorization`: the one implementation of AuthorizationPolicy semantics —
 * request path normalisation and policy evaluation — shared by the proxy (enforcement), the
 * control plane (dry runs, "would deny over recent traffic") and the console. Pure: no Node-only
 * APIs. See docs/authorization.md.
 */
export { normalizeRequestPath, forwardedTarget, type NormalizedPath } from './normalize-path.ts';
export {
  compileAuthorization,
  authorizationEvaluator,
  evaluateAuthorization,
  type AuthorizationAuditEntry,
  type AuthorizationEvaluator,
  type AuthorizationRequest,
  type AuthorizationVerdict,
  type DefaultAuthorization,
  type EvaluateAuthorizationInput,
} from './evaluate.ts';
export { canonicalPathPattern, compilePattern, namespaceOf, type Matcher } from './patterns.ts';
