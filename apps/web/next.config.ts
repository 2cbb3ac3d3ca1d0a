import path from 'node:path';
import type { NextConfig } from 'next';

/** The monorepo root: Turbopack resolves and traces workspace packages (contracts) from here. */
const repoRoot = path.resolve(import.meta.dirname, '../..');

const isDev = process.env.NODE_ENV === 'development';

/**
 * Next inlines a few scripts (the RSC payload) and React sets inline styles, so scripts and styles
 * need 'unsafe-inline' until the console renders per request with nonces. Everything else is
 * same-origin only: the control plane is reached through the same-origin proxy (src/proxy.ts).
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

/*
 * No `rewrites()` here on purpose: `next build` bakes rewrites into .next/routes-manifest.json, so
 * a destination read from WEFT_API_URL would be frozen at build time and `next start` could not be
 * pointed at another control plane. src/proxy.ts forwards /api/* and /trpc/* at request time instead.
 */
const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Workspace packages ship TypeScript source.
  transpilePackages: ['@weft/contracts'],
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
  // Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says; the icon is app/icon.svg.
  async redirects() {
    return [{ source: '/favicon.ico', destination: '/icon.svg', permanent: true }];
  },
};

export default nextConfig;
