/**
 * The proxy's workload identity over time (issue 6): get a certificate, keep it, renew it, and
 * stop offering it the moment it expires.
 *
 *   start ─▶ state dir holds a valid key + certificate? ─ yes ─▶ use it (the control plane may be away)
 *              │ no                                                │
 *              ▼                                                   ▼
 *   issue: fresh P-256 key + CSR ─▶ POST CERTIFICATE_PATH ─▶ checked (our key, our SPIFFE ID)
 *              ▲  credential: WeftProof (a valid certificate) → join token → API token;
 *              │  a refused one (401/403) falls through to the next in the same attempt
 *              │                                                   │
 *      failure: retry after capped exponential backoff             ▼ persist (0600), swap, onChange
 *      with jitter (1 s … min(5 min, lifetime/10))        renew at 50 % ± 10 % of the lifetime
 *
 * Fail closed: `current()` is undefined once `notAfter` has passed, whatever happens to renewal,
 * and onChange fires then too, so the mTLS layer drops the credentials.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { IssuedCertificateSchema, type IssuedCertificateResponse } from '@weft/contracts/identity';
import { CertificateRequestError, checkIssued, requestCertificate, type CheckedCertificate } from './certificate-client.ts';
import { createKeyAndCsr } from './csr.ts';
import { identityMetricsText } from './metrics.ts';
import { workloadProofHeader } from './proof.ts';

/** What the mTLS layer consumes: the key, the chain to present, and the roots to verify peers with. */
export interface WorkloadCredentials {
  key: KeyObject;
  /** PEM, leaf first, then the issuing intermediate. */
  certChainPem: string;
  spiffeId: string;
  notAfter: Date;
  /** PEM roots from the issuance response (during a root rotation, old and new). */
  roots: string[];
}

export type CredentialKind = 'workload-proof' | 'join-token' | 'api-token';

/** For logs; never carries a key or a token. */
export type IdentityEvent =
  | { type: 'loaded'; spiffeId: string; notAfter: string; renewAt: string }
  | { type: 'load-problem'; problem: string }
  | { type: 'issued'; spiffeId: string; serialNumber: string; validFrom: string; notAfter: string; renewAt: string; credential: CredentialKind }
  | { type: 'refused'; credential: CredentialKind; error: string }
  | { type: 'failed'; error: string; failures: number; retryInMs: number }
  | { type: 'expired'; notAfter: string; lastError: string | undefined }
  | { type: 'persist-failed'; error: string }
  | { type: 'listener-failed'; error: string };

export interface WorkloadIdentity {
  /** The credentials to serve with; undefined before the first certificate and once it has expired. */
  current(): WorkloadCredentials | undefined;
  /** Called after each rotation, and on expiry (with undefined). Returns an unsubscribe function. */
  onChange(cb: (credentials: WorkloadCredentials | undefined) => void): () => void;
}

export interface IdentityManager extends WorkloadIdentity {
  /** Loads the persisted identity, then issues or schedules renewal. Never fails on control-plane trouble. */
  start(): Promise<void>;
  stop(): void;
  /** undefined when a valid certificate is held; otherwise why not (for /ready). */
  notReadyReason(): string | undefined;
  /** `WeftProof <jws>` with a fresh proof, or undefined without a valid certificate. */
  proofHeader(): Promise<string | undefined>;
  /** Prometheus text of the identity families (metrics.ts). */
  metricsText(): string;
  /** Issues now (also what the timers call); resolves true when a certificate was obtained. */
  renew(): Promise<boolean>;
  /**
   * The snapshot's trust bundle (active root first). When the held certificate does not chain to
   * the active root — a root rotation switched issuance — renew soon (within ROTATION_RENEW_WITHIN_MS,
   * jittered), so `finish` can follow in seconds instead of a certificate lifetime.
   */
  bundleChanged(roots: readonly string[]): void;
}

/** Upper bound of the jittered delay before renewing onto a newly active root. */
export const ROTATION_RENEW_WITHIN_MS = 10_000;

