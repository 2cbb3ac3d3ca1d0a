import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AuthorizationPage } from '../../../features/authorization/authorization-page';

export const metadata: Metadata = { title: 'Authorization' };

export default function Page() {
  // The namespace and window are in ?namespace=&window=, known only in the browser.
  return (
    <Suspense>
      <AuthorizationPage />
    </Suspense>
  );
}
