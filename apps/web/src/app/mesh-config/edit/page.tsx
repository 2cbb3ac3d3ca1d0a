import type { Metadata } from 'next';
import { MESH_CONFIG_NAME } from '@weft/contracts/resources';
import { PolicyEditPage } from '../../../features/policies/policy-edit-page';

export const metadata: Metadata = { title: 'Edit the mesh settings' };

export default function Page() {
  return <PolicyEditPage namespace={null} kind="MeshConfig" name={MESH_CONFIG_NAME} />;
}
