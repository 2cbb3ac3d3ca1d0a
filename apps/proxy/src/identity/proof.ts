/**
 * The workload proof (`Authorization: WeftProof <jws>`, packages/contracts/src/identity.ts): a
 * compact JWS, ES256, signed with the current workload key, whose protected header carries the
 * certificate chain (`x5c`, base64 DER, leaf first) and whose payload is
 * {aud: WORKLOAD_PROOF.audience, sub: the SPIFFE ID, iat, exp = iat + 300}.
 *
 * A fresh proof per use (each stream connection attempt, each renewal): it lives five minutes at
 * most, so a proof seen in a log or a proxy's memory is soon worthless.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { WORKLOAD_PROOF } from '@weft/contracts/identity';
import { SignJWT } from 'jose';

export interface ProofSigner {
  key: KeyObject;
  certChainPem: string;
  spiffeId: string;
}

/** The PEM certificates of a chain, in order. */
export function splitPem(chainPem: string): string[] {
  return chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** base64 DER of each certificate, leaf first (the JOSE `x5c` form). */
export function x5c(chainPem: string): string[] {
  return splitPem(chainPem).map((pem) => new X509Certificate(pem).raw.toString('base64'));
}

/** A compact JWS proving possession of `key`, valid for WORKLOAD_PROOF.maxLifetimeSeconds. */
export async function signWorkloadProof(signer: ProofSigner, now: Date = new Date()): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: x5c(signer.certChainPem) })
    .setAudience(WORKLOAD_PROOF.audience)
    .setSubject(signer.spiffeId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + WORKLOAD_PROOF.maxLifetimeSeconds)
    .sign(signer.key);
}

/** The Authorization header value for a proof. */
export async function workloadProofHeader(signer: ProofSigner, now?: Date): Promise<string> {
  return `${WORKLOAD_PROOF.scheme} ${await signWorkloadProof(signer, now)}`;
}
