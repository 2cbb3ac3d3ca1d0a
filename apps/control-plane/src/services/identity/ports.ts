/**
 * What the identity services need from storage (implemented in repos/ca-repo.ts,
 * join-tokens-repo.ts, certificates-repo.ts), the workload principal they produce, and the
 * services as the API layer sees them.
 *
 * The API-facing interfaces are declared here rather than as `ReturnType<…>` of the services:
 * the console type-checks the router's types with the DOM's lib, and must not reach identity/
 * (Node's WebCrypto types, which clash with the DOM's).
 */
import type { CaStatus, IssuedCertificateResponse } from '@weft/contracts/identity';
import type { Caller } from '../access/caller.ts';
import type { Principal } from '../authz/policy.ts';
import type { Tx } from '../transactions.ts';

export type CaState = 'PENDING' | 'ACTIVE' | 'RETIRING' | 'RETIRED';

/** One CA generation as stored; the keys are sealed envelopes (identity/key-envelope.ts). */
export interface CaRecord {
  id: string;
  trustDomain: string;
  state: CaState;
  rootPem: string;
  intermediatePem: string;
  sealedRootKey: string;
  sealedIntermediateKey: string;
  rootFingerprint: string;
  intermediateFingerprint: string;
  rootNotAfter: Date;
  external: boolean;
  createdAt: Date;
}

export type NewCa = Omit<CaRecord, 'id' | 'createdAt'>;

export interface CaRepo {
  /** Every generation, newest first. */
  list(tx?: Tx): Promise<CaRecord[]>;
  /**
   * Runs `fn` in one transaction holding the CA's advisory lock, so that replicas starting or
   * rotating at the same time act one after the other; ends by notifying every replica.
   */
  locked<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  create(data: NewCa, tx: Tx): Promise<CaRecord>;
  setState(id: string, state: CaState, tx: Tx): Promise<void>;
}

export interface JoinTokenRecord {
  id: string;
  prefix: string;
  namespace: string;
  service: string;
  expiresAt: Date;
  maxUses: number;
  uses: number;
  revokedAt: Date | null;
  createdById: string | null;
  createdByName: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface JoinTokensRepo {
  create(data: Omit<JoinTokenRecord, 'id' | 'createdAt' | 'uses' | 'revokedAt' | 'lastUsedAt'> & { tokenHash: string }, tx?: Tx): Promise<JoinTokenRecord>;
  findByHash(tokenHash: string): Promise<JoinTokenRecord | null>;
  findById(id: string): Promise<JoinTokenRecord | null>;
  list(namespace: string): Promise<JoinTokenRecord[]>;
  revoke(id: string, at: Date, tx?: Tx): Promise<boolean>;
  /**
   * Counts one use, atomically: only while unrevoked, unexpired at `at`, under maxUses and for
   * this namespace + service. False when another request took the last use first.
   */
  consume(id: string, scope: { namespace: string; service: string }, at: Date, tx: Tx): Promise<boolean>;
}

export type CertificateCredentialKind = 'join_token' | 'api_token' | 'proof';

export interface WorkloadCertificateRecord {
  serialNumber: string;
  proxyId: string;
  namespace: string;
  service: string;
  spiffeId: string;
  notBefore: Date;
  notAfter: Date;
  issuedAt: Date;
  credential: CertificateCredentialKind;
  caId: string;
}

export interface CertificatesRepo {
  record(data: Omit<WorkloadCertificateRecord, 'issuedAt'>, tx: Tx): Promise<void>;
  /** The newest certificate of each proxy in `namespaces` (null: all). */
  latestPerProxy(namespaces: string[] | null): Promise<WorkloadCertificateRecord[]>;
  /** Deletes the records of certificates that expired before `before`; returns how many. */
  pruneExpired(before: Date): Promise<number>;
}

/** A proxy authenticated by a WeftProof: it may act only as this workload. */
export interface WorkloadPrincipal {
  kind: 'workload';
  namespace: string;
  service: string;
  spiffeId: string;
  /** When the certificate that proved it expires: a stream it opened is closed then. */
  notAfter: Date;
}

/** What the `Authorization` header of a certificate request carried (parsed by the API layer). */
export type CertificateCredential =
  | { kind: 'join'; secret: string }
  | { kind: 'proof'; jws: string }
  /** An API token or session, already authenticated by the usual authenticator. */
  | { kind: 'principal'; principal: Principal | null; problem: string | null }
  /** A session request the API layer refused (a forged cross-site request): 403, audited as denied. */
  | { kind: 'refused'; principal: Principal | null; reason: string };

/** The CA as the API uses it (services/identity/ca-service.ts). */
export interface CaApi {
  status(): CaStatus;
  startRotation(caller: Caller): Promise<CaStatus>;
  activateRotation(caller: Caller): Promise<CaStatus>;
  finishRotation(caller: Caller): Promise<CaStatus>;
}

/** Certificates as the API uses them (services/identity/certificates.ts). */
export interface CertificatesApi {
  issue(credential: CertificateCredential, body: unknown, caller: Caller): Promise<IssuedCertificateResponse>;
  authenticateWorkload(jws: string): Promise<WorkloadPrincipal>;
  latestPerProxy(namespaces: string[] | null): Promise<WorkloadCertificateRecord[]>;
}
