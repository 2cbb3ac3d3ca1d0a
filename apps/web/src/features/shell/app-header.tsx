import Link from 'next/link';
import { UserMenu } from '../auth/user-menu';
import styles from './shell.module.css';

/** The banner: product mark and name, linking home; the account menu (or Sign in) on the right. */
export function AppHeader() {
  return (
    <header className={styles.header}>
      <Link href="/" className={styles.brand} aria-label="Weft — Overview">
        <svg className={styles.logo} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <rect x="1" y="1" width="22" height="22" rx="6" fill="currentColor" />
          <path d="M6 8h12M6 12h12M6 16h12" stroke="#fff" strokeWidth="1.6" strokeLinecap="round" opacity="0.55" />
          <path d="M9 5.5v13M15 5.5v13" stroke="#fff" strokeWidth="2" strokeLinecap="round" />
        </svg>
        <span className={styles.brandName}>Weft</span>
      </Link>
      <span className={styles.tagline}>Service mesh console</span>
      <UserMenu />
    </header>
  );
}
