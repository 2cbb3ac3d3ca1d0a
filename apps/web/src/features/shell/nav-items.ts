/**
 * The console's areas, in navigation order. An area without `href` is not built yet: the
 * navigation shows it disabled, marked "coming soon", and there is no page behind it.
 */
export interface NavItem {
  label: string;
  /** Route of a built area; absent while the area is coming soon. */
  href?: string;
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
      { label: 'Topology' },
      { label: 'Services' },
      { label: 'Policies' },
      { label: 'Rollouts' },
      { label: 'Proxies' },
      { label: 'Traces' },
    ],
  },
  {
    label: 'Administration',
    items: [{ label: 'Audit log' }, { label: 'Teams' }, { label: 'Tokens' }],
  },
];

/** Whether `href` is the current area: exact for `/`, else the path or one of its sub-paths. */
export function isActive(href: string, pathname: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}
