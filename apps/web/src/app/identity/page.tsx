import type { Metadata } from 'next';
import { Suspense } from 'react';
import { IdentityPage } from '../../features/identity/identity-page';

export const metadata: Metadata = { title: 'Identity' };

export default function Page() {
  // The namespace is in ?namespace=, known only in the browser.
  return (
    <Suspense>
      <IdentityPage />
    </Suspense>
  );
}
