/**
 * Passwords of the demo's users (alice, bob): generated on the first run and kept in the state
 * directory (0600), like the admin's in tools/demo.ts, so that every run can print how to sign in.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The demo's people: who they are on the shop team, for the sign-in lines and the seed. */
export const DEMO_USERS = [
  { username: 'alice', displayName: 'Alice (shop editor)', team: 'shop-team', role: 'editor' },
  { username: 'bob', displayName: 'Bob (shop viewer)', team: 'shop-team', role: 'viewer' },
] as const;

/** A demo user's password, and whether it was generated just now (so the account may need it set). */
export interface DemoPassword {
  username: string;
  password: string;
  fresh: boolean;
}

/** The password kept in `<home>/demo-<username>-password`, generated there when missing. */
export function demoUserPassword(home: string, username: string): DemoPassword {
  const file = path.join(home, `demo-${username}-password`);
  if (existsSync(file)) return { username, password: readFileSync(file, 'utf8').trim(), fresh: false };
  mkdirSync(home, { recursive: true });
  // 20 random base64url characters: far above the password policy's bar (zxcvbn score 3).
  const password = randomBytes(15).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return { username, password, fresh: true };
}
