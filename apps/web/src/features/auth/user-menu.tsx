'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useRef } from 'react';
import { apiProblemOf, hasApiCode, problemText } from '../../lib/api-error';
import { buttonClass } from '../ui/button';
import { Badge } from '../ui/feedback';
import { LOGIN_PATH } from './next-path';
import { useSignOut } from './use-sign-out';
import { useWhoAmI } from './use-whoami';
import styles from './user-menu.module.css';

const MENU_ID = 'user-menu';

function initials(name: string): string {
  const letters = name
    .split(/[\s._-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase());
  return letters.join('') || '?';
}

/**
 * The header's account corner. Signed in: a button with the user's name (and Admin badge) that
 * opens a menu — a native popover, so Escape and clicking elsewhere close it. Signed out: a
 * "Sign in" link. Nothing while whoami is still on its way.
 */
export function UserMenu() {
  const whoami = useWhoAmI();
  const pathname = usePathname();
  const signOut = useSignOut();
  const menu = useRef<HTMLElement>(null);
  const close = () => menu.current?.hidePopover();

  const signedOut = hasApiCode(whoami.error, 'UNAUTHENTICATED');
  if (signedOut || (!whoami.data && whoami.error)) {
    return (
      <div className={styles.slot}>
        {pathname !== LOGIN_PATH && (
          <Link href={LOGIN_PATH} className={buttonClass('default', 'small')}>
            Sign in
          </Link>
        )}
      </div>
    );
  }
  const me = whoami.data;
  if (!me) return <div className={styles.slot} />;

  return (
    <div className={styles.slot}>
      <button type="button" className={styles.trigger} popoverTarget={MENU_ID}>
        <span className={styles.avatar} aria-hidden="true">
          {initials(me.displayName)}
        </span>
        <span className="visually-hidden">Account:</span> <span>{me.displayName}</span>
        {me.isAdmin && (
          <>
            {' '}
            <Badge tone="accent">Admin</Badge>
          </>
        )}
        <svg className={styles.caret} viewBox="0 0 12 12" aria-hidden="true" focusable="false">
          <path d="M3 4.5 6 7.5 9 4.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      <nav id={MENU_ID} ref={menu} popover="auto" className={styles.menu} aria-label="Account">
        <p className={styles.who}>
          <strong>{me.displayName}</strong>
          <span>Signed in as {me.name}</span>
        </p>
        <ul className={styles.items}>
          <li>
            <Link href="/account/sessions" className={styles.item} onClick={close}>
              My sessions
            </Link>
          </li>
          <li>
            <Link href="/account/password" className={styles.item} onClick={close}>
              Change password
            </Link>
          </li>
        </ul>
        <button type="button" className={`${styles.item} ${styles.signOut}`} onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          {signOut.isPending ? 'Signing out…' : 'Sign out'}
        </button>
        {signOut.error && (
          <p role="alert" className={styles.error}>
            {problemText(apiProblemOf(signOut.error))}
          </p>
        )}
      </nav>
    </div>
  );
}
