/**
 * The identity families on /metrics (Prometheus text, like telemetry/prometheus.ts):
 *
 *   weft_proxy_identity_ready                          gauge    1 while a valid workload certificate is held
 *   weft_proxy_certificate_expiry_timestamp_seconds    gauge    notAfter of the certificate held (absent before the first)
 *   weft_proxy_certificate_renewals_total{result}      counter  issuance attempts (the first one included), success | failure
 *   weft_proxy_certificate_renewal_failing             gauge    1 when the last attempt failed and less than a quarter
 *                                                               of the certificate's lifetime is left (or it has expired):
 *                                                               the alert, raised hours before a 24 h certificate expires
 */
export interface IdentityMetrics {
  ready: boolean;
  notAfter: Date | undefined;
  renewals: { success: number; failure: number };
  failing: boolean;
}

export function identityMetricsText(m: IdentityMetrics): string {
  const lines = [
    '# HELP weft_proxy_identity_ready 1 while the proxy holds a valid workload certificate, else 0.',
    '# TYPE weft_proxy_identity_ready gauge',
    `weft_proxy_identity_ready ${m.ready ? 1 : 0}`,
  ];
  if (m.notAfter) {
    lines.push(
      '# HELP weft_proxy_certificate_expiry_timestamp_seconds When the workload certificate held expires (Unix time).',
      '# TYPE weft_proxy_certificate_expiry_timestamp_seconds gauge',
      `weft_proxy_certificate_expiry_timestamp_seconds ${Math.floor(m.notAfter.getTime() / 1000)}`,
    );
  }
  lines.push(
    '# HELP weft_proxy_certificate_renewals_total Workload certificate requests (the first issuance included), by result.',
    '# TYPE weft_proxy_certificate_renewals_total counter',
    `weft_proxy_certificate_renewals_total{result="success"} ${m.renewals.success}`,
    `weft_proxy_certificate_renewals_total{result="failure"} ${m.renewals.failure}`,
    '# HELP weft_proxy_certificate_renewal_failing 1 when renewal is failing and less than a quarter of the certificate lifetime remains (alert on it).',
    '# TYPE weft_proxy_certificate_renewal_failing gauge',
    `weft_proxy_certificate_renewal_failing ${m.failing ? 1 : 0}`,
  );
  return `${lines.join('\n')}\n`;
}
