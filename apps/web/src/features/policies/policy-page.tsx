'use client';

import { useQuery } from '@tanstack/react-query';
import { KINDS, resourceSummary, type Resource, type Revision } from '@weft/contracts/resources';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { useNamespaces } from '../namespaces/use-namespaces';
import { Button, buttonClass } from '../ui/button';
import { Alert, LoadingState, ProblemState } from '../ui/feedback';
import { PageHeader, Section } from '../ui/page';
import { DeliveryStatus } from './delivery-status';
import { downloadText } from './export-yaml';
import { useCannotApply } from './edit-capability';
import { KIND_LABELS, policyHref, type PolicyKind } from './policy-kinds';
import { portableYaml } from './policy-text';
import { RevertFlow } from './revert-flow';
import { RevisionHistory } from './revision-history';
import styles from './policies.module.css';

/**
 * `/policies/{namespace}/{plural}/{name}`: one policy — what it says now, which proxies have it,
 * and its history, from which an earlier revision can be reverted to (after review).
 */
export function PolicyPage({ namespace, kind, name }: { namespace: string; kind: PolicyKind; name: string }) {
  const trpc = useTRPC();
  const target = { namespace, plural: KIND_LABELS[kind].plural, name };
  const applied = useSearchParams().get('applied');
  const resource = useQuery(trpc.resources.get.queryOptions(target));
  const namespaces = useNamespaces(namespace);
  const cannotApply = useCannotApply(namespaces.list.find((ns) => ns.name === namespace) ?? null, namespace);
  const [reverting, setReverting] = useState<Revision | null>(null);
  const back = <Link href={`/policies?namespace=${encodeURIComponent(namespace)}`}>← Policies in {namespace}</Link>;

  if (resource.isPending || namespaces.query.isPending)
    return (
      <>
        <PageHeader title={name} back={back} />
        <LoadingState label={`Loading ${kind} ${namespace}/${name}…`} />
      </>
    );
  if (resource.error)
    return (
      <>
        <PageHeader title={name} back={back} />
        <ProblemState error={resource.error} what={`${kind} ${namespace}/${name}`} onRetry={() => void resource.refetch()} />
      </>
    );
  const stored = resource.data;
  const parsed = KINDS[kind].schema.safeParse(stored);
  const summary = parsed.success ? resourceSummary(parsed.data as Resource) : '';

  if (reverting)
    return (
      <>
        <PageHeader title={name} badge={kind} back={back} />
        <RevertFlow target={target} current={stored} revision={reverting} cannotApply={cannotApply} onCancel={() => setReverting(null)} />
      </>
    );

  return (
    <>
      <PageHeader
        title={name}
        badge={kind}
        back={back}
        description={summary}
        actions={
          <>
            <Button onClick={() => downloadText(`${namespace}-${kind.toLowerCase()}-${name}.yaml`, portableYaml(stored))}>Download YAML</Button>
            {cannotApply === null && (
              <Link className={buttonClass('primary')} href={policyHref(namespace, kind, name, 'edit')}>
                Edit
              </Link>
            )}
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
        <RevisionHistory target={target} canRevert={cannotApply === null} onRevert={setReverting} />
      </Section>
    </>
  );
}
