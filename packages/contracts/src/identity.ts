/**
 * Workload identity (issue 6, docs/identity.md): how a proxy gets and renews its certificate.
 *
 *   proxy: key pair made locally (never leaves it) ─▶ CSR
 *     POST CERTIFICATE_PATH {namespace, service, proxyId, csr}
 *       Authorization: Bearer weft_join_…      (bootstrap: a join token scoped to namespace + service)
 *                    | Bearer weft_…           (an API token with the editor role on the namespace)
 *                    | WeftProof <JWS>         (renewal: signed with the current certificate's key)
 *     ◀─ {certificateChain: [leaf, intermediate], trustBundle: [roots], spiffeId, notBefore, notAfter}
 *
 * The control plane signs only the identity the credential allows:
 * `spiffe://<trustDomain>/ns/<namespace>/sa/<service>` as the only URI SAN.
 *
 * WeftProof: a compact JWS (ES256) whose protected header carries `x5c` (the current certificate
 * chain, leaf first, base64 DER) and whose payload is {aud: WORKLOAD_PROOF.audience, sub: the
 * SPIFFE ID, iat, exp} with exp - iat ≤ WORKLOAD_PROOF.maxLifetimeSeconds. It proves possession
 * of a key whose certificate the mesh CA issued and that is valid now; it authenticates the
 * proxy's stream (STREAM_PATH) and its renewals, so a single-use join token is needed only once.
 */
import { z } from 'zod';

export const CERTIFICATE_PATH = '/api/v1/identity/certificates';
export const JOIN_TOKEN_PREFIX = 'weft_join_';
export const WORKLOAD_PROOF = { scheme: 'WeftProof', audience: 'weft-control-plane', maxLifetimeSeconds: 300 } as const;

const Dns = z
  .string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and -, starting and ending with a letter or digit');

export const CertificateRequestSchema = z.object({
  namespace: Dns,
  service: Dns,
  /** The proxy asking (for the fleet view: certificate expiry per proxy). */
  proxyId: z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits, ".", "_", ":" or "-"'),
  /** PKCS#10 in PEM, ECDSA P-256, signed by the key it certifies. */
  csr: z.string().min(1).max(16 * 1024),
});
export type CertificateRequest = z.infer<typeof CertificateRequestSchema>;

export const IssuedCertificateSchema = z.object({
  spiffeId: z.string().startsWith('spiffe://'),
  /** PEM, leaf first, then the issuing intermediate: what the proxy presents in TLS. */
  certificateChain: z.array(z.string()).min(1),
  /** PEM roots the proxy trusts (during a root rotation, old and new). */
  trustBundle: z.array(z.string()).min(1),
  serialNumber: z.string(),
  notBefore: z.string().datetime(),
  notAfter: z.string().datetime(),
});
export type IssuedCertificateResponse = z.infer<typeof IssuedCertificateSchema>;

/** Join tokens: at most 30 days, at most 1000 uses. */
export const JOIN_TOKEN_LIMITS = { maxLifetimeMs: 30 * 24 * 3_600_000, maxUses: 1000 } as const;

/** A join token as listed (never its secret; `prefix` is its first characters, for recognition). */
export const JoinTokenSchema = z.object({
  id: z.string(),
  prefix: z.string(),
  namespace: z.string(),
  service: z.string(),
  expiresAt: z.string().datetime(),
  maxUses: z.number().int(),
  uses: z.number().int(),
  revokedAt: z.string().datetime().nullable(),
  createdBy: z.string(),
  createdAt: z.string().datetime(),
  lastUsedAt: z.string().datetime().nullable(),
});
export type JoinToken = z.infer<typeof JoinTokenSchema>;

/** The answer to creating a join token: the secret (`weft_join_…`) is in this response only. */
export const CreatedJoinTokenSchema = z.object({ token: JoinTokenSchema, secret: z.string().startsWith(JOIN_TOKEN_PREFIX) });
export type CreatedJoinToken = z.infer<typeof CreatedJoinTokenSchema>;

export const CaStateSchema = z.enum(['PENDING', 'ACTIVE', 'RETIRING', 'RETIRED']);
/** Root rotation phase: `stable` (one ACTIVE root), `started` (a PENDING one too), `activated` (a RETIRING one too). */
export const RotationPhaseSchema = z.enum(['stable', 'started', 'activated']);

/** The CA as the console shows it: public data only (fingerprints, dates, states). */
export const CaStatusSchema = z.object({
  phase: RotationPhaseSchema,
  trustDomain: z.string(),
  generations: z.array(
    z.object({
      id: z.string(),
      state: CaStateSchema,
      rootFingerprint: z.string(),
      intermediateFingerprint: z.string(),
      rootNotAfter: z.string().datetime(),
      external: z.boolean(),
      createdAt: z.string().datetime(),
    }),
  ),
});
export type CaStatus = z.infer<typeof CaStatusSchema>;

/** The newest certificate issued to each proxy (the fleet's certificate expiry column). */
export const ProxyCertificateSchema = z.object({
  proxyId: z.string(),
  namespace: z.string(),
  service: z.string(),
  spiffeId: z.string(),
  serialNumber: z.string(),
  notAfter: z.string().datetime(),
  issuedAt: z.string().datetime(),
});
export type ProxyCertificate = z.infer<typeof ProxyCertificateSchema>;
