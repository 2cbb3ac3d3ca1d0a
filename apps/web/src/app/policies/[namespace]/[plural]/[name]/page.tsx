import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { PolicyPage } from '../../../../../features/policies/policy-page';
import { policyKindOfPlural } from '../../../../../features/policies/policy-kinds';

export const metadata: Metadata = { title: 'Policy' };

export default async function Page({ params }: PageProps<'/policies/[namespace]/[plural]/[name]'>) {
  const { namespace, plural, name } = await params;
  const kind = policyKindOfPlural(plural);
  if (!kind) notFound();
  // `?applied=` is in the query string, known only in the browser.
  return (
    <Suspense>
      <PolicyPage namespace={decodeURIComponent(namespace)} kind={kind} name={decodeURIComponent(name)} />
    </Suspense>
  );
}
