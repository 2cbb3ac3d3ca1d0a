/**
 * The CA generations (docs/identity.md): which one issues, which roots the mesh trusts, and the
 * three-phase root rotation.
 *
 *   stable ──start──▶ started ──activate──▶ activated ──finish──▶ stable
 *   ACTIVE            ACTIVE + PENDING      ACTIVE(new) + RETIRING(old)   ACTIVE (old: RETIRED)
 *   bundle [A]        bundle [A, P]         bundle [new, old]             bundle [new]
 *
 * Every change runs under the CA advisory lock (repos/ca-repo.ts) and ends with a notification,
 * on which every replica reloads (`reload`) and recompiles its snapshots with the new bundle.
 */
import type { CaStatus } from '@weft/contracts/identity';
import { createCa, loadCa, type CertificateAuthority, type StoredCa } from '../../identity/ca.ts';
import { certificateFacts } from '../../identity/certs.ts';
import { auditSuccess, type AuditWriter } from '../access/audit-writer.ts';
import type { Caller } from '../access/caller.ts';
import { ConflictError, UnavailableError } from '../errors.ts';
import type { Tx } from '../transactions.ts';
import type { CaRecord, CaRepo, NewCa } from './ports.ts';

export type RotationPhase = CaStatus['phase'];

export interface CaServiceDeps {
  repo: CaRepo;
  /** The key-encryption key that seals the CA's private keys. */
  kek: Buffer;
  /** The mesh's trust domain now (MeshConfig, or its default). */
  trustDomain: () => string;
  audit: AuditWriter;
  /** An operator-provided CA (already checked), which becomes the ACTIVE generation. */
  operatorCa?: (StoredCa & { external: true }) | undefined;
  now?: () => Date;
}

function phaseOf(gens: CaRecord[]): RotationPhase {
  if (gens.some((g) => g.state === 'PENDING')) return 'started';
  if (gens.some((g) => g.state === 'RETIRING')) return 'activated';
  return 'stable';
}

function newRecord(stored: StoredCa & { external?: boolean }, trustDomain: string, state: CaRecord['state']): NewCa {
  const root = certificateFacts(stored.rootPem);
  return {
    trustDomain,
    state,
    rootPem: stored.rootPem,
    intermediatePem: stored.intermediatePem,
    sealedRootKey: stored.sealedRootKey,
    sealedIntermediateKey: stored.sealedIntermediateKey,
    rootFingerprint: root.fingerprint,
    intermediateFingerprint: certificateFacts(stored.intermediatePem).fingerprint,
    rootNotAfter: root.notAfter,
    external: stored.external ?? false,
  };
}