export interface IdentityManagerOptions {
  controlPlaneUrl: string;
  namespace: string;
  service: string;
  proxyId: string;
  /** Single-use bootstrap token (`weft_join_…`). */
  joinToken?: string | undefined;
  /** API token with the editor role on the namespace. */
  apiToken?: string | undefined;
  state: {
    saveIdentity(files: { keyPem: string; certificateJson: string }): Promise<void>;
    loadIdentity(): Promise<{ keyPem: string; certificateJson: string } | null>;
  };
  /** The mesh's trust domain when known (the snapshot's MeshConfig); pins the expected SPIFFE ID. */
  trustDomain?: () => string | undefined;
  onEvent?: (event: IdentityEvent) => void;
  now?: () => number;
  random?: () => number;
  /** First retry after about this long (default 1 s)… */
  initialBackoffMs?: number;
  /** …doubling up to this (default 5 min; never more than a tenth of the certificate's lifetime). */
  maxBackoffMs?: number;
  requestTimeoutMs?: number;
}

/** Renewal at RENEW_AT ± RENEW_JITTER of the lifetime, so a fleet issued together spreads out. */
export const RENEW_AT = 0.5;
export const RENEW_JITTER = 0.1;
/** The alert: renewal failing with less than this share of the lifetime left. */
export const FAILING_BELOW = 0.25;
/** setTimeout's largest delay; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** When to renew a certificate valid from `notBefore` to `notAfter`; `r` uniform in [0, 1). */
export function renewalTime(notBefore: Date, notAfter: Date, r: number): number {
  const fraction = RENEW_AT + (r * 2 - 1) * RENEW_JITTER;
  return notBefore.getTime() + fraction * (notAfter.getTime() - notBefore.getTime());
}

interface Held extends CheckedCertificate {
  key: KeyObject;
  credentials: WorkloadCredentials;
  renewAt: number;
  /**
   * Where its useful life starts: when it arrived (a loaded one: its notBefore). Not notBefore
   * itself: the CA back-dates certificates for clock skew (5 min), which for a short lifetime
   * would put half-life in the past and renew in a loop.
   */
  validFrom: Date;
}

