'use client';

import { useQuery } from '@tanstack/react-query';
import type { CaStatus } from '@weft/contracts/identity';
import { useTRPC } from '../../lib/trpc';
import { Badge, LoadingState, ProblemState, type BadgeTone } from '../ui/feedback';
import { Section } from '../ui/page';
import table from '../ui/table.module.css';
import { Timestamp } from '../ui/timestamp';
import { Fingerprint } from './fingerprint';
import { meshSettings, type MtlsMode } from './mtls';
import { RotationStepper } from './rotation-stepper';
import styles from './identity.module.css';

/** Another admin may be rotating: asked again this often. */
const REFRESH_MS = 10_000;

type Generation = CaStatus['generations'][number];

const STATE_TONES: Record<Generation['state'], BadgeTone> = { ACTIVE: 'ok', PENDING: 'accent', RETIRING: 'warn', RETIRED: 'neutral' };
const STATE_TITLES: Record<Generation['state'], string> = {
  ACTIVE: 'Issues certificates; its root is in every trust bundle',
  PENDING: 'Its root is trusted; it issues once activated',
  RETIRING: 'No longer issues; its root is still trusted until the rotation finishes',
  RETIRED: 'Trusted no more',
};
const STATE_ORDER: Generation['state'][] = ['ACTIVE', 'PENDING', 'RETIRING', 'RETIRED'];

export function MtlsBadge({ mode }: { mode: MtlsMode }) {
  return mode === 'STRICT' ? (
    <Badge tone="ok" dot title="Only mTLS: plain-text connections are refused">
      STRICT
    </Badge>
  ) : (
    <Badge tone="warn" dot title="mTLS and plain text are both served (while workloads join the mesh)">
      PERMISSIVE
    </Badge>
  );
}

function GenerationsTable({ generations }: { generations: Generation[] }) {
  const sorted = [...generations].sort((a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || b.createdAt.localeCompare(a.createdAt));
  return (
    <div className={table.scroll}>
      <table className={table.table} aria-label="CA generations">
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Root fingerprint (SHA-256)</th>
            <th scope="col">Intermediate fingerprint</th>
            <th scope="col">Root expires</th>
            <th scope="col">Created</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((g) => (
            <tr key={g.id} className={g.state === 'RETIRED' ? table.dimmed : undefined}>
              <td>
                <Badge tone={STATE_TONES[g.state]} dot title={STATE_TITLES[g.state]}>
                  {g.state}
                </Badge>
              </td>
              <td>
                <Fingerprint value={g.rootFingerprint} label="root fingerprint" />
              </td>
              <td>
                <Fingerprint value={g.intermediateFingerprint} label="intermediate fingerprint" />
              </td>
              <td>
                <Timestamp iso={g.rootNotAfter} />
              </td>
              <td>
                <Timestamp iso={g.createdAt} />
              </td>
              <td className={table.nowrap}>{g.external ? 'Operator-provided' : 'Generated'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The mesh's identity: its trust domain and mTLS mode, the CA generations whose roots make the
 * trust bundle, and the root rotation.
 */
export function MeshIdentity({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const ca = useQuery(trpc.ca.status.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const meshConfigs = useQuery(trpc.resources.clusterList.queryOptions({ plural: 'meshconfigs' }));

  const title = 'Mesh identity';
  const description = 'Every proxy proves who it is with a short-lived certificate from this CA; peers trust the roots below.';
  if (ca.isPending || meshConfigs.isPending)
    return (
      <Section id="mesh-identity" title={title} description={description} flush>
        <LoadingState label="Loading the CA…" />
      </Section>
    );
  const failed = ca.error ?? meshConfigs.error;
  if (failed || !ca.data || !meshConfigs.data)
    return (
      <Section id="mesh-identity" title={title} description={description} flush>
        <ProblemState error={failed} what="the CA" onRetry={() => void Promise.all([ca.refetch(), meshConfigs.refetch()])} />
      </Section>
    );

  const mesh = meshSettings(meshConfigs.data.items[0]);
  const active = ca.data.generations.find((g) => g.state === 'ACTIVE');
  return (
    <Section id="mesh-identity" title={title} description={description} flush>
      <dl className={styles.facts}>
        <div>
          <dt>Trust domain</dt>
          <dd>
            <code>{ca.data.trustDomain}</code>
          </dd>
        </div>
        <div>
          <dt>Mesh mTLS mode</dt>
          <dd>
            <MtlsBadge mode={mesh.mode} />
          </dd>
        </div>
        <div>
          <dt>Identities</dt>
          <dd>
            <code>
              spiffe://{ca.data.trustDomain}/ns/<i>namespace</i>/sa/<i>service</i>
            </code>
          </dd>
        </div>
      </dl>
      <GenerationsTable generations={ca.data.generations} />
      <RotationStepper phase={ca.data.phase} isAdmin={isAdmin} external={active?.external ?? false} />
    </Section>
  );
}
