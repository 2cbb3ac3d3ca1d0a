import type { Metadata } from 'next';
import { MESH_CONFIG_NAME } from '@weft/contracts/resources';
import { Suspense } from 'react';
import { PolicyPage } from '../../features/policies/policy-page';

export const metadata: Metadata = { title: 'Mesh settings' };

export default function Page() {
  // `?applied=` is in the query string, known only in the browser.
  return (
    <Suspense>
      <PolicyPage namespace={null} kind="MeshConfig" name={MESH_CONFIG_NAME} />
    </Suspense>
  );
}
