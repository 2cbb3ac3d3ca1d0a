/**
 * How much of a workload certificate's life is left, for the certificates table: the fraction
 * for the bar, the tone (red once expired, amber under a quarter left), and "in 11 h 58 min".
 * Lifetime is notAfter − issuedAt. Pure, so it is tested without a browser.
 */

/** Under this fraction of its lifetime left, a certificate is shown amber: its renewal is late. */
export const LOW_LIFETIME_FRACTION = 0.25;

export type LifetimeTone = 'ok' | 'low' | 'expired';

export interface CertificateTimes {
  issuedAt: string;
  notAfter: string;
}

/** The fraction of the lifetime still ahead, 0 to 1 (0 once expired, or for a lifetime ≤ 0). */
export function remainingFraction(cert: CertificateTimes, now: Date = new Date()): number {
  const start = Date.parse(cert.issuedAt);
  const end = Date.parse(cert.notAfter);
  const lifetime = end - start;
  if (!(lifetime > 0)) return 0;
  return Math.min(1, Math.max(0, (end - now.getTime()) / lifetime));
}

/** `expired` at notAfter and after; `low` under LOW_LIFETIME_FRACTION left; else `ok`. */
export function lifetimeTone(cert: CertificateTimes, now: Date = new Date()): LifetimeTone {
  if (Date.parse(cert.notAfter) <= now.getTime()) return 'expired';
  return remainingFraction(cert, now) < LOW_LIFETIME_FRACTION ? 'low' : 'ok';
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration in its two largest units: `2 d 3 h`, `11 h 58 min`, `5 min`, `42 s`. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return `${Math.floor(abs / 1000)} s`;
  if (abs < HOUR) return `${Math.floor(abs / MINUTE)} min`;
  if (abs < DAY) {
    const h = Math.floor(abs / HOUR);
    const min = Math.floor((abs % HOUR) / MINUTE);
    return min ? `${h} h ${min} min` : `${h} h`;
  }
  const d = Math.floor(abs / DAY);
  const h = Math.floor((abs % DAY) / HOUR);
  return h ? `${d} d ${h} h` : `${d} d`;
}

/** `in 11 h 58 min`, or `expired 3 min ago`. */
export function expiresIn(notAfter: string, now: Date = new Date()): string {
  const left = Date.parse(notAfter) - now.getTime();
  return left > 0 ? `in ${formatDuration(left)}` : `expired ${formatDuration(left)} ago`;
}
