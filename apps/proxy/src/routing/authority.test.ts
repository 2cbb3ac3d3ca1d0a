import { describe, expect, it } from 'vitest';
import { HostPatterns, parseAuthority } from './authority.ts';

describe('parseAuthority', () => {
  it.each([
    ['payments', 'payments', undefined, 0],
    ['payments:8080', 'payments', 8080, 0],
    ['Payments.Shop', 'payments.shop', undefined, 0],
    ['PAYMENTS.SHOP.SVC.CLUSTER.LOCAL.:80', 'payments.shop.svc.cluster.local', 80, 0],
    ['payments.', 'payments', undefined, 0],
    ['payments:', 'payments', undefined, 0], // empty port: the default (RFC 3986 §3.2.3)
    ['payments:080', 'payments', 80, 0],
    ['my_host.example.com', 'my_host.example.com', undefined, 0],
    ['10.0.0.7', '10.0.0.7', undefined, 4],
    ['10.0.0.7:9090', '10.0.0.7', 9090, 4],
    ['[::1]', '::1', undefined, 6],
    ['[::1]:8080', '::1', 8080, 6],
    ['[FE80::A]:443', 'fe80::a', 443, 6],
    ['[::ffff:1.2.3.4]', '::ffff:1.2.3.4', undefined, 6],
  ] as const)('%s → host %s, port %s, ip %s', (authority, host, port, ip) => {
    expect(parseAuthority(authority)).toEqual({ ok: true, host, port, ip });
  });

  it.each([
    ['', /empty/],
    ['x'.repeat(301), /longer than/],
    [`${'a'.repeat(63)}.`.repeat(5), /longer than/],
    [`${'a.'.repeat(127)}ab`, /invalid host name/], // 256-character name
    ['a'.repeat(64), /invalid host name/], // a label longer than 63
    ['@', /userinfo/],
    ['user@payments', /userinfo/],
    ['user:pass@payments:80', /userinfo/],
    ['payments@evil.com', /userinfo/],
    ['pay ments', /invalid host name/],
    [' payments', /invalid host name/],
    ['payments\r\nx-evil: 1', /invalid/],
    ['payments\r\nx', /invalid host name/],
    ['payments/admin', /invalid host name/],
    ['payments%2eshop', /invalid host name/],
    ['pay\u212Aments', /invalid host name/], // Kelvin sign: lower-cases to an ASCII k
    ['bücher.example', /invalid host name/],
    ['.payments', /invalid host name/],
    ['a..b', /invalid host name/],
    ['-payments', /invalid host name/],
    ['.', /invalid host name/],
    [':80', /invalid host name/],
    ['payments:0', /invalid port/],
    ['payments:65536', /invalid port/],
    ['payments:123456', /invalid port/],
    ['payments:8o', /invalid port/],
    ['payments:+80', /invalid port/],
    ['payments:80:80', /brackets/],
    ['::1', /brackets/],
    ['[::1', /unterminated/],
    ['[::1]x', /after an IPv6/],
    ['[::1]:0', /invalid port/],
    ['[fe80::1%25eth0]', /zone/],
    ['[payments]', /IPv6/],
    ['[]', /IPv6/],
    ['127.1', /ambiguous numeric/],
    ['2130706433', /ambiguous numeric/],
    ['0x7f.0.0.1', /ambiguous numeric/],
    ['010.0.0.1', /ambiguous numeric/],
    ['1.2.3.4.5', /ambiguous numeric/],
    ['256.0.0.1', /ambiguous numeric/],
    ['a.0x', /ambiguous numeric/],
  ])('refuses %j', (authority, reason) => {
    const parsed = parseAuthority(authority);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toMatch(reason);
      // Reasons go into a response header: never the input, never control characters.
      if (authority.length > 4) expect(parsed.reason).not.toContain(authority);
      expect(parsed.reason).toMatch(/^[ -~]{1,100}$/);
    }
  });
});

describe('HostPatterns', () => {
  const patterns = new HostPatterns(['api.stripe.com', '*.sendgrid.net', '10.0.0.9', '*.1', 'Upper.Example.', 'not a host']);
  it.each([
    ['api.stripe.com', 0, true],
    ['stripe.com', 0, false],
    ['x.api.stripe.com', 0, false],
    ['a.sendgrid.net', 0, true],
    ['b.a.sendgrid.net', 0, true], // a wildcard covers one or more labels
    ['sendgrid.net', 0, false], // never the apex
    ['xsendgrid.net', 0, false],
    ['10.0.0.9', 4, true], // exact IPs are allowed
    ['10.0.0.1', 4, false], // wildcards never match IPs
    ['upper.example', 0, true], // patterns are normalised too
  ] as const)('%s (ip %s) → %s', (host, ip, expected) => {
    expect(patterns.matches(host, ip)).toBe(expected);
  });
  it('ignores patterns that are not host names', () => {
    expect(patterns.size).toBe(5);
  });
});
