import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PolicyEditPage } from '../../../../../../features/policies/policy-edit-page';
import { policyKindOfPlural } from '../../../../../../features/policies/policy-kinds';

export const metadata: Metadata = { title: 'Edit policy' };

export default async function Page({ params }: PageProps<'/policies/[namespace]/[plural]/[name]/edit'>) {
  const { namespace, plural, name } = await params;
  const kind = policyKindOfPlural(plural);
  if (!kind) notFound();
  return <PolicyEditPage namespace={decodeURIComponent(namespace)} kind={kind} name={decodeURIComponent(name)} />;
}
