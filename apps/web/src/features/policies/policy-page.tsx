'use client';

import { KINDS, resourceSummary, type Resource, type Revision } from '@weft/contracts/resources';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { useNamespaces } from '../namespaces/use-namespaces';
import { Button, buttonClass } from '../ui/button';
import { Alert, EmptyState, LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader, Section } from '../ui/page';
import { DeleteFlow } from './delete-flow';
import { DeliveryStatus } from './delivery-status';
import { useCannotApply } from './edit-capability';
import { downloadText } from './export-yaml';
import { KIND_LABELS, policyHref, type EditableKind } from './policy-kinds';
import { portableYaml } from './policy-text';
import { targetName, useStoredResource } from './resource-api';
import { RevertFlow } from './revert-flow';
import { RevisionHistory } from './revision-history';
import styles from './policies.module.css';

type Flow = { name: 'view' } | { name: 'revert'; revision: Revision } | { name: 'delete' };

/**
 * `/policies/{namespace}/{plural}/{name}` and `/mesh-config`: one policy (or the mesh settings) —
 * what it says now, which proxies have it, and its history, from which an earlier revision can be
 * reverted to; delete, export and edit from here. Reverting and deleting go through review.
 */
export function PolicyPage({ namespace, kind, name }: { namespace: string | null; kind: EditableKind; name: string }) {
  const trpc = useTRPC();
  const target = { namespace, plural: KIND_LABELS[kind].plural, name };
  const applied = useSearchParams().get('applied');
  const resource = useStoredResource(trpc, target);
  const namespaces = useNamespaces(namespace);
  const cannotApply = useCannotApply(kind, namespaces.list.find((ns) => ns.name === namespace) ?? null, namespace);
  const [flow, setFlow] = useState<Flow>({ name: 'view' });
  const back = kind === 'MeshConfig' ? <Link href="/policies">← Policies</Link> : <Link href={`/policies?namespace=${encodeURIComponent(namespace ?? '')}`}>← Policies in {namespace}</Link>;
  const title = kind === 'MeshConfig' ? 'Mesh settings' : name;
  const editLink =
    cannotApply === null ? (
      <Link className={buttonClass('primary')} href={policyHref(namespace, kind, name, 'edit')}>
        {resource.data === null ? 'Write one' : 'Edit'}
      </Link>
    ) : undefined;

  if (resource.isPending || namespaces.query.isPending)
    return (
      <>
        <PageHeader title={title} back={back} />
        <LoadingState label={`Loading ${kind} ${targetName(target)}…`} />
      </>
    );
  if (resource.error)
    return (
      <>
        <PageHeader title={title} back={back} />
        <ProblemState error={resource.error} what={`${kind} ${targetName(target)}`} onRetry={() => void resource.refetch()} />
      </>
    );
  if (resource.data === null)
    return (
      <>
        <PageHeader title={title} badge={kind} back={back} actions={editLink} />
        <EmptyState title="No MeshConfig: the defaults apply">
          mTLS STRICT between every pair of proxies, requests no AuthorizationPolicy decides are allowed, trust domain weft.local.{' '}
          {cannotApply ?? 'Write a MeshConfig to change them.'}
        </EmptyState>
      </>
    );
  const stored = resource.data;
  const parsed = KINDS[kind].schema.safeParse(stored);
  const summary = parsed.success ? resourceSummary(parsed.data as Resource) : '';

  if (flow.name === 'revert')
    return (
      <>
        <PageHeader title={title} badge={kind} back={back} />
        <RevertFlow target={target} current={stored} revision={flow.revision} cannotApply={cannotApply} onCancel={() => setFlow({ name: 'view' })} />
      </>
    );
  if (flow.name === 'delete')
    return (
      <>
        <PageHeader title={title} badge={kind} back={back} />
        <DeleteFlow target={target} current={stored} cannotApply={cannotApply} onCancel={() => setFlow({ name: 'view' })} />
      </>
    );

  return (
    <>
      <PageHeader
        title={title}
        badge={kind}
        back={back}
        description={summary}
        actions={
          <>
            <Button onClick={() => downloadText(`${namespace ?? 'cluster'}-${kind.toLowerCase()}-${name}.yaml`, portableYaml(stored))}>Download YAML</Button>
            {cannotApply === null && (
              <Button variant="danger" onClick={() => setFlow({ name: 'delete' })}>
                Delete
              </Button>
            )}
            {editLink}
          </>
        }
      />
      {applied && (
        <Alert tone="success">
          <p>Applied revision {applied}. Proxies get it within seconds: delivery is below.</p>
        </Alert>
      )}
      <Section id="delivery" title="Delivery" description={`Which proxies have revision ${stored.metadata.generation}.`}>
        <DeliveryStatus target={target} />
      </Section>
      <Section id="spec" title="Current spec" description={`Revision ${stored.metadata.generation}, resourceVersion ${stored.metadata.resourceVersion}.`} flush>
        <pre className={styles.yamlView} aria-label="Current YAML" tabIndex={0}>
          {portableYaml(stored)}
        </pre>
      </Section>
      <Section id="history" title="History" description={cannotApply === null ? 'Revert creates a new revision with the earlier spec, after the same review as an edit.' : undefined} flush>
        <RevisionHistory target={target} canRevert={cannotApply === null} onRevert={(revision) => setFlow({ name: 'revert', revision })} />
      </Section>
    </>
  );
}
