import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TopologyPage } from '../../features/topology/topology-page';

export const metadata: Metadata = { title: 'Topology' };

export default function Page() {
  // The view is in the query string, known only in the browser.
  return (
    <Suspense>
      <TopologyPage />
    </Suspense>
  );
}
