import { describe, expect, it } from 'vitest';
import { forwardedTarget, normalizeRequestPath } from './normalize-path.ts';

const path = (target: string): string | undefined => {
  const n = normalizeRequestPath(target);
  return n.ok ? n.path : undefined;
};
const reason = (target: string): string | undefined => {
  const n = normalizeRequestPath(target);
  return n.ok ? undefined : n.reason;
};

describe('normalizeRequestPath', () => {
  it.each([
    ['/', '/'],
    ['/admin', '/admin'],
    ['//admin', '/admin'],
    ['///admin//x', '/admin/x'],
    ['/./admin', '/admin'],
    ['/admin/.', '/admin/'],
    ['/admin/', '/admin/'],
    ['/x/../admin', '/admin'],
    ['/x/y/../../admin', '/admin'],
    ['/../admin', '/admin'],
    ['/../../..', '/'],
    ['/a/..', '/'],
    ['/%61dmin', '/admin'],
    ['/%41DMIN', '/ADMIN'],
    ['/%2e%2e/admin', '/admin'],
    ['/%2E%2E/%2e/admin', '/admin'],
    ['/x/.%2e/admin', '/admin'],
    ['/%7e%2d%5f', '/~-_'],
    ['/a%3fb', '/a%3Fb'],
    ['/a%23b%20c', '/a%23b%20c'],
    ['/caf%c3%a9', '/caf%C3%A9'],
    ['/%F0%9F%98%80x', '/%F0%9F%98%80x'],
    ['/a:b@c!$&\'()*+,=', '/a:b@c!$&\'()*+,='],
    ['/%25', '/%25'],
    ['/%25zz', '/%25zz'],
  ])('%s → %s', (target, expected) => {
    expect(path(target)).toBe(expected);
  });

  it('cuts the query (kept for forwarding) and the fragment (dropped)', () => {
    expect(normalizeRequestPath('/admin?x=1&y')).toEqual({ ok: true, path: '/admin', query: 'x=1&y' });
    expect(normalizeRequestPath('/admin#frag')).toEqual({ ok: true, path: '/admin', query: '' });
    expect(normalizeRequestPath('/a/../admin?q#f')).toEqual({ ok: true, path: '/admin', query: 'q' });
    expect(normalizeRequestPath('/admin#f?notquery')).toEqual({ ok: true, path: '/admin', query: '' });
    expect(normalizeRequestPath('/%2e/admin?%2f..')).toEqual({ ok: true, path: '/admin', query: '%2f..' });
    expect(forwardedTarget({ path: '/admin', query: 'x' })).toBe('/admin?x');
    expect(forwardedTarget({ path: '/admin', query: '' })).toBe('/admin');
  });

  it.each([
    ['admin', 'must start with'],
    ['', 'must start with'],
    ['?x', 'must start with'],
    ['/admin%2f..', 'encoded slash'],
    ['/admin%2F', 'encoded slash'],
    ['/admin%5c..', 'encoded backslash'],
    ['/admin\\..\\x', 'backslash'],
    ['/admin%00', 'control character'],
    ['/admin\u0000', 'control character'],
    ['/admin%0d%0aX: y', 'control character'],
    ['/admin\t', 'control character'],
    ['/admin%7f', 'control character'],
    ['/admin;x', 'path parameters'],
    ['/admin;jsessionid=1', 'path parameters'],
    ['/admin%3bx', '%3B'],
    ['/%2561dmin', 'double percent-encoding'],
    ['/%252e%252e/admin', 'double percent-encoding'],
    ['/admin%', 'invalid percent-encoding'],
    ['/admin%2', 'invalid percent-encoding'],
    ['/admin%zz', 'invalid percent-encoding'],
    ['/admin%c3%zz', 'invalid percent-encoding'],
    ['/%c0%afadmin', 'invalid UTF-8'],
    ['/%c0%ae%c0%ae/admin', 'invalid UTF-8'],
    ['/%e0%80%ae', 'invalid UTF-8'],
    ['/%ed%a0%80', 'invalid UTF-8'],
    ['/%c3', 'invalid UTF-8'],
    ['/%ff', 'invalid UTF-8'],
    ['/caf\u00e9', 'non-ASCII'],
    ['/a b', 'percent-encoded'],
    ['/a"b', 'percent-encoded'],
    ['/a<b>', 'percent-encoded'],
  ])('refuses %j (%s)', (target, expected) => {
    expect(reason(target)).toContain(expected);
  });

  it('is idempotent on what it accepts', () => {
    for (const t of ['//a/./b/../%61%2F'.replace('%2F', ''), '/caf%c3%a9/', '/%7e/a%3fb', '/x/..', '/a%25zz']) {
      const once = path(t)!;
      expect(path(once)).toBe(once);
    }
  });
});
