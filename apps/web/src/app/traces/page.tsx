import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TracesPage } from '../../features/traces/traces-page';

export const metadata: Metadata = { title: 'Traces' };

export default function Page() {
  // The namespace and the open trace are in the query string, known only in the browser.
  return (
    <Suspense>
      <TracesPage />
    </Suspense>
  );
}
