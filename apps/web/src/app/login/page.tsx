import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoginForm } from '../../features/auth/login-form';

export const metadata: Metadata = { title: 'Sign in' };

export default function LoginPage() {
  // The form reads ?next= (useSearchParams), which is known only in the browser.
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
