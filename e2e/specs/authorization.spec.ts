/**
 * From a draft AuthorizationPolicy to an applied one, over traffic a (simulated) proxy of
 * shop/payments reported on its real stream (the `shopMesh` fixture): 175 requests, 10 of them to
 * /admin. The tests build on each other (the second sees the policy the first enforced).
 */
import { allowConsoleErrors, expect, failedCall, OMAR, SANA, screenshot, test } from '../support/fixtures.ts';

test.describe.configure({ mode: 'serial', retries: 0 });

test.describe('Authorization', () => {
  test.describe(() => {
    // The bad draft is refused by the control plane (400), which the browser logs.
    test.use(allowConsoleErrors(failedCall(400, 'authorization.preview')));

    test('an editor previews a draft, sees a bad one refused at the field, and applies it in audit mode', async ({ page, shopMesh, signIn, shell, authorizationPage: authz }) => {
      await signIn(SANA);
      await page.goto('/');
      await shell.navLink('Policies').click();
      await page.waitForURL(/\/policies$/);
      await page.getByRole('main').getByRole('link', { name: 'Authorization audit' }).click();
      await page.waitForURL(/\/policies\/authorization/);
      await expect(authz.heading).toBeVisible();
      await expect(shell.navLink('Policies')).toHaveAttribute('aria-current', 'page');
      await expect(authz.namespacePicker).toHaveValue(shopMesh.namespace);
      await expect(authz.windowPicker).toHaveValue('1h');
      await expect(authz.policies.getByText('No AuthorizationPolicy in shop', { exact: true })).toBeVisible();
      await expect(authz.policies).toContainText('Draft one below to see what it would deny.');
      await expect(authz.policies).toContainText(`${shopMesh.recorded} requests recorded in the last hour`);
      // Nothing can be applied before it has been previewed.
      await expect(authz.applyAuditButton).toBeDisabled();
      await expect(authz.enforceButton).toBeDisabled();

      await test.step('preview the example draft: DENY /admin', async () => {
        await expect.poll(() => authz.draftText()).toMatch(/name: deny-admin\n {2}namespace: shop\n/);
        await authz.preview();
        await expect(authz.headline).toHaveText('Would deny 10 of 175 requests in the last hour');
        await expect(authz.result.getByRole('list', { name: 'Requests matched per rule of the draft' })).toHaveText(/Rule 1.*10/);
        const sources = authz.resultTable('Top sources it would deny');
        await expect(sources.getByRole('row')).toHaveCount(2);
        await expect(sources.getByRole('row').nth(1)).toHaveText(/spiffe:\/\/weft\.local\/ns\/shop\/sa\/frontend\s*10\s*100%/);
        const samples = authz.resultTable('Sample requests it would deny');
        await expect(samples.getByRole('row')).toHaveCount(3);
        await expect(samples.getByRole('row').nth(1)).toContainText('GET/admin807');
        await expect(samples.getByRole('row').nth(2)).toContainText('POST/admin/users803');
        await expect(authz.applyAuditButton).toBeEnabled();
        await screenshot(page, 'authorization-preview');
      });

      await test.step('the editor completes workload identities from the inventory', async () => {
        const example = await authz.draftText();
        await authz.setDraft(`${example.trimEnd()}\n      from:\n        - principals: [spiffe`);
        await page.keyboard.press('Control+Space');
        await expect(page.getByRole('listbox')).toContainText('spiffe://weft.local/ns/shop/sa/payments');
        await page.keyboard.press('Escape');
        await authz.setDraft(example);
      });

      await test.step('a bad draft: the field is named, with its line', async () => {
        const example = await authz.draftText();
        await authz.preview(example.replace('paths: ["/admin", "/admin/*"]', 'paths: ["admin"]'));
        await expect(authz.editor).toHaveAttribute('aria-invalid', 'true');
        await expect(authz.editor).toHaveAccessibleDescription(/^spec\.rules\.0\.to\.0\.paths\.0 \(line 13\): must start with '\/'/);
        // The last good preview stays, marked as not matching the draft: nothing can be applied.
        await expect(authz.applyAuditButton).toBeDisabled();
        await expect(authz.draft).toContainText('The draft or the window changed since the last preview');
        await screenshot(page, 'authorization-field-error');
        await authz.preview(example);
        await expect(authz.editor).not.toHaveAttribute('aria-invalid', 'true');
      });

      await test.step('apply it in audit mode: listed with what it would deny', async () => {
        await authz.applyAuditButton.click();
        await expect(authz.applied).toContainText('deny-admin created in audit mode.');
        const row = authz.policy('deny-admin');
        await expect(row).toContainText('all services');
        await expect(row).toContainText('DENY');
        await expect(row).toContainText('Audit');
        await expect(row.getByRole('list', { name: 'Requests per rule of deny-admin' })).toHaveText(/Rule 1.*10/, { timeout: 20_000 });
        await expect(row.getByRole('cell').last()).toHaveText('10would deny');
        await screenshot(page, 'authorization');
      });

      await test.step('enforce it, after saying once more what it would deny', async () => {
        await authz.enforceButton.click();
        await expect(authz.enforceDialog).toContainText('In the last hour it would have denied 10 of 175 requests.');
        await authz.enforceDialog.getByRole('button', { name: 'Apply and enforce' }).click();
        await expect(authz.enforceDialog).toBeHidden();
        await expect(authz.applied).toContainText('deny-admin updated and enforced.');
        const row = authz.policy('deny-admin');
        await expect(row).toContainText('Enforced', { timeout: 20_000 });
        await expect(row.getByRole('cell').last()).toHaveText('10denied', { timeout: 20_000 });
        await expect(authz.policies).toContainText('10 denied');
        await screenshot(page, 'authorization-enforced');
      });
    });
  });

  test('a viewer previews drafts but is offered no way to apply them', async ({ page, shopMesh, signIn, authorizationPage: authz }) => {
    await signIn(OMAR);
    await authz.goto(`?namespace=${shopMesh.namespace}&window=15m`);
    await expect(authz.windowPicker).toHaveValue('15m');
    await expect(authz.policy('deny-admin')).toContainText('Enforced');
    // The same draft again: what is already enforced is denied now, so it would deny nothing more.
    await authz.preview();
    await expect(authz.headline).toHaveText('Would deny 0 of 175 requests in the last 15 minutes');
    await expect(authz.applyAuditButton).toHaveCount(0);
    await expect(authz.enforceButton).toHaveCount(0);
    await expect(authz.draft).toContainText('applying them is for the editors of the team that owns shop');
    await screenshot(page, 'authorization-viewer');
  });
});
