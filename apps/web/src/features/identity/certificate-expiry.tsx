'use client';

import { useEffect, useState } from 'react';
import { formatDateTime } from '../../lib/format-time';
import { expiresIn, lifetimeTone, remainingFraction, type CertificateTimes, type LifetimeTone } from './lifetime';
import styles from './identity.module.css';

/** The time "now" for relative times, moving on every `intervalMs` so "in 11 h 58 min" stays true. */
export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

const TONE_CLASS: Record<LifetimeTone, string | undefined> = { ok: undefined, low: styles.low, expired: styles.expired };

/**
 * The remaining share of a certificate's lifetime as a bar, and when it expires: amber under a
 * quarter left, red once expired (lifetime.ts). Used on the Identity and Proxies pages.
 */
export function CertificateExpiry({ cert, now }: { cert: CertificateTimes; now: Date }) {
  const tone = lifetimeTone(cert, now);
  const left = remainingFraction(cert, now);
  const percent = Math.round(left * 100);
  return (
    <div className={styles.expiry} title={`Expires ${formatDateTime(cert.notAfter)}; ${percent}% of its lifetime left`}>
      <span className={[styles.expiryText, TONE_CLASS[tone]].filter(Boolean).join(' ')}>{expiresIn(cert.notAfter, now)}</span>
      <span
        className={styles.lifeTrack}
        role="meter"
        aria-label="Lifetime left"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}% of its lifetime left`}
      >
        <span className={[styles.lifeFill, tone === 'low' && styles.lifeFillLow].filter(Boolean).join(' ')} style={{ width: `${(left * 100).toFixed(1)}%` }} />
      </span>
    </div>
  );
}
