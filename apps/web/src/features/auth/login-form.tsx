'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, type FormEvent } from 'react';
import { apiProblemOf, formProblemsOf, hasApiCode } from '../../lib/api-error';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../ui/button';
import { Alert, ErrorAlert } from '../ui/feedback';
import { formStyles, TextField } from '../ui/field';
import { safeNextPath } from './next-path';
import { useSetSignedIn, useWhoAmI } from './use-whoami';
import styles from './login.module.css';

const LABELS = { username: 'Username', password: 'Password' };

/** Why the last sign-in failed, worded for the person at the keyboard. */
function SignInProblem({ error }: { error: unknown }) {
  const problem = apiProblemOf(error);
  if (problem.code === 'TOO_MANY_REQUESTS') {
    return (
      <Alert tone="warning">
        <p>{problem.message}.</p>
        <p>Sign-in is paused for this account after repeated failures, to stop password guessing.</p>
      </Alert>
    );
  }
  // UNAUTHENTICATED carries the same message whatever was wrong: it never tells which part.
  return <ErrorAlert message={formProblemsOf(error, LABELS).form} />;
}

/** Username and password; on success, back to the page the visitor was going to. */
export function LoginForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const next = safeNextPath(useSearchParams().get('next'));
  const whoami = useWhoAmI();
  const setSignedIn = useSetSignedIn();
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: (me) => {
        setSignedIn(me);
        router.replace(next);
      },
    }),
  );

  // Already signed in (e.g. the back button): nothing to do here.
  const signedIn = whoami.data !== undefined && whoami.error === null;
  useEffect(() => {
    if (signedIn && login.isIdle) router.replace(next);
  }, [signedIn, login.isIdle, next, router]);

  // The session ended while the console was open: say why (the control plane's reason).
  const ended = whoami.data !== undefined && hasApiCode(whoami.error, 'UNAUTHENTICATED') && login.isIdle ? apiProblemOf(whoami.error).message : null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    login.mutate({ username: String(form.get('username') ?? '').trim(), password: String(form.get('password') ?? '') });
  };

  const problems = formProblemsOf(login.error, LABELS);
  return (
    <div className={styles.wrap}>
      <div className={styles.card}>
        <h1>Sign in</h1>
        <p className={styles.lead}>to the Weft console</p>
        <form className={formStyles.form} onSubmit={onSubmit} noValidate aria-describedby={login.error ? 'login-problem' : undefined}>
          {ended && (
            <Alert tone="info">
              <p>
                <strong>You were signed out.</strong> Sign in again to continue.
              </p>
              <p className={styles.detail}>Details: {ended}</p>
            </Alert>
          )}
          <TextField label="Username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} required autoFocus error={problems.fields.username} />
          <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={problems.fields.password} />
          {login.error && (
            <div id="login-problem">
              <SignInProblem error={login.error} />
            </div>
          )}
          <Button type="submit" variant="primary" className={styles.submit} disabled={login.isPending || login.isSuccess}>
            {login.isPending || login.isSuccess ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
        <p className={styles.help}>
          Accounts are created by an organization admin. The first admin’s password is set with <code>WEFT_ADMIN_PASSWORD</code> or printed by
          the control plane at its first start.
        </p>
      </div>
    </div>
  );
}
