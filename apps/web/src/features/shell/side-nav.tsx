'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { hasApiCode } from '../../lib/api-error';
import { useWhoAmI } from '../auth/use-whoami';
import { isActive, visibleNavGroups, type NavItem } from './nav-items';
import styles from './shell.module.css';

function Item({ item, pathname }: { item: NavItem; pathname: string }) {
  if (!item.href) {
    // A disabled link (no href, so not focusable): announced as "<label> (coming soon), dimmed".
    return (
      <a role="link" aria-disabled="true" title="Coming soon" className={`${styles.navItem} ${styles.navItemSoon}`}>
        <span>{item.label}</span>
        <span className="visually-hidden"> (coming soon)</span>
        <span className={styles.soon} aria-hidden="true">
          Soon
        </span>
      </a>
    );
  }
  const active = isActive(item.href, pathname);
  return (
    <Link href={item.href} aria-current={active ? 'page' : undefined} className={styles.navItem}>
      {item.label}
    </Link>
  );
}

/** The console's primary navigation; areas not built yet are listed disabled, admin areas only for admins. */
export function SideNav() {
  const pathname = usePathname();
  const whoami = useWhoAmI();
  const isAdmin = !hasApiCode(whoami.error, 'UNAUTHENTICATED') && whoami.data?.isAdmin === true;
  return (
    <nav aria-label="Primary" className={styles.nav}>
      {visibleNavGroups(isAdmin).map((group) => (
        <div key={group.label} className={styles.navGroup}>
          <p id={`nav-${group.label}`} className={styles.navGroupLabel}>
            {group.label}
          </p>
          <ul aria-labelledby={`nav-${group.label}`}>
            {group.items.map((item) => (
              <li key={item.label}>
                <Item item={item} pathname={pathname} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
