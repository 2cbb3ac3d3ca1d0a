import { describe, expect, it } from 'vitest';
import { checkDatabaseUrl } from './connect.ts';
import { DatabaseStartupError } from './errors.ts';
import { describeTarget, withDatabase } from './url.ts';

function failure(url: string): DatabaseStartupError {
  try {
    checkDatabaseUrl(url);
  } catch (err) {
    expect(err).toBeInstanceOf(DatabaseStartupError);
    return err as DatabaseStartupError;
  }
  throw new Error(`expected ${url} to be rejected`);
}

describe('checkDatabaseUrl', () => {
  it('accepts the usual forms and returns the displayable parts', () => {
    expect(checkDatabaseUrl('postgresql://postgres@127.0.0.1:5432/postgres')).toEqual({ host: '127.0.0.1', port: 5432, database: 'postgres', user: 'postgres' });
    expect(checkDatabaseUrl('postgres://weft:p%40ss@db.internal/weft?sslmode=require')).toMatchObject({ host: 'db.internal', port: 5432, user: 'weft' });
    expect(checkDatabaseUrl('postgresql://weft@localhost:6543')).toMatchObject({ port: 6543, database: 'weft' });
    expect(checkDatabaseUrl('postgresql:///weft?host=/var/run/postgresql')).toMatchObject({ host: '/var/run/postgresql', database: 'weft' });
  });

  it.each([
    ['postgres://weft:s3cret@:not-a-port/db', /DATABASE_URL is malformed/],
    ['postgres://weft:s3cret@db:99999/db', /DATABASE_URL (is malformed|has a port outside)/],
    ['mysql://weft:s3cret@db/weft', /must start with postgresql:\/\//],
    ['weft:s3cret@db/weft', /DATABASE_URL/],
    ['postgresql://weft:s3cret@/weft', /is malformed|names no host/],
    ['', /is not a URL/],
  ])('rejects %s with one line that keeps the password out', (url, pattern) => {
    const err = failure(url);
    expect(err.message).toMatch(pattern);
    expect(err.message).not.toContain('s3cret');
    expect(err.message).not.toContain('\n');
  });
});

describe('url helpers', () => {
  it('swaps the database and keeps credentials and parameters', () => {
    expect(withDatabase('postgresql://u:p@h:1/a?sslmode=disable', 'b')).toBe('postgresql://u:p@h:1/b?sslmode=disable');
  });

  it('brackets IPv6 hosts', () => {
    expect(describeTarget({ host: '::1', port: 5432 })).toBe('[::1]:5432');
    expect(describeTarget({ host: '127.0.0.1', port: 5999 })).toBe('127.0.0.1:5999');
  });
});
