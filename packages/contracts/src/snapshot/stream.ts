/**
 * The proxy stream: one WebSocket per proxy to a control-plane replica, at STREAM_PATH, with the
 * subprotocol STREAM_SUBPROTOCOL and `Authorization: Bearer <token>` on the upgrade request.
 * Every message is one JSON text frame validated with these schemas.
 *
 *   proxy                                   control plane
 *     ── hello {registration, currentVersion} ─▶   registers (or refreshes) the endpoint
 *     ◀── welcome {proxyId, replica, …} ──────
 *     ◀── snapshot {version, snapshot} ───────    only when `currentVersion` differs
 *     ── ack {version} | nack {version, error} ▶  recorded in the delivery ledger
 *     ◀── snapshot …                               each time this proxy's snapshot changes
 *     ── telemetry {batch} ───────────────────▶   every flush interval (telemetry.ts)
 *     ── requests {requests} ─────────────────▶   inbound request shapes (request-shapes.ts)
 *     ── goodbye ─────────────────────────────▶   graceful shutdown: deregister now
 *
 * Resuming: `currentVersion` in `hello` is the version the proxy serves (its last-known-good on
 * disk); a reconnecting proxy that is current gets no snapshot at all. A NACKed version is never
 * sent again to that proxy (not on reconnect either); the next different version is.
 *
 * Liveness: the server pings every `heartbeatIntervalMs`; the open stream is the heartbeat. An
 * endpoint whose proxy is not connected to any replica for `endpointExpiryMs` leaves the inventory.
 * The server closes with a STREAM_CLOSE code and a reason text on errors.
 */
import { z } from 'zod';
import { RequestShapesSchema } from '../request-shapes.ts';
import { TelemetryBatchSchema } from '../telemetry.ts';

export const STREAM_PATH = '/api/v1/proxies/stream';
export const STREAM_SUBPROTOCOL = 'weft.stream.v1';

/** Close codes the server uses (4000–4999 are the application's range in RFC 6455). */
export const STREAM_CLOSE = {
  /** A message was not valid JSON or not one of the schemas below; the reason names the field. */
  badMessage: 4000,
  /** Missing or invalid credentials. Do not retry with the same token. */
  unauthenticated: 4001,
  /** The token may not register proxies in this namespace. Do not retry with the same token. */
  forbidden: 4003,
  /** The same proxyId connected again (to this or another replica); this stream is obsolete. */
  replaced: 4009,
  /** The first message did not arrive in time. */
  helloTimeout: 4008,
  /** The replica is shutting down: reconnect (to any replica). */
  goingAway: 1001,
} as const;

const Dns = z
  .string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and -, starting and ending with a letter or digit');
const Port = z.number().int().min(1).max(65535);

/** The proxy's own id: stable across restarts (kept in its state dir), unique in the mesh. */
export const ProxyIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits, ".", "_", ":" or "-"');

/** A service this workload calls: `name` (same namespace) or `name.namespace`. */
export const DependencyRefSchema = z
  .string()
  .max(127)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)?$/, 'must be <service> or <service>.<namespace>');

/** `messageBytes`: the largest frame a proxy may send; a maximal telemetry batch fits (telemetry.test.ts). */
export const STREAM_LIMITS = { ports: 32, dependencies: 256, errorLength: 4096, messageBytes: 256 * 1024 } as const;

export const RegistrationSchema = z.object({
  proxyId: ProxyIdSchema,
  namespace: Dns,
  service: Dns,
  /** The version label: the subset this instance belongs to. */
  version: Dns,
  /** Where peers reach this proxy's inbound listener: an IP address or a host name. */
  address: z.string().min(1).max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be an IP address or a host name'),
  inboundPort: Port,
  /** The service's ports, used when no Service resource declares them. Default: one `http` port 80. */
  ports: z
    .array(z.object({ name: Dns, port: Port, protocol: z.enum(['http', 'http2', 'grpc', 'tcp']).optional(), targetPort: Port.optional() }))
    .max(STREAM_LIMITS.ports)
    .optional(),
  /** The services this workload calls. Absent: all of them (every change to any service reaches it). */
  dependencies: z.array(DependencyRefSchema).max(STREAM_LIMITS.dependencies).optional(),
});
export type Registration = z.infer<typeof RegistrationSchema>;

export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    registration: RegistrationSchema,
    /** The snapshot version the proxy serves now (last-known-good), if any. */
    currentVersion: z.string().max(128).optional(),
  }),
  z.object({ type: z.literal('ack'), version: z.string().min(1).max(128) }),
  z.object({ type: z.literal('nack'), version: z.string().min(1).max(128), error: z.string().min(1).max(STREAM_LIMITS.errorLength) }),
  z.object({ type: z.literal('goodbye') }),
  /** Counters, histograms and sampled spans since the previous batch (TelemetryBatchSchema). */
  z.object({ type: z.literal('telemetry'), batch: TelemetryBatchSchema }),
  /** Inbound request shapes since the previous message, for the authorization preview (request-shapes.ts). */
  z.object({ type: z.literal('requests'), requests: RequestShapesSchema }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export const ServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    proxyId: ProxyIdSchema,
    /** The replica serving this stream (for logs and the fleet view). */
    replica: z.string(),
    heartbeatIntervalMs: z.number().int().positive(),
    endpointExpiryMs: z.number().int().positive(),
  }),
  z.object({
    type: z.literal('snapshot'),
    version: z.string(),
    /** Validate with ProxySnapshotSchema before use; NACK with the error when it fails. */
    snapshot: z.unknown(),
  }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
