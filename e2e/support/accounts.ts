/**
 * The accounts the browser tests use. The control plane creates `admin` at its first start with
 * WEFT_ADMIN_PASSWORD (start-control-plane.ts sets it to ADMIN.password); the specs create the rest.
 * Passwords are long passphrases: the control plane refuses anything weaker (zxcvbn score < 3).
 */
export interface Account {
  username: string;
  password: string;
  displayName: string;
}

export const ADMIN: Account = { username: 'admin', password: 'orbit-lantern-velvet-42', displayName: 'Administrator' };

export const VERA: Account = { username: 'vera', password: 'copper-harbor-mosaic-917', displayName: 'Vera Lindqvist' };

/** Rejected by the control plane's password policy: a common password with digits. */
export const WEAK_PASSWORD = 'vera12345678';

/** A security engineer, editor of the shop namespace's team (authorization.spec.ts creates her). */
export const SANA: Account = { username: 'sana', password: 'juniper-beacon-cobalt-583', displayName: 'Sana Okafor' };

/** A viewer of the shop namespace's team: previews drafts, applies nothing. */
export const OMAR: Account = { username: 'omar', password: 'tundra-lattice-ember-269', displayName: 'Omar Haddad' };
