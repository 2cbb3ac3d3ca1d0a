import type { Metadata } from 'next';
import { ProxyDetailPage } from '../../../../features/fleet/proxy-detail-page';

export const metadata: Metadata = { title: 'Proxy' };

export default async function Page({ params }: PageProps<'/proxies/[namespace]/[id]'>) {
  const { namespace, id } = await params;
  return <ProxyDetailPage namespace={decodeURIComponent(namespace)} id={decodeURIComponent(id)} />;
}
