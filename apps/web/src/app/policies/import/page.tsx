import type { Metadata } from 'next';
import { ImportPage } from '../../../features/policies/import-page';

export const metadata: Metadata = { title: 'Import YAML' };

export default function Page() {
  return <ImportPage />;
}
