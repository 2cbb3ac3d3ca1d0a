import type { Metadata } from 'next';
import { Suspense } from 'react';
import { NewPolicyPage } from '../../../features/policies/new-policy-page';

export const metadata: Metadata = { title: 'New policy' };

export default function Page() {
  // Kind, namespace and service are in the query string, known only in the browser.
  return (
    <Suspense>
      <NewPolicyPage />
    </Suspense>
  );
}
