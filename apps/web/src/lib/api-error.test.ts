import { describe, expect, it } from 'vitest';
import { apiProblemOf, formProblemsOf, hasApiCode, problemText } from './api-error';

/** The shape of a TRPCClientError whose request reached the control plane. */
function apiError(message: string, apiCode: string, issues: unknown = null) {
  return Object.assign(new Error(message), { data: { code: 'BAD_REQUEST', apiCode, issues } });
}

describe('apiProblemOf', () => {
  it('reads the API code, message and field issues', () => {
    const e = apiError('password is too short', 'BAD_REQUEST', [{ path: 'password', message: 'must be at least 12 characters' }]);
    expect(apiProblemOf(e)).toEqual({
      code: 'BAD_REQUEST',
      message: 'password is too short',
      issues: [{ path: 'password', message: 'must be at least 12 characters' }],
    });
  });

  it('treats an error without an API code as unreachable', () => {
    expect(apiProblemOf(new TypeError('Failed to fetch'))).toEqual({ code: 'UNREACHABLE', message: 'Failed to fetch', issues: [] });
    expect(apiProblemOf('boom').code).toBe('UNREACHABLE');
  });

  it('ignores malformed issues', () => {
    expect(apiProblemOf(apiError('x', 'BAD_REQUEST', [{ path: 1 }, 'y', { path: 'a', message: 'b' }])).issues).toEqual([{ path: 'a', message: 'b' }]);
  });
});

describe('hasApiCode', () => {
  it('matches the code of an API answer only', () => {
    expect(hasApiCode(apiError('x', 'UNAUTHENTICATED'), 'UNAUTHENTICATED')).toBe(true);
    expect(hasApiCode(apiError('x', 'FORBIDDEN'), 'UNAUTHENTICATED')).toBe(false);
    expect(hasApiCode(null, 'UNAUTHENTICATED')).toBe(false);
    expect(hasApiCode(new TypeError('Failed to fetch'), 'UNAUTHENTICATED')).toBe(false);
  });
});

describe('formProblemsOf', () => {
  const labels = { username: 'Username', password: 'Password' };

  it('puts each issue beside its field, after the field’s label', () => {
    const e = apiError('bad', 'BAD_REQUEST', [
      { path: 'password', message: 'must be at least 12 characters' },
      { path: 'username', message: 'must be at least 2 characters' },
    ]);
    expect(formProblemsOf(e, labels)).toEqual({
      fields: { password: 'Password must be at least 12 characters', username: 'Username must be at least 2 characters' },
      form: null,
    });
  });

  it('joins several issues of one field', () => {
    const e = apiError('bad', 'BAD_REQUEST', [
      { path: 'password', message: 'a' },
      { path: 'password', message: 'b' },
    ]);
    expect(formProblemsOf(e, labels).fields.password).toBe('Password a; b');
  });

  it('keeps the message for the form when an issue names no field of the form', () => {
    const e = apiError('(root): nope', 'BAD_REQUEST', [{ path: '(root)', message: 'nope' }]);
    expect(formProblemsOf(e, labels)).toEqual({ fields: {}, form: '(root): nope' });
  });

  it('shows errors without issues for the whole form', () => {
    expect(formProblemsOf(apiError('A user named vera already exists', 'CONFLICT'), labels)).toEqual({
      fields: {},
      form: 'A user named vera already exists',
    });
  });

  it('is empty without an error', () => {
    expect(formProblemsOf(null, labels)).toEqual({ fields: {}, form: null });
  });
});

describe('problemText', () => {
  it('says when the control plane cannot be reached, and hides internal errors', () => {
    expect(problemText({ code: 'UNREACHABLE', message: 'Failed to fetch', issues: [] })).toBe(
      'The control plane cannot be reached (Failed to fetch).',
    );
    expect(problemText({ code: 'INTERNAL', message: 'Internal server error', issues: [] })).toBe('The control plane failed to answer; check its logs.');
    expect(problemText({ code: 'CONFLICT', message: 'Team x still owns namespaces', issues: [] })).toBe('Team x still owns namespaces');
  });
});
