'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTRPC } from '../../lib/trpc';
import { canManageNamespace } from '../auth/roles';
import { useMe } from '../auth/use-whoami';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { SelectField } from '../ui/field';
import { PageHeader, Section } from '../ui/page';
import { JoinTokens } from './join-tokens';
import { MeshIdentity } from './mesh-identity';
import { NamespaceCertificates } from './namespace-certificates';
import styles from './identity.module.css';

/**
 * `/identity?namespace=<ns>`: workload identity for platform and security engineers. The mesh's
 * CA and its root rotation (for everyone; the rotation buttons for admins), then per namespace the
 * services' mTLS mode, each proxy's certificate, and the join tokens (for owners and admins).
 */
export function IdentityPage() {
  const me = useMe();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const namespaces = useQuery(trpc.namespaces.list.queryOptions());

  const header = <PageHeader title="Identity" description="Who each proxy is: the mesh CA, mTLS per service, certificates per proxy, and the join tokens that bootstrap them." />;
  let perNamespace;
  if (namespaces.isPending) perNamespace = <LoadingState label="Loading your namespaces…" />;
  else if (namespaces.error) perNamespace = <ProblemState error={namespaces.error} what="your namespaces" onRetry={() => void namespaces.refetch()} />;
  else if (namespaces.data.length === 0)
    perNamespace = (
      <Section id="no-namespace" title="No namespace to show" narrow>
        <EmptyState title="You can see no namespace yet">
          Certificates and join tokens belong to a namespace, and namespaces to a team.{' '}
          {me.isAdmin ? <Link href="/teams">Assign one to a team</Link> : 'Ask an admin to add you to a team.'}
        </EmptyState>
      </Section>
    );
  else {
    const list = [...namespaces.data].sort((a, b) => a.name.localeCompare(b.name));
    const selected = list.find((ns) => ns.name === params.get('namespace')) ?? list[0]!;
    perNamespace = (
      <>
        <div className={styles.picker}>
          <SelectField label="Namespace" value={selected.name} onChange={(e) => router.replace(`${pathname}?namespace=${encodeURIComponent(e.target.value)}`)}>
            {list.map((ns) => (
              <option key={ns.name} value={ns.name}>
                {ns.name} ({ns.teamName})
              </option>
            ))}
          </SelectField>
        </div>
        <NamespaceCertificates key={`certs-${selected.name}`} namespace={selected.name} />
        {canManageNamespace(me, selected) && <JoinTokens key={`tokens-${selected.name}`} namespace={selected.name} />}
      </>
    );
  }

  return (
    <>
      {header}
      <MeshIdentity isAdmin={me.isAdmin} />
      {perNamespace}
    </>
  );
}
