'use client';

import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMe } from '../auth/use-whoami';
import { canEditNamespace } from '../auth/roles';
import { namespacesNotReady } from '../namespaces/namespaces-gate';
import { useNamespaces } from '../namespaces/use-namespaces';
import { EmptyState } from '../ui/feedback';
import { SelectField } from '../ui/field';
import { PageHeader, Section } from '../ui/page';
import { isPolicyKind, KIND_LABELS, newPolicyTemplate, POLICY_KINDS, type PolicyKind } from './policy-kinds';
import { PolicyEditor } from './policy-editor';
import styles from './policies.module.css';

/**
 * `/policies/new?namespace=&kind=&service=`: a new policy from a template of its kind, in a
 * namespace the user may edit; then the same check, review and apply as an edit.
 */
export function NewPolicyPage() {
  const me = useMe();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const namespaces = useNamespaces(params.get('namespace'));
  const kindParam = params.get('kind');
  const kind: PolicyKind = isPolicyKind(kindParam) ? kindParam : 'HTTPRoute';
  const service = params.get('service') ?? undefined;
  const header = <PageHeader title="New policy" back={<Link href="/policies">← Policies</Link>} />;
  const notReady = namespacesNotReady(header, namespaces.query);
  if (notReady) return notReady;
  const editable = namespaces.list.filter((ns) => canEditNamespace(me, ns));
  if (editable.length === 0)
    return (
      <>
        {header}
        <EmptyState title="No namespace you can change">Policies are written by editors of the team that owns a namespace. Ask an owner of your team to make you an editor.</EmptyState>
      </>
    );
  const namespace = editable.find((ns) => ns.name === params.get('namespace'))?.name ?? editable[0]!.name;
  const go = (change: { namespace?: string; kind?: PolicyKind }) => {
    const next = new URLSearchParams({ namespace: change.namespace ?? namespace, kind: change.kind ?? kind });
    if (service) next.set('service', service);
    router.replace(`${pathname}?${next.toString()}`);
  };
  return (
    <>
      {header}
      <Section id="new-policy-kind" title="What to write" description="Picking another kind or namespace starts the draft again from its template.">
        <div className={styles.filters}>
          <SelectField label="Kind" value={kind} onChange={(e) => go({ kind: e.target.value as PolicyKind })} hint={KIND_LABELS[kind].description}>
            {POLICY_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </SelectField>
          <SelectField label="Namespace" value={namespace} onChange={(e) => go({ namespace: e.target.value })}>
            {editable.map((ns) => (
              <option key={ns.name} value={ns.name}>
                {ns.name} ({ns.teamName})
              </option>
            ))}
          </SelectField>
        </div>
      </Section>
      <PolicyEditor key={`${kind}/${namespace}`} kind={kind} target={null} namespace={namespace} initialText={newPolicyTemplate(kind, namespace, service)} stored={null} cannotApply={null} />
    </>
  );
}
