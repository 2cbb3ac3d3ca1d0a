/** What the listeners use from resilience/: the inbound rate limiter and the failure shape. */
export { createRateLimiter, type RateLimiter } from './rate-limiter.ts';
export { isUpstreamFailure, UpstreamFailureError, upstreamFailure } from './failure.ts';