export function createCaService(deps: CaServiceDeps) {
  const now = deps.now ?? (() => new Date());
  let generations: CaRecord[] = [];
  /** The issuing CA, loaded for (generation id, trust domain). */
  let issuer: { key: string; ca: Promise<CertificateAuthority> } | undefined;
  const listeners: Array<(bundle: string[]) => void> = [];

  const active = () => generations.find((g) => g.state === 'ACTIVE');

  function bundleOf(gens: CaRecord[]): string[] {
    // Active first (the proxies' preferred anchor), then the one coming in or going out.
    const order = { ACTIVE: 0, PENDING: 1, RETIRING: 2, RETIRED: 3 } as const;
    return gens.filter((g) => g.state !== 'RETIRED').sort((a, b) => order[a.state] - order[b.state]).map((g) => g.rootPem);
  }

  const service = {
    /**
     * Makes sure a generation is ACTIVE (creating a root and intermediate on the first start, or
     * installing the operator's CA), then loads the generations. Safe to run on every replica at
     * once: the advisory lock makes the first create and the others find it.
     */
    async ensureActive(): Promise<void> {
      await deps.repo.locked(async (tx) => {
        const gens = await deps.repo.list(tx);
        const current = gens.find((g) => g.state === 'ACTIVE');
        if (deps.operatorCa) {
          const wanted = certificateFacts(deps.operatorCa.intermediatePem).fingerprint;
          if (current?.intermediateFingerprint === wanted) return;
          // The operator replaced the CA: the old root stays trusted until `finish`.
          if (current) await deps.repo.setState(current.id, 'RETIRING', tx);
          await deps.repo.create(newRecord(deps.operatorCa, deps.trustDomain(), 'ACTIVE'), tx);
          return;
        }
        if (current) return;
        const { stored } = await createCa(deps.trustDomain(), deps.kek, now());
        await deps.repo.create(newRecord(stored, deps.trustDomain(), 'ACTIVE'), tx);
      });
      await service.reload();
    },

    /** Reads the generations again (on start and on every CA notification). */
    async reload(): Promise<void> {
      const before = bundleOf(generations).join('\n');
      generations = await deps.repo.list();
      const a = active();
      if (a) {
        // Opening the key now turns a wrong key-encryption key into a start-up error, not a 500 later.
        await service.issuer();
      }
      const bundle = bundleOf(generations);
      if (bundle.join('\n') !== before) for (const l of listeners) l(bundle);
    },

    /** The ACTIVE CA, ready to sign for the current trust domain. */
    async issuer(): Promise<{ ca: CertificateAuthority; id: string }> {
      const a = active();
      if (!a) throw new UnavailableError('The CA is not initialised yet; retry shortly');
      const trustDomain = deps.trustDomain();
      const key = `${a.id}/${trustDomain}`;
      if (issuer?.key !== key) issuer = { key, ca: loadCa(a, deps.kek, trustDomain) };
      try {
        return { ca: await issuer.ca, id: a.id };
      } catch (err) {
        issuer = undefined;
        throw err;
      }
    },

    /** Root PEMs the mesh trusts, ACTIVE first. */
    bundle(): string[] {
      return bundleOf(generations);
    },

    /** Called with the new bundle whenever it changes. */
    onBundleChange(listener: (bundle: string[]) => void): void {
      listeners.push(listener);
    },

    status(): CaStatus {
      return {
        phase: phaseOf(generations),
        trustDomain: deps.trustDomain(),
        generations: generations.map((g) => ({
          id: g.id,
          state: g.state,
          rootFingerprint: g.rootFingerprint,
          intermediateFingerprint: g.intermediateFingerprint,
          rootNotAfter: g.rootNotAfter.toISOString(),
          external: g.external,
          createdAt: g.createdAt.toISOString(),
        })),
      };
    },

    /** Phase 1: a new root (and intermediate) joins the bundle; issuance is unchanged. */
    startRotation: (caller: Caller) =>
      rotate(caller, 'start', 'stable', async (gens, tx) => {
        if (deps.operatorCa || gens.find((g) => g.state === 'ACTIVE')?.external) {
          throw new ConflictError('Cannot start the root rotation: the CA is operator-provided (WEFT_CA_CERT_FILE); rotate it by replacing those files');
        }
        const { stored } = await createCa(deps.trustDomain(), deps.kek, now());
        return deps.repo.create(newRecord(stored, deps.trustDomain(), 'PENDING'), tx);
      }),

    /** Phase 2: the PENDING generation issues; the old ACTIVE one stays trusted as RETIRING. */
    activateRotation: (caller: Caller) =>
      rotate(caller, 'activate', 'started', async (gens, tx) => {
        const pending = gens.find((g) => g.state === 'PENDING')!;
        for (const g of gens.filter((x) => x.state === 'ACTIVE')) await deps.repo.setState(g.id, 'RETIRING', tx);
        await deps.repo.setState(pending.id, 'ACTIVE', tx);
        return pending;
      }),

    /** Phase 3: the old root leaves the bundle (do it once certificates it signed have expired). */
    finishRotation: (caller: Caller) =>
      rotate(caller, 'finish', 'activated', async (gens, tx) => {
        const retiring = gens.filter((g) => g.state === 'RETIRING');
        for (const g of retiring) await deps.repo.setState(g.id, 'RETIRED', tx);
        return retiring[0]!;
      }),
  };

  /**
   * One rotation step: under the lock, refuse unless the phase is `expected` (409 naming the
   * current one), apply `change`, audit it in the same transaction; then reload this replica.
   */
  async function rotate(caller: Caller, step: 'start' | 'activate' | 'finish', expected: RotationPhase, change: (gens: CaRecord[], tx: Tx) => Promise<CaRecord>): Promise<CaStatus> {
    await deps.repo.locked(async (tx) => {
      const gens = await deps.repo.list(tx);
      const phase = phaseOf(gens);
      if (phase !== expected) throw new ConflictError(`Cannot ${step} the root rotation: it is in phase '${phase}' (${step} needs '${expected}')`);
      const gen = await change(gens, tx);
      await auditSuccess(deps.audit, caller, tx, {
        action: `ca.${step}Rotation`,
        target: { kind: 'CertificateAuthority', id: gen.id },
        details: { rootFingerprint: gen.rootFingerprint },
      });
    });
    caller.auditRecorded = true;
    await service.reload();
    return service.status();
  }

  return service;
}

export type CaService = ReturnType<typeof createCaService>;
