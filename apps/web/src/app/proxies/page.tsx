import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FleetPage } from '../../features/fleet/fleet-page';

export const metadata: Metadata = { title: 'Proxies' };

export default function Page() {
  // The filters are in the query string, known only in the browser.
  return (
    <Suspense>
      <FleetPage />
    </Suspense>
  );
}
