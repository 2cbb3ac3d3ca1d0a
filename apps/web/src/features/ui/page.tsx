import type { ReactNode } from 'react';
import styles from './page.module.css';

/** A page's h1, one line on what it is for, and its main actions. */
export function PageHeader({ title, badge, description, actions, back }: { title: string; badge?: ReactNode; description?: ReactNode; actions?: ReactNode; back?: ReactNode }) {
  return (
    <div className={styles.header}>
      <div>
        {back && <div className={styles.back}>{back}</div>}
        <div className={styles.titleLine}>
          <h1>{title}</h1>
          {badge}
        </div>
        {description && <p>{description}</p>}
      </div>
      {actions && <div className={styles.headerActions}>{actions}</div>}
    </div>
  );
}

interface SectionProps {
  /** Used for the heading's id; the section is a region named by its heading. */
  id: string;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  /** Content that brings its own padding (a table, a state); otherwise it is padded. */
  flush?: boolean;
  narrow?: boolean;
  footer?: ReactNode;
  children: ReactNode;
}

/** A card with a heading: a landmark region named by its title. */
export function Section({ id, title, description, actions, flush, narrow, footer, children }: SectionProps) {
  const headingId = `${id}-title`;
  return (
    <section aria-labelledby={headingId} className={[styles.card, narrow && styles.narrow].filter(Boolean).join(' ')}>
      <header className={styles.cardHeader}>
        <div>
          <h2 id={headingId}>{title}</h2>
          {description && <p>{description}</p>}
        </div>
        {actions}
      </header>
      {flush ? children : <div className={styles.cardBody}>{children}</div>}
      {footer && <div className={styles.cardFooter}>{footer}</div>}
    </section>
  );
}
