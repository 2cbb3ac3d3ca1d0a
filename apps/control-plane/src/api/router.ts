/**
 * The root tRPC router. `AppRouter` is the only thing apps/web may import from the control plane,
 * and only as `import type` (enforced by the linter).
 */
import { healthRouter } from './routers/health.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  health: healthRouter,
});

export type AppRouter = typeof appRouter;
