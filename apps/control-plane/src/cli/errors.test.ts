import { describe, expect, it } from 'vitest';
import { ApiError, combinedExitCode, ExitCode, exitCodeForStatus } from './errors.ts';

describe('exit codes', () => {
  it('map HTTP statuses as docs/cli.md says', () => {
    const table: Array<[number, number]> = [
      [200, 0],
      [400, 1],
      [413, 1],
      [415, 1],
      [401, 3],
      [403, 3],
      [404, 4],
      [409, 5],
      [429, 6],
      [500, 6],
      [502, 6],
      [503, 6],
      [0, 6],
    ];
    for (const [status, code] of table) expect([status, exitCodeForStatus(status)]).toEqual([status, code]);
  });

  it('are stable numbers (scripts depend on them)', () => {
    expect(ExitCode).toEqual({ OK: 0, FAILED: 1, USAGE: 2, AUTH: 3, NOT_FOUND: 4, CONFLICT: 5, UNAVAILABLE: 6 });
  });

  it('several per-document failures: theirs when they agree, else 1', () => {
    expect(combinedExitCode([])).toBe(0);
    expect(combinedExitCode([0, 0])).toBe(0);
    expect(combinedExitCode([0, 5, 0])).toBe(5);
    expect(combinedExitCode([4, 4])).toBe(4);
    expect(combinedExitCode([4, 5])).toBe(1);
    expect(combinedExitCode([1, 3])).toBe(1);
  });

  it('an API error carries a hint saying what to do next', () => {
    expect(new ApiError({ status: 401, message: 'x' }).hint).toMatch(/weft login/);
    expect(new ApiError({ status: 409, message: 'x' }).hint).toMatch(/apply again/);
    expect(new ApiError({ status: 503, message: 'x', requestId: 'req-1' }).hint).toMatch(/req-1/);
    expect(new ApiError({ status: 503, message: 'x' }).exitCode).toBe(6);
  });
});
