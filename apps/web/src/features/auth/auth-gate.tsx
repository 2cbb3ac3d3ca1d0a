'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { hasApiCode } from '../../lib/api-error';
import { LoadingState, ProblemState } from '../ui/feedback';
import { isPublicPath, loginHref } from './next-path';
import { MeContext, useWhoAmI } from './use-whoami';

/**
 * Keeps signed-out visitors on public pages: anywhere else they are sent to /login, which brings
 * them back afterwards. This is for the visitor's sake only — the control plane checks every
 * request itself — so the check can live in the browser.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const whoami = useWhoAmI();
  const isPublic = isPublicPath(pathname);
  const signedOut = hasApiCode(whoami.error, 'UNAUTHENTICATED');

  useEffect(() => {
    if (!isPublic && signedOut) router.replace(loginHref(`${window.location.pathname}${window.location.search}`));
  }, [isPublic, signedOut, router]);

  const me = whoami.data && !signedOut ? whoami.data : null;
  if (isPublic) return <MeContext value={me}>{children}</MeContext>;
  if (me) return <MeContext value={me}>{children}</MeContext>;
  if (signedOut) return <LoadingState label="Taking you to sign in…" />;
  if (whoami.error) return <ProblemState error={whoami.error} what="your session" onRetry={() => void whoami.refetch()} />;
  return <LoadingState label="Checking your session…" />;
}
