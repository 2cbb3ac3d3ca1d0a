/**
 * authorization/: AuthorizationPolicy enforcement on the inbound side — the `authorize` hook of
 * the inbound listener, its metrics and the request-shape aggregate. The semantics (path
 * normalisation, evaluation) live in @weft/contracts/authorization, shared with the control plane.
 */
export { createInboundAuthorizer, DENIED_BY_HEADER, type InboundAuthorizerHandle, type InboundAuthorizerOptions } from './authorizer.ts';
export { createShapeReporter } from './shape-reports.ts';
export { createRequestShapeAggregate, REQUEST_SHAPE_DEFAULTS, type RequestShape, type RequestShapes, type RequestShapeAggregate } from './request-shapes.ts';
