/**
 * Access control end to end, as one journey on one control plane: each test builds on what the
 * ones before it did (the team, the user, the token), so they run in order and are not retried
 * one by one — a retry would meet the team it already created.
 */
import { ADMIN, allowConsoleErrors, expect, failedCall, screenshot, test, VERA, WEAK_PASSWORD } from '../support/fixtures.ts';
import { CONSOLE_URL } from '../support/servers.ts';

const TEAM = { name: 'payments-team', displayName: 'Payments' };
const NAMESPACE = 'payments';
const TOKEN = { name: 'ci-deploy', role: 'editor', days: 30 } as const;
/** Vera's password after she changes it. */
const NEW_PASSWORD = 'sable-quartz-meadow-604';

test.describe.configure({ mode: 'serial', retries: 0 });

test.describe('Access control', () => {
  test.describe('signing in with a wrong password', () => {
    // The browser logs the 401 of the failed sign-in.
    test.use(allowConsoleErrors(failedCall(401, 'auth.login')));

    test('shows the generic error, and signing in still works afterwards', async ({ page, loginPage, shell }) => {
      await page.goto('/teams');
      await page.waitForURL('/login?next=%2Fteams');
      await expect(loginPage.heading).toBeVisible();
      await expect(page).toHaveTitle('Sign in · Weft');
      await screenshot(page, 'login');

      await loginPage.fill({ username: ADMIN.username, password: 'not-the-password' });
      await loginPage.submit.click();
      // Same words whether the account or the password is wrong: the message never says which.
      await expect(loginPage.problem).toHaveText('Invalid username or password');
      await expect(page).toHaveURL('/login?next=%2Fteams');
      await expect(loginPage.submit).toBeEnabled();
      await screenshot(page, 'login-error');

      await loginPage.password.fill(ADMIN.password);
      await loginPage.submit.click();
      // Back where the visitor was going.
      await page.waitForURL('/teams');
      await shell.expectSignedInAs(ADMIN, { admin: true });
    });
  });

  test.describe('signing in too often with wrong passwords', () => {
    test.use(allowConsoleErrors(failedCall(401, 'auth.login'), failedCall(429, 'auth.login')));

    test('pauses sign-in for that account and says when to try again', async ({ page, loginPage }) => {
      // An account of its own: the lock (5 failures, 15 minutes) must not touch admin or vera.
      const intruder = { username: 'mallory', password: 'guess-number-' };
      await loginPage.goto();
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        await loginPage.fill({ ...intruder, password: `${intruder.password}${attempt}` });
        await loginPage.submit.click();
        await expect(loginPage.problem).toHaveText('Invalid username or password');
      }
      await loginPage.fill({ ...intruder, password: `${intruder.password}6` });
      await loginPage.submit.click();
      await expect(loginPage.problem).toContainText(/Too many failed sign-in attempts; try again in \d+ minute/);
      await expect(loginPage.problem).toContainText('Sign-in is paused for this account');
      await screenshot(page, 'login-rate-limited');
    });
  });

  test.describe(() => {
    // The first try at creating vera uses a weak password, which the control plane refuses (400).
    test.use(allowConsoleErrors(failedCall(400, 'users.create')));

    test('an admin sets up a team; its viewer sees it read-only and no admin pages', async ({ page, loginPage, shell, teamsPage, teamPage, usersPage, auditPage, tokensPage }) => {
      await test.step('sign in as admin', async () => {
        await loginPage.goto();
        await loginPage.signIn(ADMIN);
        await shell.expectSignedInAs(ADMIN, { admin: true });
        for (const area of ['Teams', 'Tokens', 'Users', 'Audit log']) await expect(shell.navLink(area)).toBeVisible();
      });

      await test.step('create the team', async () => {
        await teamsPage.goto();
        await expect(teamsPage.list).toContainText('No teams yet');
        await screenshot(page, 'teams-empty');
        // The dialog is a native modal <dialog>: focus moves in, Escape closes it, focus comes back.
        await teamsPage.createButton.click();
        await expect(teamsPage.createDialog.getByLabel('Name', { exact: true })).toBeFocused();
        await page.keyboard.press('Escape');
        await expect(teamsPage.createDialog).toBeHidden();
        await expect(teamsPage.createButton).toBeFocused();
        await teamsPage.createTeam(TEAM);
        await expect(teamPage.heading(TEAM.displayName)).toBeVisible();
        await expect(teamPage.members).toContainText('No members yet');
        await expect(teamPage.namespaces).toContainText('No namespaces yet');
        await screenshot(page, 'team-new');
      });

      await test.step('create vera: the password policy speaks at the field', async () => {
        await shell.navLink('Users').click();
        await expect(usersPage.heading).toBeVisible();
        await expect(usersPage.row(ADMIN.username)).toContainText('Admin');
        await screenshot(page, 'users-only-admin');
        await usersPage.submitCreate({ ...VERA, password: WEAK_PASSWORD });
        await expect(usersPage.field('Password')).toHaveAttribute('aria-invalid', 'true');
        await expect(usersPage.field('Password')).toHaveAccessibleDescription(/^Password is too easy to guess/);
        await screenshot(page, 'users-create-error');

        await usersPage.submitCreate(VERA);
        await expect(usersPage.createDialog).toBeHidden();
        await expect(usersPage.row(VERA.username)).toContainText(VERA.displayName);
        await expect(usersPage.row(VERA.username)).toContainText('Active');
        await screenshot(page, 'users');
      });

      await test.step('add vera to the team as a viewer; assign the namespace', async () => {
        await shell.navLink('Teams').click();
        await teamsPage.open(TEAM.name);
        await teamPage.addMember(VERA.username, 'editor');
        await expect(teamPage.memberRow(VERA.username)).toContainText('Editor');
        await teamPage.changeRole(VERA.username, 'viewer');
        await expect(teamPage.memberRow(VERA.username)).toContainText('Viewer');

        await teamPage.assignNamespace(NAMESPACE);
        await expect(teamPage.namespace(NAMESPACE)).toBeVisible();
        await screenshot(page, 'team-admin');

        await shell.navLink('Teams').click();
        const row = teamsPage.row(TEAM.name);
        await expect(row.getByRole('cell').nth(1)).toHaveText('1');
        await expect(row).toContainText(NAMESPACE);
        await expect(row).toContainText('Not a member');
        await screenshot(page, 'teams');
      });

      await test.step('sign out', async () => {
        await shell.openAccountMenu();
        await expect(shell.accountMenu).toContainText('Signed in as admin');
        await screenshot(page, 'account-menu');
        await shell.signOut();
        await expect(shell.accountButton).toHaveCount(0);
      });

      await test.step('vera signs in and sees the team read-only', async () => {
        await loginPage.signIn(VERA);
        await shell.expectSignedInAs(VERA, { admin: false });
        await expect(shell.navLink('Users')).toHaveCount(0);
        await expect(shell.navLink('Audit log')).toHaveCount(0);

        await shell.navLink('Teams').click();
        await expect(teamsPage.createButton).toHaveCount(0);
        await expect(teamsPage.row(TEAM.name)).toContainText('Viewer');
        await teamsPage.open(TEAM.name);
        await expect(teamPage.heading(TEAM.displayName)).toBeVisible();
        await expect(teamPage.memberRow(VERA.username)).toContainText('Viewer');
        await expect(teamPage.namespace(NAMESPACE)).toBeVisible();
        await expect(teamPage.readOnlyNote).toBeVisible();
        // No way to change anything: the controls are not there at all.
        await expect(teamPage.addMemberButton).toHaveCount(0);
        await expect(teamPage.editControls()).toHaveCount(0);
        await screenshot(page, 'team-viewer');
      });

      await test.step('the Users, Audit log and Tokens pages refuse her', async () => {
        await usersPage.goto();
        await expect(usersPage.refusal).toBeVisible();
        await expect(usersPage.table).toHaveCount(0);
        await screenshot(page, 'users-refused');

        await auditPage.goto();
        await expect(auditPage.refusal).toBeVisible();
        await expect(auditPage.entries).toHaveCount(0);

        await tokensPage.goto();
        await expect(tokensPage.main).toContainText('You are not an owner of any team');
        await screenshot(page, 'tokens-not-owner');
      });
    });
  });

  test.describe(() => {
    // Deleting a team that still owns a namespace is refused (409).
    test.use(allowConsoleErrors(failedCall(409, 'teams.delete')));

    test('an admin deletes a team; one that owns namespaces is refused with the reason', async ({ page, signIn, teamsPage }) => {
      await signIn(ADMIN);
      await teamsPage.goto();
      await teamsPage.delete(TEAM.name);
      await expect(teamsPage.deleteDialog.getByRole('alert')).toHaveText(
        `Team ${TEAM.name} still owns namespaces (${NAMESPACE}); assign them to another team first`,
      );
      await screenshot(page, 'teams-delete-conflict');
      await teamsPage.deleteDialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(teamsPage.deleteDialog).toBeHidden();
      await expect(teamsPage.row(TEAM.name)).toBeVisible();

      await teamsPage.createTeam({ name: 'scratch-team' });
      await teamsPage.goto();
      await teamsPage.delete('scratch-team');
      await expect(teamsPage.deleteDialog).toBeHidden();
      await expect(teamsPage.row('scratch-team')).toHaveCount(0);
    });
  });

  test('an API token works until it is revoked', async ({ page, signIn, tokensPage, controlPlane }) => {
    await signIn(ADMIN);
    await tokensPage.goto();
    await expect(tokensPage.teamPicker).toHaveValue(/.+/);
    await expect(tokensPage.teamPicker.locator('option:checked')).toHaveText(`${TEAM.displayName} (${TEAM.name})`);
    await expect(tokensPage.tokens).toContainText('No API tokens yet');
    await screenshot(page, 'tokens-empty');

    await tokensPage.create(TOKEN);
    await expect(tokensPage.secretDialog).toContainText('it will not be shown again');
    const secret = await tokensPage.secret.inputValue();
    expect(secret).toMatch(/^weft_/);

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await tokensPage.copyButton.click();
    await expect(tokensPage.secretDialog.getByText('Copied to the clipboard.')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await screenshot(page, 'tokens-secret');
    await tokensPage.closeSecret();
    await expect(tokensPage.row(TOKEN.name)).toContainText('Active');
    await expect(tokensPage.row(TOKEN.name)).toContainText('Editor');

    const before = await controlPlane.whoamiWithToken(secret);
    expect(before.status(), await before.text()).toBe(200);
    expect(await before.json()).toMatchObject({ kind: 'token', name: TOKEN.name, teams: [{ name: TEAM.name, role: TOKEN.role }] });

    await tokensPage.revoke(TOKEN.name);
    await expect(tokensPage.row(TOKEN.name)).toContainText('Revoked');
    await expect(tokensPage.row(TOKEN.name).getByRole('button')).toHaveCount(0);
    await screenshot(page, 'tokens');

    const after = await controlPlane.whoamiWithToken(secret);
    expect(after.status(), await after.text()).toBe(401);
  });

  test.describe(() => {
    // The first new password for otto is too weak (400).
    test.use(allowConsoleErrors(failedCall(400, 'users.resetPassword')));

    test('an admin manages an account: admin role, disable, password', async ({ page, signIn, usersPage }) => {
      const otto = { username: 'otto', displayName: 'Otto Berg', password: 'lilac-furnace-oyster-225' };
      await signIn(ADMIN);
      await usersPage.goto();
      await usersPage.submitCreate(otto);
      await expect(usersPage.createDialog).toBeHidden();
      const row = usersPage.row(otto.username);

      await usersPage.change(otto.username, 'Make admin');
      await expect(row.getByRole('cell').nth(1)).toHaveText('Admin');
      await usersPage.change(otto.username, 'Remove admin');
      await expect(row.getByRole('cell').nth(1)).toHaveText('Member');

      await usersPage.change(otto.username, 'Disable');
      await expect(row).toContainText('Disabled');
      await usersPage.change(otto.username, 'Enable');
      await expect(row).toContainText('Active');

      // The admin's own row: no disabling, no dropping the admin role.
      await expect(usersPage.row(ADMIN.username).getByRole('button', { name: `Disable ${ADMIN.username}` })).toBeDisabled();
      await expect(usersPage.row(ADMIN.username).getByRole('button', { name: `Remove admin: ${ADMIN.username}` })).toBeDisabled();

      await row.getByRole('button', { name: `Reset password for ${otto.username}` }).click();
      const dialog = usersPage.resetDialog(otto.username);
      await dialog.getByLabel('New password').fill('short');
      await dialog.getByRole('button', { name: 'Set password' }).click();
      await expect(dialog.getByLabel('New password')).toHaveAccessibleDescription(/^Password must be at least 12 characters/);
      await screenshot(page, 'users-reset-error');
      await dialog.getByLabel('New password').fill('mango-glacier-tidal-731');
      await dialog.getByRole('button', { name: 'Set password' }).click();
      await expect(dialog).toBeHidden();
      await expect(usersPage.main.getByRole('status').filter({ hasText: 'New password set for otto' })).toBeVisible();
    });
  });

  test('the audit log lists what was just done, and its chain verifies', async ({ page, signIn, auditPage }) => {
    await signIn(ADMIN);
    await auditPage.goto();

    for (const action of ['auth.login', 'teams.create', 'users.create', 'teams.setMember', 'namespaces.assign', 'auth.logout', 'tokens.create', 'tokens.revoke']) {
      await expect(auditPage.rowsFor(action).first(), `${action} is listed`).toBeVisible();
    }
    // The refused attempts are there too: the wrong password, the locked account, the weak password.
    const failedLogins = auditPage.rowsFor('auth.login').filter({ hasText: 'Failure' });
    await expect(failedLogins.filter({ hasText: ADMIN.username })).toHaveCount(1);
    await expect(failedLogins.filter({ hasText: ADMIN.username })).toContainText('Invalid username or password');
    await expect(failedLogins.filter({ hasText: 'mallory' }).first()).toContainText('Too many failed sign-in attempts');
    await expect(auditPage.rowsFor('users.create').filter({ hasText: 'Failure' }).first()).toContainText('too easy to guess');

    await auditPage.verifyButton.click();
    await expect(auditPage.main.getByRole('status').filter({ hasText: 'The chain is intact' })).toContainText(/\d+ entries checked/);
    await screenshot(page, 'audit');

    await auditPage.filter({ action: 'tokens.*' });
    await expect(auditPage.rows).toHaveCount(2);
    await expect(auditPage.rowsFor('tokens.create')).toHaveCount(1);
    await expect(auditPage.rowsFor('tokens.revoke')).toHaveCount(1);

    await auditPage.filter({ action: '', actor: VERA.username, outcome: 'success' });
    await expect(auditPage.rowsFor('auth.login')).toHaveCount(1);
    await expect(auditPage.rows).toHaveCount(1);
    await screenshot(page, 'audit-filtered');
  });

  test('the audit log pages through older entries with Load more', async ({ page, signIn, auditPage }) => {
    await signIn(ADMIN);
    // Enough entries for a second page (50 a page): assigning a namespace to its own team again
    // is a change that is audited every time.
    const { csrfToken } = (await (await page.request.get('/api/v1/auth/whoami')).json()) as { csrfToken: string };
    const teams = (await (await page.request.get('/api/v1/teams')).json()) as { id: string; name: string }[];
    const teamId = teams.find((team) => team.name === TEAM.name)!.id;
    for (let i = 0; i < 50; i += 1) {
      const response = await page.request.put(`/api/v1/namespaces/${NAMESPACE}`, { data: { teamId }, headers: { 'x-weft-csrf': csrfToken } });
      expect(response.status(), await response.text()).toBe(200);
    }

    await auditPage.goto();
    await expect(auditPage.shown).toHaveText('Showing the newest 50 entries');
    await expect(auditPage.rows).toHaveCount(50);
    await auditPage.loadMore.click();
    await expect(auditPage.shown).toHaveText(/^Showing (the newest 100|all \d+) entries$/);
    const total = await auditPage.rows.count();
    expect(total).toBeGreaterThan(50);
    // The oldest entry, written at the first start, is on the last page.
    if (await auditPage.loadMore.isVisible()) await auditPage.loadMore.click();
    await expect(auditPage.loadMore).toHaveCount(0);
    await expect(auditPage.rowsFor('users.bootstrap')).toHaveCount(1);
  });

  test.describe(() => {
    // The first try gives a wrong current password, which the control plane refuses (400).
    test.use(allowConsoleErrors(failedCall(400, 'auth.changePassword'), failedCall(401, 'teams.list')));

    test('a user sees their sessions and changes their password', async ({ page, playwright, signIn, accountPages, shell }) => {
      const { sessions, password } = accountPages;
      await signIn(VERA);
      await sessions.goto();
      // The journey above signed vera in through the form as well (still active): two sessions.
      await expect(sessions.rows).toHaveCount(2);
      await expect(sessions.current).toHaveCount(1);
      await screenshot(page, 'sessions');

      const other = sessions.rows.filter({ hasNotText: 'This session' });
      await other.getByRole('button', { name: /^Sign out/ }).click();
      await sessions.confirmDialog.getByRole('button', { name: 'Sign it out' }).click();
      await expect(sessions.rows).toHaveCount(1);

      await shell.openAccountMenu();
      await shell.accountMenu.getByRole('link', { name: 'Change password' }).click();
      await expect(password.heading).toBeVisible();
      await password.current.fill('not-my-password');
      await password.next.fill(NEW_PASSWORD);
      await password.confirm.fill(NEW_PASSWORD);
      await password.submit.click();
      await expect(password.current).toHaveAccessibleDescription('Current password is not correct');
      await screenshot(page, 'password-error');

      await password.current.fill(VERA.password);
      await password.submit.click();
      await expect(page.getByRole('main').getByRole('status').filter({ hasText: 'Password changed' })).toBeVisible();
      await screenshot(page, 'password');

      // The session is ended from elsewhere: vera, signed in a second time (another client),
      // signs this browser's session out. Its next request is refused, and the console sends
      // vera to sign in, saying why.
      const elsewhere = await playwright.request.newContext({ baseURL: CONSOLE_URL });
      try {
        expect((await elsewhere.post('/api/v1/auth/login', { data: { username: VERA.username, password: NEW_PASSWORD } })).status()).toBe(200);
        const { csrfToken } = (await (await elsewhere.get('/api/v1/auth/whoami')).json()) as { csrfToken: string };
        const list = (await (await elsewhere.get('/api/v1/auth/sessions')).json()) as { id: string; current: boolean }[];
        const browserSession = list.find((session) => !session.current);
        expect(browserSession, 'the browser’s session is listed').toBeDefined();
        const revoked = await elsewhere.delete(`/api/v1/auth/sessions/${browserSession!.id}`, { headers: { 'x-weft-csrf': csrfToken } });
        expect(revoked.status(), await revoked.text()).toBe(200);
      } finally {
        await elsewhere.dispose();
      }
      await shell.navLink('Teams').click();
      await page.waitForURL('/login?next=%2Fteams');
      const notice = page.getByRole('main').getByRole('status').filter({ hasText: 'You were signed out' });
      await expect(notice).toContainText('your session has ended');
      await screenshot(page, 'login-session-ended');
    });
  });
});
