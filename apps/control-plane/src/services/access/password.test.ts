import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, passwordProblems, verifyPassword } from './password.ts';

describe('password hashing', () => {
  it('verifies the right password and rejects others, without storing the password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(hash).not.toContain('horse');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
  });

  it('treats malformed stored hashes as non-matching instead of throwing', async () => {
    for (const stored of ['', 'plaintext', 'scrypt$99$8$1$aa$bb', 'bcrypt$x$y$z$a$b', 'scrypt$15$8$1$c2FsdA$c2hvcnQ']) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
  });

  it('flags hashes made with other parameters for re-hashing', () => {
    expect(needsRehash('scrypt$14$8$1$a$b')).toBe(true);
    expect(needsRehash('scrypt$15$8$1$a$b')).toBe(false);
  });
});

describe('password policy', () => {
  it.each([
    ['short', 'at least 12'],
    ['password1234', 'too easy to guess'],
    ['qwertyuiop[]', 'too easy to guess'],
    ['aaaaaaaaaaaaaaaa', 'too easy to guess'],
    ['P@ssw0rd12345', 'too easy to guess'],
    ['alice-alice-alice', 'too easy to guess'],
  ])('rejects %s', (password, problem) => {
    expect(passwordProblems(password, { username: 'alice' }).join()).toContain(problem);
  });

  it('accepts a long passphrase of unrelated words', () => {
    expect(passwordProblems('violet tugboat kernel meadow', { username: 'alice' })).toEqual([]);
  });
});
