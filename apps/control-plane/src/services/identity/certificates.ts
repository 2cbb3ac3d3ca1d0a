/**
 * Workload certificates (POST CERTIFICATE_PATH): checks the credential, signs the CSR with the
 * ACTIVE CA for exactly the identity the credential allows, and records the certificate.
 *
 *   credential ─▶ who may be certified ─▶ CSR checked + signed ─▶ tx { use join token,
 *                 (401 / 403)              (400 naming csr)          log certificate, audit }
 *
 * A join token is checked before signing and used inside the transaction by one conditional
 * UPDATE, so a single-use token used twice at once issues once, and a bad CSR never uses it up.
 * Every request writes one audit entry (success, denied or failure), never with a secret in it.
 */
import { CertificateRequestSchema, type CertificateRequest, type IssuedCertificateResponse } from '@weft/contracts/identity';
import { CsrError } from '../../identity/ca.ts';
import { ProofError, verifyWorkloadProof } from '../../identity/proof.ts';
import type { AuditWriter } from '../access/audit-writer.ts';
import { actorOf, type Actor, type Caller } from '../access/caller.ts';
import { sha256Hex } from '../access/secrets.ts';
import { decide } from '../authz/policy.ts';
import { DomainError, ForbiddenError, InvalidInputError, UnauthenticatedError } from '../errors.ts';
import type { TransactionRunner } from '../transactions.ts';
import type { CaService } from './ca-service.ts';
import { isJoinTokenShape } from './join-tokens.ts';
import type { CertificateCredential, CertificateCredentialKind, CertificatesApi, CertificatesRepo, JoinTokenRecord, JoinTokensRepo, WorkloadPrincipal } from './ports.ts';

export interface CertificateServiceDeps {
  ca: CaService;
  joinTokens: JoinTokensRepo;
  certificates: CertificatesRepo;
  audit: AuditWriter;
  transactions: TransactionRunner;
  /** The team owning a namespace (undefined: no such namespace). */
  namespaceTeam: (namespace: string) => Promise<string | undefined>;
  trustDomain: () => string;
  lifetimeMs: number;
  now?: () => Date;
}

const ACTION = 'identity.issueCertificate';

