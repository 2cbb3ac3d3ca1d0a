/**
 * The proxy's workload identity (issue 6). What the mTLS layer consumes:
 *
 *   identity.current(): WorkloadCredentials | undefined   (undefined before the first certificate and past expiry)
 *   identity.onChange(cb)                                  (after each rotation, and on expiry with undefined)
 *
 * and what it verifies peers with (peer-verify.ts).
 */
export type { WorkloadCredentials, WorkloadIdentity, IdentityManager, IdentityEvent, CredentialKind } from './identity-manager.ts';
export { createIdentityManager, renewalTime, RENEW_AT, RENEW_JITTER, FAILING_BELOW } from './identity-manager.ts';
export { createPeerVerifier, verifyPeer, parseSubjectAltName, PEER_REJECTIONS, type PeerRejection, type PeerRole, type PeerVerdict, type TrustBundle } from './peer-verify.ts';
export { signWorkloadProof, workloadProofHeader, x5c } from './proof.ts';
