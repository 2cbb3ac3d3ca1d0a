import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ChangesPage } from '../../features/changes/changes-page';

export const metadata: Metadata = { title: 'Changes' };

export default function Page() {
  // The filters are in the query string, known only in the browser.
  return (
    <Suspense>
      <ChangesPage />
    </Suspense>
  );
}
