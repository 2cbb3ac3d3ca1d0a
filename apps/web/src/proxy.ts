/**
 * Same-origin access to the control plane: /api/* and /trpc/* are forwarded to WEFT_API_URL, so
 * the browser talks to one origin and cookies need no CORS (DESIGN.md, "The three programs").
 *
 * This is a request-time rewrite rather than `rewrites()` in next.config.ts because Next bakes
 * config rewrites into the build; here WEFT_API_URL is read when the server starts.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { serverEnv } from './env';
import { upstreamUrl } from './lib/upstream';

export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  return NextResponse.rewrite(upstreamUrl(serverEnv().apiUrl, pathname, search));
}

export const config = {
  matcher: ['/api/:path*', '/trpc/:path*'],
};
