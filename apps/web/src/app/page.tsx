import type { Metadata } from 'next';
import { HealthPanel } from '../features/health/health-panel';
import { MeshAtAGlance } from '../features/overview/mesh-glance';
import styles from './page.module.css';

// The root layout's title template applies to child segments only, so the home page spells it out.
export const metadata: Metadata = { title: { absolute: 'Overview · Weft' } };

export default function OverviewPage() {
  return (
    <>
      <div className={styles.heading}>
        <h1>Overview</h1>
        <p>The mesh at a glance — its proxies, the services that need attention, the latest changes — and its control plane, live.</p>
      </div>
      <MeshAtAGlance />
      <HealthPanel />
    </>
  );
}
