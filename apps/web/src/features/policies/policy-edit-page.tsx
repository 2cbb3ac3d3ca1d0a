'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../../lib/trpc';
import { useNamespaces } from '../namespaces/use-namespaces';
import { LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader } from '../ui/page';
import { useCannotApply } from './edit-capability';
import { KIND_LABELS, policyHref, type PolicyKind } from './policy-kinds';
import { PolicyEditor } from './policy-editor';
import { editableYaml } from './policy-text';

/** `/policies/{namespace}/{plural}/{name}/edit`: the stored policy in the editor, with its resourceVersion (so a concurrent change is caught). */
export function PolicyEditPage({ namespace, kind, name }: { namespace: string; kind: PolicyKind; name: string }) {
  const trpc = useTRPC();
  const target = { namespace, plural: KIND_LABELS[kind].plural, name };
  // Read once: a refetch must not replace the draft's base while someone edits it.
  const resource = useQuery(trpc.resources.get.queryOptions(target, { staleTime: Infinity, refetchOnWindowFocus: false }));
  const namespaces = useNamespaces(namespace);
  const cannotApply = useCannotApply(namespaces.list.find((ns) => ns.name === namespace) ?? null, namespace);
  const back = <Link href={policyHref(namespace, kind, name)}>← {name}</Link>;
  const header = <PageHeader title={`Edit ${name}`} badge={kind} back={back} />;
  if (resource.isPending || namespaces.query.isPending)
    return (
      <>
        {header}
        <LoadingState label={`Loading ${kind} ${namespace}/${name}…`} />
      </>
    );
  if (resource.error)
    return (
      <>
        {header}
        <ProblemState error={resource.error} what={`${kind} ${namespace}/${name}`} onRetry={() => void resource.refetch()} />
      </>
    );
  return (
    <>
      {header}
      <PolicyEditor kind={kind} target={target} namespace={namespace} initialText={editableYaml(resource.data)} stored={resource.data} cannotApply={cannotApply} />
    </>
  );
}
