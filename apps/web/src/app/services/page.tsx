import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ServicesPage } from '../../features/services/services-page';

export const metadata: Metadata = { title: 'Services' };

export default function Page() {
  // The view is in the query string, known only in the browser.
  return (
    <Suspense>
      <ServicesPage />
    </Suspense>
  );
}
