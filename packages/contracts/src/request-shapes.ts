/**
 * Request shapes: what an inbound proxy saw, aggregated to the fields authorization decides on —
 * (caller's verified SPIFFE ID, method, normalized path, service port) → count — so the control
 * plane can answer "what would this draft AuthorizationPolicy have denied over the last hour?"
 * by evaluating the draft over recorded traffic (docs/authorization.md "Preview").
 *
 * Sent as `{type: 'requests', ...}` on the proxy stream every flush interval, in as many messages
 * as needed (REQUEST_SHAPE_LIMITS.shapes each). Headers are not recorded (they can carry secrets
 * and are unbounded), so a rule with `when` conditions is previewed without them and the answer
 * says so. A proxy keeps a bounded number of distinct shapes per interval; requests beyond it are
 * counted in `dropped`, and the preview reports them as not recorded.
 */
import { z } from 'zod';

export const REQUEST_SHAPE_LIMITS = {
  /** Shapes per message: the largest message stays under STREAM_LIMITS.messageBytes (a test proves it). */
  shapes: 128,
  principalLength: 512,
  pathLength: 1024,
  methodLength: 16,
  count: 0xffff_ffff,
} as const;

export const RequestShapeSchema = z.object({
  /** The caller's verified SPIFFE ID; null: not authenticated (plain text in PERMISSIVE mode). */
  principal: z
    .string()
    .max(REQUEST_SHAPE_LIMITS.principalLength)
    .regex(/^spiffe:\/\/[\x21-\x7e]+$/, 'must be a SPIFFE ID (spiffe://…, printable ASCII)')
    .nullable(),
  method: z
    .string()
    .min(1)
    .max(REQUEST_SHAPE_LIMITS.methodLength)
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP method token'),
  /** The normalized path (no query), as authorization matched it. */
  path: z
    .string()
    .min(1)
    .max(REQUEST_SHAPE_LIMITS.pathLength)
    .regex(/^\/[\x21-\x7e]*$/, "must start with '/' and be printable ASCII without spaces"),
  /** The service port the request was sent to. */
  port: z.number().int().min(1).max(65535),
  count: z.number().int().min(1).max(REQUEST_SHAPE_LIMITS.count),
});
export type RequestShape = z.infer<typeof RequestShapeSchema>;

export const RequestShapesSchema = z.object({
  /** [startMs, endMs) of the proxy's clock. */
  window: z.object({ startMs: z.number().int().min(0), endMs: z.number().int().min(0) }),
  shapes: z.array(RequestShapeSchema).max(REQUEST_SHAPE_LIMITS.shapes),
  /** Requests of the window not in `shapes` (over the proxy's cap). */
  dropped: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type RequestShapes = z.infer<typeof RequestShapesSchema>;
