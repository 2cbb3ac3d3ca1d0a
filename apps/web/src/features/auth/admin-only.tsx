'use client';

import type { ReactNode } from 'react';
import { EmptyState } from '../ui/feedback';
import { PageHeader, Section } from '../ui/page';
import { useMe } from './use-whoami';

/**
 * Renders its children for organization admins. Everyone else gets the page's title and why
 * there is nothing for them — without asking the control plane for data it would refuse.
 */
export function AdminOnly({ area, title, children }: { area: string; title: string; children: ReactNode }) {
  const me = useMe();
  if (me.isAdmin) return children;
  return (
    <>
      <PageHeader title={title} />
      <Section id="admin-only" title="Not available to you" narrow>
        <div role="alert">
          <EmptyState title="You need the admin role">{area} is for organization admins. Ask one if you need something here.</EmptyState>
        </div>
      </Section>
    </>
  );
}
