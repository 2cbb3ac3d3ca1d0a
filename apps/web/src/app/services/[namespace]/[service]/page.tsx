import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ServicePage } from '../../../../features/services/service-page';

export const metadata: Metadata = { title: 'Service' };

export default async function Page({ params }: PageProps<'/services/[namespace]/[service]'>) {
  const { namespace, service } = await params;
  // The window is in the query string, known only in the browser.
  return (
    <Suspense>
      <ServicePage namespace={decodeURIComponent(namespace)} service={decodeURIComponent(service)} />
    </Suspense>
  );
}
