/**
 * SnapshotAck: the proxy's answer to a pushed snapshot (DESIGN.md "From a policy change to
 * traffic", step 4). ACK: the version is validated, swapped in and saved as last-known-good.
 * NACK: it was rejected; the proxy keeps its previous snapshot and the control plane must not
 * push the same version again in a loop.
 */
import { z } from 'zod';

const Base = {
  /** The proxy answering (the inventory's proxyId). */
  proxyId: z.string().min(1),
  /** The `version` of the snapshot this answers. */
  version: z.string().min(1),
};

export const SnapshotAckSchema = z.discriminatedUnion('ok', [
  z.object({ ...Base, ok: z.literal(true) }),
  z.object({
    ...Base,
    ok: z.literal(false),
    /** Why the proxy rejected it (schema error, unsupported field…), for the console. */
    error: z.string().min(1).max(4096),
  }),
]);
export type SnapshotAck = z.infer<typeof SnapshotAckSchema>;
