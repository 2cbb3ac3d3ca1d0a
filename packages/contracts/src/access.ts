/**
 * Access control on the wire: users, teams, memberships, namespaces, sessions, API tokens and the
 * audit log. Inputs are validated with these schemas on the server; outputs are what clients get.
 */
import { z } from 'zod';

export const TeamRoleSchema = z.enum(['viewer', 'editor', 'owner']);
export type TeamRole = z.infer<typeof TeamRoleSchema>;

/** DNS-label names: teams and namespaces. */
export const DnsLabelSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and -, starting and ending with a letter or digit');

export const UsernameSchema = z
  .string()
  .min(2, 'must be at least 2 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, ".", "_" or "-", starting with a letter or digit');

export const IdSchema = z.uuid({ message: 'must be an id (UUID)' });

const isoDate = z.iso.datetime();

export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  disabled: z.boolean(),
  createdAt: isoDate,
  lastLoginAt: isoDate.nullable(),
});
export type User = z.infer<typeof UserSchema>;

/** What any signed-in user may see of another: enough to pick them as a team member. */
export const UserDirectoryEntrySchema = z.object({ id: z.string(), username: z.string(), displayName: z.string() });
export type UserDirectoryEntry = z.infer<typeof UserDirectoryEntrySchema>;

export const TeamSchema = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string(),
  createdAt: isoDate,
  memberCount: z.number().int(),
  namespaces: z.array(z.string()),
  /** The caller's role on this team; null for admins who are not members. */
  myRole: TeamRoleSchema.nullable(),
});
export type Team = z.infer<typeof TeamSchema>;

export const MemberSchema = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: TeamRoleSchema,
  since: isoDate,
});
export type Member = z.infer<typeof MemberSchema>;

export const NamespaceSchema = z.object({ name: z.string(), teamId: z.string(), teamName: z.string(), createdAt: isoDate });
export type Namespace = z.infer<typeof NamespaceSchema>;

/** Who is calling: a signed-in user or an API token. */
export const WhoAmISchema = z.object({
  kind: z.enum(['user', 'token']),
  id: z.string(),
  name: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
  teams: z.array(z.object({ id: z.string(), name: z.string(), role: TeamRoleSchema })),
  /** For cookie sessions: send it back as the `x-weft-csrf` header on every mutation. */
  csrfToken: z.string().nullable(),
  sessionExpiresAt: isoDate.nullable(),
});
export type WhoAmI = z.infer<typeof WhoAmISchema>;

export const LoginInputSchema = z.object({
  username: z.string().min(1, 'is required').max(64),
  password: z.string().min(1, 'is required').max(256),
});

export const SessionSchema = z.object({
  id: z.string(),
  createdAt: isoDate,
  lastSeenAt: isoDate,
  expiresAt: isoDate,
  ip: z.string(),
  userAgent: z.string(),
  current: z.boolean(),
});
export type Session = z.infer<typeof SessionSchema>;

export const ApiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  teamId: z.string(),
  role: TeamRoleSchema,
  createdBy: z.string(),
  createdAt: isoDate,
  expiresAt: isoDate,
  revokedAt: isoDate.nullable(),
  lastUsedAt: isoDate.nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

/** Returned once, at creation: the only time the secret is visible. */
export const CreatedApiTokenSchema = z.object({ token: ApiTokenSchema, secret: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiTokenSchema>;

export const MAX_TOKEN_LIFETIME_DAYS = 365;

export const AuditActorTypeSchema = z.enum(['user', 'token', 'system', 'anonymous']);
export const AuditOutcomeSchema = z.enum(['success', 'denied', 'failure']);

export const AuditEntrySchema = z.object({
  seq: z.string(),
  at: isoDate,
  actorType: AuditActorTypeSchema,
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  targetKind: z.string(),
  targetId: z.string(),
  namespace: z.string().nullable(),
  beforeVersion: z.string().nullable(),
  afterVersion: z.string().nullable(),
  outcome: AuditOutcomeSchema,
  reason: z.string(),
  requestId: z.string(),
  sourceAddress: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.object({
  actor: z.string().max(128).optional(),
  action: z.string().max(128).optional(),
  outcome: AuditOutcomeSchema.optional(),
  namespace: z.string().max(63).optional(),
  targetKind: z.string().max(64).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditPageSchema = z.object({ entries: z.array(AuditEntrySchema), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPageSchema>;

export const AuditVerificationSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** The first entry whose hash or link does not match, when not ok. */
  firstBroken: z.object({ seq: z.string(), reason: z.string() }).nullable(),
});
export type AuditVerification = z.infer<typeof AuditVerificationSchema>;
