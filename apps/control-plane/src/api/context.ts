import type { IncomingMessage } from 'node:http';
import type { AuditLog } from '../services/audit/audit-log.ts';
import type { Authentication, Authenticator, Credentials } from '../services/access/authenticator.ts';
import type { Caller } from '../services/access/caller.ts';
import type { SessionService } from '../services/access/sessions.ts';
import type { TeamService } from '../services/access/teams.ts';
import type { TokenService } from '../services/access/tokens.ts';
import type { UserService } from '../services/access/users.ts';
import type { CatalogService } from '../services/catalog/catalog-service.ts';
import type { ChangeService } from '../services/changes/change-service.ts';
import type { AuthorizationService } from '../services/authorization/authorization-service.ts';
import type { FleetService } from '../services/fleet/fleet-service.ts';
import type { HealthService } from '../services/health-service.ts';
import type { CaApi, CertificatesApi } from '../services/identity/ports.ts';
import type { JoinTokenService } from '../services/identity/join-tokens.ts';
import type { ResourceService } from '../services/resources/resource-service.ts';
import type { ResourceStatusService } from '../services/resources/resource-status.ts';
import type { TelemetryService } from '../services/telemetry/telemetry-service.ts';
import type { TracesService } from '../services/traces/traces-service.ts';
import type { CookieJar } from './cookies.ts';

/** The use-cases the API layer may call. Built once in runtime/, passed to every request. */
export interface Services {
  health: HealthService;
  authenticator: Authenticator;
  sessions: SessionService;
  users: UserService;
  teams: TeamService;
  tokens: TokenService;
  audit: AuditLog;
  resources: ResourceService;
  resourceStatus: ResourceStatusService;
  changes: ChangeService;
  fleet: FleetService;
  authorization: AuthorizationService;
  telemetry: TelemetryService;
  catalog: CatalogService;
  ca: CaApi;
  joinTokens: JoinTokenService;
  certificates: CertificatesApi;
  traces: TracesService;
}

/** Settings the API layer needs from the environment. */
export interface ApiSettings {
  /** Extra origins (scheme://host[:port]) allowed to send cookie-authenticated mutations. */
  allowedOrigins: string[];
  cookieSecure: 'auto' | 'always' | 'never';
  /** Proxies whose X-Forwarded-For is believed: `loopback`, `none`, IPs or CIDR ranges. */
  trustedProxies: string[];
}

/** Per-request context shared by tRPC procedures and REST routes. */
export interface RequestContext {
  services: Services;
  settings: ApiSettings;
  /** Echoed in responses and logs as `x-request-id`. */
  requestId: string;
  /** The client address as seen by this process. */
  sourceAddress: string;
  userAgent: string;
  /** How the caller authenticated and who they are. */
  credentials: Credentials['kind'];
  auth: Authentication;
  /**
   * Authenticates the same credentials again: a long-lived subscription asks every so often, so
   * that a session signed out, a token revoked or a role taken away ends it.
   */
  reauthenticate(): Promise<Authentication>;
  /** The raw session cookie, when there is one (login revokes it: no session fixation). */
  sessionToken: string | null;
  /** The underlying request, for the CSRF checks. */
  req: IncomingMessage;
  cookies: CookieJar;
  /** Passed to services that change things, so they can audit in the same transaction. */
  caller: Caller;
}
