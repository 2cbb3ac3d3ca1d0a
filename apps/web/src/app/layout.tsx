import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { AuthGate } from '../features/auth/auth-gate';
import { AppHeader } from '../features/shell/app-header';
import { SideNav } from '../features/shell/side-nav';
import shell from '../features/shell/shell.module.css';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Weft', template: '%s · Weft' },
  description: 'Weft service mesh console',
};

export const viewport: Viewport = {
  themeColor: '#ffffff',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">
          Skip to main content
        </a>
        <Providers>
          <div className={shell.shell}>
            <AppHeader />
            <SideNav />
            <main id="main" tabIndex={-1} className={shell.main}>
              <AuthGate>{children}</AuthGate>
            </main>
          </div>
        </Providers>
      </body>
    </html>
  );
}
