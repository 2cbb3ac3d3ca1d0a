'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { canEditNamespace } from '../auth/roles';
import { useMe } from '../auth/use-whoami';
import { pickNamespace } from '../namespaces/namespaces-gate';
import { NamespaceField } from '../namespaces/scope-fields';
import { useNamespaces } from '../namespaces/use-namespaces';
import { SelectField } from '../ui/field';
import { PageHeader } from '../ui/page';
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
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const namespaces = useNamespaces(null);

  const header = (
    <PageHeader title="Authorization" description="Who may call your services: see what a policy would deny on recorded traffic before you enforce it." />
  );
  const picked = pickNamespace(header, namespaces, params.get('namespace'), 'Policies');
  if ('page' in picked) return picked.page;
  const { selected, list } = picked;
  const window = windowOf(params.get('window'));
  const go = (change: { namespace?: string; window?: string }) => {
    const next = new URLSearchParams({ namespace: change.namespace ?? selected.name, window: change.window ?? window });
    router.replace(`${pathname}?${next.toString()}`);
  };

  return (
    <>
      {header}
      <div className={styles.pickers}>
        <NamespaceField value={selected.name} namespaces={list} onChange={(namespace) => go({ namespace })} />
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