export function createCertificateService(deps: CertificateServiceDeps): CertificatesApi {
  const now = deps.now ?? (() => new Date());

  /** A verified WeftProof's workload, or UnauthenticatedError saying why not. */
  async function workloadOf(jws: string): Promise<WorkloadPrincipal> {
    try {
      const proof = await verifyWorkloadProof(jws, deps.ca.bundle(), now());
      if (proof.trustDomain !== deps.trustDomain()) throw new ProofError(`the proof's identity is in trust domain ${proof.trustDomain}, not this mesh's (${deps.trustDomain()})`);
      return { kind: 'workload', namespace: proof.namespace, service: proof.service, spiffeId: proof.spiffeId, notAfter: proof.notAfter };
    } catch (err) {
      if (err instanceof ProofError) throw new UnauthenticatedError(`WeftProof refused: ${err.message}`);
      throw err;
    }
  }

  /** Who is asking, and the join token to use up (checked here, used in the transaction). */
  async function authorize(credential: Exclude<CertificateCredential, { kind: 'refused' }>, req: CertificateRequest): Promise<{ actor: Actor; kind: CertificateCredentialKind; joinToken?: JoinTokenRecord }> {
    const wanted = `${req.namespace}/${req.service}`;
    if (credential.kind === 'join') {
      const token = isJoinTokenShape(credential.secret) ? await deps.joinTokens.findByHash(sha256Hex(credential.secret)) : null;
      const at = now();
      if (!token || token.revokedAt || at >= token.expiresAt || token.uses >= token.maxUses) {
        throw new UnauthenticatedError('The join token is invalid, expired, revoked or used up');
      }
      const actor: Actor = { type: 'token', id: token.id, name: `join token ${token.prefix}` };
      if (token.namespace !== req.namespace || token.service !== req.service) {
        throw Object.assign(new ForbiddenError(`This join token is for ${token.namespace}/${token.service}, not ${wanted}`), { actor });
      }
      return { actor, kind: 'join_token', joinToken: token };
    }
    if (credential.kind === 'proof') {
      const workload = await workloadOf(credential.jws);
      const actor: Actor = { type: 'anonymous', id: null, name: workload.spiffeId.slice(0, 128) };
      if (workload.namespace !== req.namespace || workload.service !== req.service) {
        throw Object.assign(new ForbiddenError(`The proof is for ${workload.namespace}/${workload.service}, not ${wanted}`), { actor });
      }
      return { actor, kind: 'proof' };
    }
    if (!credential.principal) {
      throw new UnauthenticatedError(`Authentication required: ${credential.problem ?? 'send Authorization: Bearer weft_join_… (a join token), Bearer weft_… (an API token) or WeftProof <JWS>'}`);
    }
    const actor = actorOf(credential.principal);
    const decision = decide(credential.principal, { kind: 'namespace', role: 'editor', field: 'namespace' }, await deps.namespaceTeam(req.namespace));
    // "hide" answers 403 too: this endpoint does not tell which namespaces exist.
    if (decision.outcome !== 'allow') throw Object.assign(new ForbiddenError(`Certificates for ${wanted} need the editor role on the namespace's team`), { actor });
    return { actor, kind: 'api_token' };
  }

  async function issue(credential: CertificateCredential, body: unknown, caller: Caller): Promise<IssuedCertificateResponse> {
    // Refused before the body is looked at: a forged request is a 403 whatever it carries.
    if (credential.kind === 'refused') throw Object.assign(new ForbiddenError(credential.reason), { actor: actorOf(credential.principal) });
    const parsed = CertificateRequestSchema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
      throw new InvalidInputError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
    }
    const req = parsed.data;
    const who = await authorize(credential, req);
    const { ca, id: caId } = await deps.ca.issuer();
    const identity = { trustDomain: deps.trustDomain(), namespace: req.namespace, service: req.service };
    let cert;
    try {
      cert = await ca.issue(req.csr, identity, { lifetimeMs: deps.lifetimeMs, now: now() });
    } catch (err) {
      if (err instanceof CsrError) throw Object.assign(new InvalidInputError(err.message, [{ path: 'csr', message: err.message.replace(/^csr: /, '') }]), { actor: who.actor });
      throw err;
    }
    await deps.transactions.run(async (tx) => {
      if (who.joinToken && !(await deps.joinTokens.consume(who.joinToken.id, req, now(), tx))) {
        throw Object.assign(new UnauthenticatedError('The join token is invalid, expired, revoked or used up'), { actor: who.actor });
      }
      await deps.certificates.record(
        { serialNumber: cert.serialNumber, proxyId: req.proxyId, namespace: req.namespace, service: req.service, spiffeId: cert.spiffeId, notBefore: cert.notBefore, notAfter: cert.notAfter, credential: who.kind, caId },
        tx,
      );
      await deps.audit.append(
        {
          actor: who.actor,
          action: ACTION,
          target: { kind: 'WorkloadCertificate', id: cert.serialNumber, namespace: req.namespace },
          outcome: 'success',
          requestId: caller.requestId,
          sourceAddress: caller.sourceAddress,
          details: { proxyId: req.proxyId, spiffeId: cert.spiffeId, credential: who.kind, notAfter: cert.notAfter.toISOString() },
        },
        tx,
      );
    });
    caller.auditRecorded = true;
    return {
      spiffeId: cert.spiffeId,
      certificateChain: [cert.certificatePem, ...cert.chainPem],
      trustBundle: deps.ca.bundle(),
      serialNumber: cert.serialNumber,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
    };
  }

  return {
    /**
     * Issues a certificate for `body` (a CertificateRequest) if `credential` allows it. Throws
     * InvalidInputError (400), UnauthenticatedError (401) or ForbiddenError (403); each outcome is
     * audited once.
     */
    async issue(credential: CertificateCredential, body: unknown, caller: Caller): Promise<IssuedCertificateResponse> {
      try {
        return await issue(credential, body, caller);
      } catch (err) {
        if (!caller.auditRecorded && err instanceof DomainError) {
          const actor = (err as { actor?: Actor }).actor ?? (credential.kind === 'principal' ? actorOf(credential.principal) : actorOf(null));
          // Only a well-formed name goes into the entry (the body may hold anything).
          const raw = typeof body === 'object' && body !== null ? (body as { namespace?: unknown }).namespace : undefined;
          const namespace = typeof raw === 'string' && /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(raw) ? raw : null;
          await deps.audit.append({
            actor,
            action: ACTION,
            ...(namespace ? { target: { kind: 'Namespace', id: namespace, namespace } } : {}),
            outcome: err instanceof InvalidInputError ? 'failure' : 'denied',
            reason: err.message.slice(0, 1024),
            requestId: caller.requestId,
            sourceAddress: caller.sourceAddress,
          });
          caller.auditRecorded = true;
        }
        throw err;
      }
    },

    /** The workload a WeftProof authenticates (the proxy stream's credential). */
    authenticateWorkload: workloadOf,

    /** The newest certificate of each proxy in `namespaces` (null: every namespace). */
    latestPerProxy: (namespaces: string[] | null) => deps.certificates.latestPerProxy(namespaces),
  };
}

