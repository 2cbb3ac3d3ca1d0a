/**
 * The console's areas, in navigation order. An area without `href` is not built yet: the
 * navigation shows it disabled, marked "coming soon", and there is no page behind it.
 */
export interface NavItem {
  label: string;
  /** Route of a built area; absent while the area is coming soon. */
  href?: string;
  /**
   * Listed only for organization admins: everyone else would find nothing but a refusal there
   * (the control plane serves these areas to admins only).
   */
  adminOnly?: boolean;
}

export interface NavGroup {
  label: string;
  items: NavItem[];
}

export const NAV_GROUPS: NavGroup[] = [
  {
    label: 'Mesh',
    items: [
      { label: 'Overview', href: '/' },
      { label: 'Topology', href: '/topology' },
      { label: 'Services', href: '/services' },
      { label: 'Policies', href: '/policies' },
      { label: 'Changes', href: '/changes' },
      { label: 'Identity', href: '/identity' },
      { label: 'Rollouts' },
      { label: 'Proxies', href: '/proxies' },
      { label: 'Traces', href: '/traces' },
    ],
  },
  {
    label: 'Administration',
    items: [
      { label: 'Audit log', href: '/audit', adminOnly: true },
      { label: 'Teams', href: '/teams' },
      { label: 'Tokens', href: '/tokens' },
      { label: 'Users', href: '/users', adminOnly: true },
    ],
  },
];

/** The groups as someone sees them: admin-only areas appear for admins alone; empty groups go. */
export function visibleNavGroups(isAdmin: boolean): NavGroup[] {
  return NAV_GROUPS.map((group) => ({ ...group, items: group.items.filter((item) => isAdmin || !item.adminOnly) })).filter(
    (group) => group.items.length > 0,
  );
}

/** Whether `href` is the current area: exact for `/`, else the path or one of its sub-paths. */
export function isActive(href: string, pathname: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}
