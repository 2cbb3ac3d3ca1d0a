'use client';

import Link from 'next/link';
import { useTRPC } from '../../lib/trpc';
import { useNamespaces } from '../namespaces/use-namespaces';
import { LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader } from '../ui/page';
import { useCannotApply } from './edit-capability';
import { KIND_LABELS, meshConfigTemplate, policyHref, type EditableKind } from './policy-kinds';
import { PolicyEditor } from './policy-editor';
import { editableYaml } from './policy-text';
import { targetName, useStoredResource } from './resource-api';

/**
 * `/policies/{namespace}/{plural}/{name}/edit` and `/mesh-config/edit`: the stored resource in the
 * editor, with its resourceVersion (so a concurrent change is caught). A mesh without a MeshConfig
 * starts from the defaults written out.
 */
export function PolicyEditPage({ namespace, kind, name }: { namespace: string | null; kind: EditableKind; name: string }) {
  const trpc = useTRPC();
  const target = { namespace, plural: KIND_LABELS[kind].plural, name };
  // Read once: a refetch must not replace the draft's base while someone edits it.
  const resource = useStoredResource(trpc, target, { staleTime: Infinity, refetchOnWindowFocus: false });
  const namespaces = useNamespaces(namespace);
  const cannotApply = useCannotApply(kind, namespaces.list.find((ns) => ns.name === namespace) ?? null, namespace);
  const title = kind === 'MeshConfig' ? 'Edit the mesh settings' : `Edit ${name}`;
  const header = <PageHeader title={title} badge={kind} back={<Link href={policyHref(namespace, kind, name)}>← {kind === 'MeshConfig' ? 'Mesh settings' : name}</Link>} />;
  if (resource.isPending || namespaces.query.isPending)
    return (
      <>
        {header}
        <LoadingState label={`Loading ${kind} ${targetName(target)}…`} />
      </>
    );
  if (resource.error)
    return (
      <>
        {header}
        <ProblemState error={resource.error} what={`${kind} ${targetName(target)}`} onRetry={() => void resource.refetch()} />
      </>
    );
  const stored = resource.data;
  return (
    <>
      {header}
      <PolicyEditor kind={kind} target={target} namespace={namespace ?? ''} initialText={stored ? editableYaml(stored) : meshConfigTemplate()} stored={stored} cannotApply={cannotApply} />
    </>
  );
}
