/**
 * A SHA-256 fingerprint (64 hex digits, as the control plane gives it) shortened for a table cell:
 * its first and last 8 digits, enough to tell generations apart at a glance.
 */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.length > 20 ? `${fingerprint.slice(0, 8)}…${fingerprint.slice(-8)}` : fingerprint;
}
