'use client';

import { useState } from 'react';
import { Button } from '../ui/button';
import { shortFingerprint } from './format';
import styles from './identity.module.css';

/** A fingerprint shortened, the whole one in the tooltip and behind a Copy button. */
export function Fingerprint({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1_500);
    } catch {
      // No clipboard permission: the full value is in the tooltip to select by hand.
    }
  };
  return (
    <span className={styles.fingerprint}>
      <code title={value}>{shortFingerprint(value)}</code>
      <Button size="small" variant="ghost" onClick={() => void copy()} aria-label={`Copy ${label}`} title={`Copy ${label}`}>
        {copied ? 'Copied' : 'Copy'}
      </Button>
    </span>
  );
}
