'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTRPC } from '../../lib/trpc';
import { canEditNamespace } from '../auth/roles';
import { useMe } from '../auth/use-whoami';
import { EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { SelectField } from '../ui/field';
import { PageHeader, Section } from '../ui/page';
import { DraftEditor } from './draft-editor';
import { WINDOWS, windowOf } from './format';
import { PoliciesInEffect } from './policies-in-effect';
import styles from './authorization.module.css';

/**
 * `/policies/authorization?namespace=<ns>&window=<1h>`: from a draft AuthorizationPolicy to an
 * enforced one. The policies in effect with what each rule decided over recorded traffic; a draft
 * previewed over the same traffic, then applied in audit mode, then enforced. The namespace and
 * the window are in the URL so a view can be linked to.
 */
export function AuthorizationPage() {
  const me = useMe();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const namespaces = useQuery(trpc.namespaces.list.queryOptions());

  const header = (
    <PageHeader title="Authorization" description="Who may call your services: see what a policy would deny on recorded traffic before you enforce it." />
  );
  if (namespaces.isPending)
    return (
      <>
        {header}
        <LoadingState label="Loading your namespaces…" />
      </>
    );
  if (namespaces.error)
    return (
      <>
        {header}
        <ProblemState error={namespaces.error} what="your namespaces" onRetry={() => void namespaces.refetch()} />
      </>
    );
  if (namespaces.data.length === 0)
    return (
      <>
        {header}
        <Section id="no-namespace" title="No namespace to show" narrow>
          <EmptyState title="You can see no namespace yet">
            Policies belong to a namespace, and namespaces to a team. {me.isAdmin ? <Link href="/teams">Assign one to a team</Link> : 'Ask an admin to add you to a team.'}
          </EmptyState>
        </Section>
      </>
    );

  const list = [...namespaces.data].sort((a, b) => a.name.localeCompare(b.name));
  const selected = list.find((ns) => ns.name === params.get('namespace')) ?? list[0]!;
  const window = windowOf(params.get('window'));
  const go = (change: { namespace?: string; window?: string }) => {
    const next = new URLSearchParams({ namespace: change.namespace ?? selected.name, window: change.window ?? window });
    router.replace(`${pathname}?${next.toString()}`);
  };

  return (
    <>
      {header}
      <div className={styles.pickers}>
        <SelectField label="Namespace" value={selected.name} onChange={(e) => go({ namespace: e.target.value })}>
          {list.map((ns) => (
            <option key={ns.name} value={ns.name}>
              {ns.name} ({ns.teamName})
            </option>
          ))}
        </SelectField>
        <SelectField label="Window" value={window} onChange={(e) => go({ window: e.target.value })} hint="Recorded traffic to evaluate.">
          {WINDOWS.map((w) => (
            <option key={w.value} value={w.value}>
              Last {w.label}
            </option>
          ))}
        </SelectField>
      </div>
      <PoliciesInEffect namespace={selected.name} window={window} />
      <DraftEditor key={selected.name} namespace={selected.name} window={window} canEdit={canEditNamespace(me, selected)} />
    </>
  );
}
