import { describe, expect, it } from 'vitest';
import { isPublicPath, loginHref, safeNextPath } from './next-path';

describe('safeNextPath', () => {
  it('keeps a path on this console, with its query and fragment', () => {
    expect(safeNextPath('/teams/42')).toBe('/teams/42');
    expect(safeNextPath('/audit?actor=vera#top')).toBe('/audit?actor=vera#top');
  });

  it.each([
    [null],
    [undefined],
    [''],
    ['teams'],
    ['//evil.example/x'],
    ['/\\evil.example'],
    ['https://evil.example/'],
    ['javascript:alert(1)'],
    ['/\u0000x'],
    ['/login'],
    ['/login?next=/teams'],
  ])('sends %j home', (next) => {
    expect(safeNextPath(next)).toBe('/');
  });

  it('normalises dot segments without leaving the console', () => {
    expect(safeNextPath('/a/../../users')).toBe('/users');
  });
});

describe('loginHref', () => {
  it('carries the page to come back to', () => {
    expect(loginHref('/teams/42?tab=members')).toBe('/login?next=%2Fteams%2F42%3Ftab%3Dmembers');
  });

  it('needs no parameter for home', () => {
    expect(loginHref('/')).toBe('/login');
    expect(loginHref('//evil.example')).toBe('/login');
  });
});

describe('isPublicPath', () => {
  it('lets anyone see the Overview and the sign-in page, nothing else', () => {
    expect(isPublicPath('/')).toBe(true);
    expect(isPublicPath('/login')).toBe(true);
    expect(isPublicPath('/teams')).toBe(false);
    expect(isPublicPath('/users')).toBe(false);
  });
});
