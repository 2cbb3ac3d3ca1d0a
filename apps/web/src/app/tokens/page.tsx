import type { Metadata } from 'next';
import { Suspense } from 'react';
import { TokensPage } from '../../features/tokens/tokens-page';

export const metadata: Metadata = { title: 'API tokens' };

export default function Page() {
  // The chosen team is in ?team=, known only in the browser.
  return (
    <Suspense>
      <TokensPage />
    </Suspense>
  );
}
