/**
 * The root tRPC router. `AppRouter` is the only thing apps/web may import from the control plane,
 * and only as `import type` (enforced by the linter).
 */
import { auditRouter } from './routers/audit.ts';
import { authorizationRouter } from './routers/authorization.ts';
import { authRouter } from './routers/auth.ts';
import { changesRouter } from './routers/changes.ts';
import { healthRouter } from './routers/health.ts';
import { caRouter, certificatesRouter, joinTokensRouter } from './routers/identity.ts';
import { proxiesRouter } from './routers/proxies.ts';
import { resourcesRouter } from './routers/resources.ts';
import { servicesRouter } from './routers/services.ts';
import { telemetryRouter } from './routers/telemetry.ts';
import { namespacesRouter, teamsRouter } from './routers/teams.ts';
import { tokensRouter } from './routers/tokens.ts';
import { tracesRouter } from './routers/traces.ts';
import { usersRouter } from './routers/users.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  health: healthRouter,
  auth: authRouter,
  users: usersRouter,
  teams: teamsRouter,
  namespaces: namespacesRouter,
  tokens: tokensRouter,
  audit: auditRouter,
  resources: resourcesRouter,
  changes: changesRouter,
  proxies: proxiesRouter,
  authorization: authorizationRouter,
  telemetry: telemetryRouter,
  services: servicesRouter,
  joinTokens: joinTokensRouter,
  ca: caRouter,
  certificates: certificatesRouter,
  traces: tracesRouter,
});

export type AppRouter = typeof appRouter;