export function createIdentityManager(opts: IdentityManagerOptions): IdentityManager {
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const initialBackoff = opts.initialBackoffMs ?? 1_000;
  const maxBackoff = opts.maxBackoffMs ?? 300_000;
  const emit = (e: IdentityEvent) => opts.onEvent?.(e);
  const listeners = new Set<(c: WorkloadCredentials | undefined) => void>();

  let held: Held | undefined;
  let failures = 0;
  let lastError: string | undefined;
  let lastAttemptFailed = false;
  let joinTokenSpent = false;
  const renewals = { success: 0, failure: 0 };
  let renewTimer: NodeJS.Timeout | undefined;
  let expiryTimer: NodeJS.Timeout | undefined;
  let inFlight: Promise<boolean> | undefined;
  let stopped = true;
  let abort = new AbortController();
  let lastActiveRoot: string | undefined;

  const valid = (h: Held | undefined): h is Held => h !== undefined && now() < h.notAfter.getTime();
  const lifetime = (h: Held) => h.notAfter.getTime() - h.validFrom.getTime();

  function notify(): void {
    const creds = valid(held) ? held.credentials : undefined;
    for (const cb of listeners) {
      try {
        cb(creds);
      } catch (err) {
        emit({ type: 'listener-failed', error: (err as Error).message });
      }
    }
  }

  function arm(at: number, fn: () => void): NodeJS.Timeout {
    const delay = Math.max(0, at - now());
    const t = setTimeout(() => (delay > MAX_TIMER_MS ? arm(at, fn) : fn()), Math.min(delay, MAX_TIMER_MS));
    t.unref();
    return t;
  }

  function scheduleRenewal(at: number): void {
    if (stopped) return;
    if (renewTimer) clearTimeout(renewTimer);
    renewTimer = arm(at, () => void renew());
  }

  function scheduleExpiry(h: Held): void {
    if (expiryTimer) clearTimeout(expiryTimer);
    expiryTimer = arm(h.notAfter.getTime(), () => {
      if (held !== h) return;
      // Timers run on a monotonic clock and may fire a millisecond before the wall clock says.
      if (now() < h.notAfter.getTime()) return scheduleExpiry(h);
      emit({ type: 'expired', notAfter: h.notAfter.toISOString(), lastError });
      notify();
    });
  }

  function adopt(key: KeyObject, checked: CheckedCertificate, arrived: boolean): Held {
    const validFrom = arrived ? new Date(Math.max(checked.notBefore.getTime(), Math.min(now(), checked.notAfter.getTime()))) : checked.notBefore;
    const next: Held = {
      ...checked,
      key,
      validFrom,
      renewAt: renewalTime(validFrom, checked.notAfter, random()),
      credentials: Object.freeze({ key, certChainPem: checked.certChainPem, spiffeId: checked.spiffeId, notAfter: checked.notAfter, roots: [...checked.roots] }),
    };
    held = next;
    scheduleExpiry(next);
    return next;
  }

  function trustDomain(): string | undefined {
    return opts.trustDomain?.() ?? (held ? /^spiffe:\/\/([^/]+)\//.exec(held.spiffeId)?.[1] : undefined);
  }

  async function loadPersisted(): Promise<void> {
    let files;
    try {
      files = await opts.state.loadIdentity();
    } catch (err) {
      emit({ type: 'load-problem', problem: `cannot read the persisted identity: ${(err as Error).message}` });
      return;
    }
    if (!files) return;
    try {
      const key = createPrivateKey(files.keyPem);
      const issued = IssuedCertificateSchema.parse(JSON.parse(files.certificateJson));
      const checked = checkIssued(issued, { privateKey: key, namespace: opts.namespace, service: opts.service, trustDomain: opts.trustDomain?.(), now: now() });
      const h = adopt(key, checked, false);
      emit({ type: 'loaded', spiffeId: h.spiffeId, notAfter: h.notAfter.toISOString(), renewAt: new Date(h.renewAt).toISOString() });
    } catch (err) {
      emit({ type: 'load-problem', problem: `the persisted identity cannot be used (${(err as Error).message}); requesting a new one` });
    }
  }

  /** Credentials to try, best first. */
  async function credentials(): Promise<Array<{ kind: CredentialKind; header: () => Promise<string> }>> {
    const out: Array<{ kind: CredentialKind; header: () => Promise<string> }> = [];
    const h = held;
    if (valid(h)) out.push({ kind: 'workload-proof', header: () => workloadProofHeader({ key: h.key, certChainPem: h.certChainPem, spiffeId: h.spiffeId }, new Date(now())) });
    if (opts.joinToken && !joinTokenSpent) out.push({ kind: 'join-token', header: async () => `Bearer ${opts.joinToken}` });
    if (opts.apiToken) out.push({ kind: 'api-token', header: async () => `Bearer ${opts.apiToken}` });
    return out;
  }

  async function attempt(): Promise<{ key: KeyObject; checked: CheckedCertificate; issued: IssuedCertificateResponse; credential: CredentialKind }> {
    const choices = await credentials();
    if (choices.length === 0) throw new CertificateRequestError('no credential to request a certificate with: give --join-token (WEFT_PROXY_JOIN_TOKEN) or --token (WEFT_PROXY_TOKEN)');
    const pair = await createKeyAndCsr();
    const request = { namespace: opts.namespace, service: opts.service, proxyId: opts.proxyId, csr: pair.csrPem };
    let last: Error | undefined;
    for (const choice of choices) {
      try {
        const issued = await requestCertificate({
          url: opts.controlPlaneUrl,
          authorization: await choice.header(),
          request,
          secrets: [opts.joinToken, opts.apiToken],
          signal: abort.signal,
          ...(opts.requestTimeoutMs !== undefined ? { timeoutMs: opts.requestTimeoutMs } : {}),
        });
        // Single use: spent once the control plane accepted it, whatever the answer's fate here.
        if (choice.kind === 'join-token') joinTokenSpent = true;
        const checked = checkIssued(issued, { privateKey: pair.privateKey, namespace: opts.namespace, service: opts.service, trustDomain: trustDomain(), now: now() });
        return { key: pair.privateKey, checked, issued, credential: choice.kind };
      } catch (err) {
        last = err as Error;
        if (!(err instanceof CertificateRequestError && err.refused)) throw err;
        if (choice.kind === 'join-token') joinTokenSpent = true;
        emit({ type: 'refused', credential: choice.kind, error: last.message });
      }
    }
    throw last!;
  }

  async function run(): Promise<boolean> {
    try {
      const { key, checked, issued, credential } = await attempt();
      // Saved before it is used, so a restart right after a rotation comes back with this one.
      try {
        await opts.state.saveIdentity({ keyPem: key.export({ type: 'pkcs8', format: 'pem' }) as string, certificateJson: JSON.stringify(issued) });
      } catch (err) {
        emit({ type: 'persist-failed', error: (err as Error).message });
      }
      if (stopped) return false;
      const h = adopt(key, checked, true);
      failures = 0;
      lastError = undefined;
      lastAttemptFailed = false;
      renewals.success++;
      emit({ type: 'issued', spiffeId: h.spiffeId, serialNumber: h.serialNumber, validFrom: h.validFrom.toISOString(), notAfter: h.notAfter.toISOString(), renewAt: new Date(h.renewAt).toISOString(), credential });
      scheduleRenewal(h.renewAt);
      notify();
      return true;
    } catch (err) {
      if (stopped) return false;
      failures++;
      renewals.failure++;
      lastAttemptFailed = true;
      lastError = (err as Error).message;
      const cap = held ? Math.max(initialBackoff, Math.min(maxBackoff, lifetime(held) / 10)) : maxBackoff;
      const ceiling = Math.min(cap, initialBackoff * 2 ** Math.min(failures - 1, 30));
      const retryInMs = Math.round(ceiling / 2 + (random() * ceiling) / 2);
      emit({ type: 'failed', error: lastError, failures, retryInMs });
      scheduleRenewal(now() + retryInMs);
      return false;
    }
  }

  function renew(): Promise<boolean> {
    inFlight ??= run().finally(() => (inFlight = undefined));
    return inFlight;
  }

  return {
    async start() {
      if (!stopped) return;
      stopped = false;
      abort = new AbortController();
      await loadPersisted();
      if (valid(held) && held.renewAt > now()) scheduleRenewal(held.renewAt);
      else void renew();
      if (valid(held)) notify();
    },
    stop() {
      stopped = true;
      abort.abort();
      if (renewTimer) clearTimeout(renewTimer);
      if (expiryTimer) clearTimeout(expiryTimer);
    },
    current: () => (valid(held) ? held.credentials : undefined),
    onChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    notReadyReason() {
      const h = held;
      if (h && now() < h.notAfter.getTime()) return undefined;
      const why = lastError ?? 'requesting one from the control plane';
      return h ? `workload certificate expired at ${h.notAfter.toISOString()}: ${why}` : `no workload certificate yet: ${why}`;
    },
    async proofHeader() {
      const h = held;
      return valid(h) ? workloadProofHeader({ key: h.key, certChainPem: h.certChainPem, spiffeId: h.spiffeId }, new Date(now())) : undefined;
    },
    metricsText() {
      const failing = lastAttemptFailed && held !== undefined && held.notAfter.getTime() - now() < FAILING_BELOW * lifetime(held);
      return identityMetricsText({ ready: valid(held), notAfter: held?.notAfter, renewals, failing });
    },
    renew,
    bundleChanged(roots) {
      const h = held;
      const active = roots[0];
      if (stopped || !valid(h) || active === undefined || active === lastActiveRoot) return;
      lastActiveRoot = active;
      if (chainsTo(h.certChainPem, active)) return;
      const at = now() + random() * Math.min(ROTATION_RENEW_WITHIN_MS, lifetime(h) / 20);
      if (at < h.renewAt) scheduleRenewal(at);
    },
  };
}

/** Does the last certificate of `chainPem` verify under `rootPem` (or is it that root)? */
function chainsTo(chainPem: string, rootPem: string): boolean {
  try {
    const certs = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const last = new X509Certificate(certs[certs.length - 1] ?? '');
    const root = new X509Certificate(rootPem);
    return last.fingerprint256 === root.fingerprint256 || (last.checkIssued(root) && last.verify(root.publicKey));
  } catch {
    return false;
  }
}
