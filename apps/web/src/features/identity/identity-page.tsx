'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { canManageNamespace } from '../auth/roles';
import { useMe } from '../auth/use-whoami';
import { namespacesNotReady, NoNamespaceYet } from '../namespaces/namespaces-gate';
import { NamespaceField } from '../namespaces/scope-fields';
import { useNamespaces } from '../namespaces/use-namespaces';
import { PageHeader } from '../ui/page';
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
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const namespaces = useNamespaces(null);

  const header = <PageHeader title="Identity" description="Who each proxy is: the mesh CA, mTLS per service, certificates per proxy, and the join tokens that bootstrap them." />;
  const list = namespaces.list;
  const selected = list.find((ns) => ns.name === params.get('namespace')) ?? list[0];
  // The mesh's CA shows whatever becomes of the namespaces.
  const perNamespace =
    namespacesNotReady(null, namespaces.query) ??
    (selected === undefined ? (
      <NoNamespaceYet what="Certificates and join tokens" />
    ) : (
      <>
        <div className={styles.picker}>
          <NamespaceField value={selected.name} namespaces={list} onChange={(value) => router.replace(`${pathname}?namespace=${encodeURIComponent(value)}`)} />
        </div>
        <NamespaceCertificates key={`certs-${selected.name}`} namespace={selected.name} />
        {canManageNamespace(me, selected) && <JoinTokens key={`tokens-${selected.name}`} namespace={selected.name} />}
      </>
    ));

  return (
    <>
      {header}
      <MeshIdentity isAdmin={me.isAdmin} />
      {perNamespace}
    </>
  );
}
